package dev.cacheops.checker;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The command line for long runs. The workload is cut into segments of {@code --segment} actions,
 * each on a fresh database and cache prefix with seed {@code seed + segment number} (so a failing
 * segment reruns alone with {@code --seed <its seed> --ops <segment>}). Prints one summary line at
 * the end and exits 1 when any read mismatched.
 *
 * <pre>
 * ./mvnw -q -pl cacheops-checker -am -DskipTests install
 * ./mvnw -q -pl cacheops-checker exec:java -Dexec.args="--ops 1000000 --minutes 30 --db postgres --store redis --seed 1"
 * </pre>
 */
@Command(name = "cacheops-checker", mixinStandardHelpOptions = true,
        description = "Differential correctness check of the cache against the database.")
public final class Checker implements Callable<Integer> {
    @Option(names = "--ops", description = "actions in total (default ${DEFAULT-VALUE})")
    long ops = 100_000;

    @Option(names = "--minutes", description = "stop after this many minutes (default ${DEFAULT-VALUE})")
    double minutes = 30;

    @Option(names = "--db", description = "postgres or h2 (default ${DEFAULT-VALUE})")
    String db = "postgres";

    @Option(names = "--store", description = "redis or local (default ${DEFAULT-VALUE})")
    String store = "local";

    @Option(names = "--seed", description = "the first segment's seed (default ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--segment", description = "actions per fresh database (default ${DEFAULT-VALUE})")
    int segment = 5_000;

    @Option(names = "--shrink-seconds", description = "time to shrink each mismatch (default ${DEFAULT-VALUE})")
    int shrinkSeconds = 120;

    @Option(names = "--skip-known", split = ",", description = "known engine bugs to steer around: upsert, cte-shadow")
    List<String> skipKnown = new ArrayList<>();

    @Option(names = "--timezone", description = "the JVM's (and so the database session's) time zone, e.g. Asia/Kolkata")
    String timezone;

    @Option(names = "--change-stream", description = "consume PostgreSQL's change stream and send about a quarter of "
            + "the auto-commit writes around the cache; each is compared once the stream confirmed it (postgres and "
            + "redis only; needs wal_level=logical)")
    boolean changeStream;

    @Option(names = "--verbose", description = "print every action with its outcome (first segment only, no shrinking)")
    boolean verbose;

    /** Runs the command line. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new Checker()).execute(args));
    }

    @Override
    public Integer call() {
        Target target = new Target(Dialect.valueOf(db.equals("postgres") || db.equals("pg") ? "POSTGRES" : db.toUpperCase(Locale.ROOT)),
                Target.StoreKind.valueOf(store.toUpperCase(Locale.ROOT)), changeStream);
        PrintStream out = System.out;
        if (timezone != null) {
            java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone(timezone));
        }
        if (verbose) {
            DifferentialRun.Result r = DifferentialCheck.replayVerbose(target,
                    new Workload(seed, target.dialect()).avoiding(skipKnown).bypassing(changeStream).generate((int) Math.min(ops, segment)), out);
            out.println(r.failed() ? "MISMATCH at action " + r.mismatchIndex() : "no mismatch");
            return r.failed() ? 1 : 0;
        }
        RunStats stats = new RunStats();
        long end = System.nanoTime() + (long) (minutes * 60e9);
        List<Repro> found = new ArrayList<>();
        long done = 0;
        for (long s = seed; done < ops && System.nanoTime() < end; s++) {
            int n = (int) Math.min(segment, ops - done);
            long before = stats.ops();
            Optional<Repro> r = DifferentialCheck.check(target, s, n, Duration.ofNanos(Math.max(0, end - System.nanoTime())),
                    Duration.ofSeconds(shrinkSeconds), stats, out, skipKnown);
            r.ifPresent(found::add);
            done += Math.max(1, stats.ops() - before);
            out.printf("segment seed %d on %s: %d actions%s%n", s, target, stats.ops() - before,
                    r.isPresent() ? ", MISMATCH (shrunk to " + r.get().actions().size() + " actions)" : ", ok");
        }
        out.println(stats.details());
        out.println(stats.line());
        return found.isEmpty() ? 0 : 1;
    }
}
