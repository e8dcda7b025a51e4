package dev.cacheops.checker;

import dev.cacheops.Explanation;
import java.io.PrintStream;
import java.sql.SQLException;
import java.util.List;

/**
 * Replays a list of actions on a fresh {@link Environment} and reports the first mismatch.
 * Stateless apart from the statistics it is handed.
 */
final class DifferentialRun {
    /**
     * The result of one replay.
     *
     * @param mismatchIndex index of the first mismatching read, or -1
     * @param mismatch      its outcome, or null
     * @param executed      how many actions ran
     */
    record Result(int mismatchIndex, Outcome mismatch, int executed) {
        boolean failed() {
            return mismatchIndex >= 0;
        }
    }

    private DifferentialRun() {
    }

    /**
     * Runs {@code actions} until the end, the first mismatch or {@code deadlineNanos}
     * ({@link System#nanoTime()}), whichever comes first.
     *
     * @param stats where to count (null: do not count)
     * @param log   where to echo every action with its outcome (null: quiet)
     */
    static Result run(Target target, List<Action> actions, RunStats stats, PrintStream log, long deadlineNanos) {
        try (Environment env = new Environment(target)) {
            Executor executor = new Executor(env);
            if (stats != null) {
                stats.newRun(read -> explain(env, read), env.probe);
            }
            int i = 0;
            try {
                for (; i < actions.size(); i++) {
                    if (System.nanoTime() > deadlineNanos) {
                        break;
                    }
                    Outcome o = executor.execute(actions.get(i));
                    if (stats != null) {
                        stats.record(o);
                    }
                    if (log != null) {
                        log.println(i + " " + o.action().describe() + (o.kind() == null ? "" : "  => " + o.kind())
                                + (o.note() == null ? "" : "  [" + o.note() + "]"));
                    }
                    if (o.mismatch()) {
                        return new Result(i, o, i + 1);
                    }
                }
                return new Result(-1, null, i);
            } finally {
                if (stats != null) {
                    stats.addCacheStats(env.cacheops.stats());
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the checker's own step failed on " + target + ": " + e.getMessage(), e);
        }
    }

    /** The cache's explanation of {@code read} with its parameters, or null when it cannot be had. */
    private static Explanation explain(Environment env, Action.Read read) {
        try {
            return env.cacheops.explain(env.database.dataSource(), read.sql(),
                    read.params().stream().map(Param::value).toList());
        } catch (SQLException e) {
            return null;
        }
    }
}
