package dev.cacheops.checker;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The checker's entry points: generate a workload from a seed, run it through the cache comparing
 * every read, and on a mismatch shrink it to a {@link Repro}. Thread-safe (no shared state).
 */
public final class DifferentialCheck {
    private DifferentialCheck() {
    }

    /**
     * Runs one seeded workload of {@code ops} actions.
     *
     * @param runBudget    how long the workload may run (it stops early, unfailed, after that)
     * @param shrinkBudget how long shrinking a mismatch may take
     * @param stats        where to count
     * @param out          where to print progress and the report (null: quiet)
     * @return the shrunk reproduction of the first mismatch, if any
     */
    public static Optional<Repro> check(Target target, long seed, int ops, Duration runBudget, Duration shrinkBudget,
                                        RunStats stats, PrintStream out) {
        return check(target, seed, ops, runBudget, shrinkBudget, stats, out, List.of());
    }

    /** Like the other, with the workload steering around {@code knownBugs} ({@link Workload#KNOWN_BUGS}). */
    public static Optional<Repro> check(Target target, long seed, int ops, Duration runBudget, Duration shrinkBudget,
                                        RunStats stats, PrintStream out, List<String> knownBugs) {
        List<Action> actions = new Workload(seed, target.dialect()).avoiding(knownBugs)
                .bypassing(target.changeStream()).generate(ops);
        DifferentialRun.Result r = DifferentialRun.run(target, actions, stats, null,
                System.nanoTime() + runBudget.toNanos());
        if (!r.failed()) {
            return Optional.empty();
        }
        List<Action> prefix = actions.subList(0, r.mismatchIndex() + 1);
        if (out != null) {
            out.println("MISMATCH on " + target + " seed " + seed + " at action " + r.mismatchIndex() + ": "
                    + r.mismatch().action().describe());
            if (r.mismatch().note() != null) {
                out.println("  " + r.mismatch().note());
            }
            if (r.mismatch().direct() != null) {
                out.println("  cached: " + r.mismatch().cached());
                out.println("  direct: " + r.mismatch().direct());
            }
            out.println("  op log of the failing prefix:");
            for (int i = 0; i < prefix.size(); i++) {
                out.println("  " + i + " " + prefix.get(i).describe());
            }
            out.println("  shrinking (budget " + shrinkBudget.toSeconds() + " s) ...");
        }
        long deadline = System.nanoTime() + shrinkBudget.toNanos();
        List<Action> minimal = Shrinker.shrink(prefix,
                candidate -> replay(target, candidate).failed(),
                candidate -> {
                    DifferentialRun.Result c = replay(target, candidate);
                    return c.failed() ? candidate.subList(0, c.mismatchIndex() + 1) : candidate;
                },
                deadline);
        // the shrunk list must reproduce on its own, twice, or the report says so (and keeps the prefix)
        DifferentialRun.Result last = replay(target, minimal);
        DifferentialRun.Result again = last.failed() ? replay(target, minimal.subList(0, last.mismatchIndex() + 1)) : last;
        Outcome mismatch;
        if (last.failed() && again.failed()) {
            minimal = minimal.subList(0, last.mismatchIndex() + 1);
            mismatch = last.mismatch();
        } else {
            if (out != null) {
                out.println("  the shrunk sequence of " + minimal.size() + " actions does not reproduce reliably on its own "
                        + "(flaky, or it depends on the JVM's earlier runs): reporting the unshrunk prefix");
            }
            minimal = prefix;
            mismatch = r.mismatch();
        }
        Repro repro = new Repro(target, seed, prefix.size(), List.copyOf(minimal), mismatch);
        if (out != null) {
            out.println(repro.report());
        }
        return Optional.of(repro);
    }

    /** Replays {@code actions} on a fresh database and cache; for regression tests. */
    public static DifferentialRun.Result replay(Target target, List<Action> actions) {
        return DifferentialRun.run(target, actions, null, null, Long.MAX_VALUE);
    }

    /** Replays {@code actions}, printing every step with its outcome. */
    public static DifferentialRun.Result replayVerbose(Target target, List<Action> actions, PrintStream log) {
        return DifferentialRun.run(target, actions, null, log, Long.MAX_VALUE);
    }
}
