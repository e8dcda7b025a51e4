package dev.cacheops.demo;

import dev.cacheops.CacheStats;
import dev.cacheops.Cacheops;
import dev.cacheops.Op;
import java.io.PrintWriter;
import java.net.URI;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The demo program: seeds a blog database, runs the same read/write workload once through the
 * plain data source and once through {@link Cacheops#wrap}, checks cached reads against the
 * database while it runs, and prints a report.
 *
 * <p>Exit codes: 0 when every checked read matched, 1 when some did not, 2 for bad options
 * (picocli's usage error), 3 when a run failed with an exception (printed in full, with the
 * operation and its SQL).
 */
@Command(name = "cacheops-demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs a blog workload without and with Cacheops and reports hits, invalidations,"
                + " statements saved, speed and correctness.")
public final class Demo implements Callable<Integer> {
    /** Exit code when a cached read differed from the database. */
    public static final int MISMATCH = 1;
    /** Exit code when a run threw (an engine or database error). */
    public static final int FAILURE = 3;

    @Option(names = "--jdbc-url", description = "Database (default: an in-memory H2 database behind an H2 TCP"
            + " server the demo starts on a loopback port, so every query crosses a socket). Its tables category,"
            + " post, tag, post_tag and comment are DROPPED and recreated.")
    String jdbcUrl;

    @Option(names = "--user", description = "Database user.")
    String user;

    @Option(names = "--password", description = "Database password.")
    String password;

    @Option(names = "--redis", description = "Use Redis at this URI (e.g. redis://127.0.0.1:6379) instead of the"
            + " in-process store.")
    String redis;

    @Option(names = "--prefix", description = "Redis key prefix (default: cacheops-demo-<random>).")
    String prefix = "cacheops-demo-" + UUID.randomUUID().toString().substring(0, 8);

    @Option(names = "--operations", description = "Operations per run (default: ${DEFAULT-VALUE}).")
    long operations = 20_000;

    @Option(names = "--write-share", description = "Percent of operations that write (default: ${DEFAULT-VALUE}).")
    double writeSharePercent = 1;

    @Option(names = "--seed", description = "Seed of the data and of the workload (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--posts", description = "Posts to seed (default: ${DEFAULT-VALUE}).")
    int posts = 2_000;

    @Option(names = "--categories", description = "Categories to seed (default: ${DEFAULT-VALUE}).")
    int categories = 20;

    @Option(names = "--tags", description = "Tags to seed (default: ${DEFAULT-VALUE}).")
    int tags = 50;

    @Option(names = "--skew", description = "Zipf exponent of the ids read and edited (default: ${DEFAULT-VALUE}).")
    double skew = 1.1;

    @Option(names = "--verify-every", description = "Compare every N-th cached read with the database"
            + " (default: ${DEFAULT-VALUE}).")
    int verifyEvery = 10;

    @Option(names = "--warmup", description = "Operations run without and with the cache before measuring,"
            + " so neither run pays for JIT compilation (default: ${DEFAULT-VALUE}).")
    long warmup = 10_000;

    @Option(names = "--rounds", description = "Runs without and with the cache, alternating; the speedup"
            + " compares their median times, the counts are the last round's (default: ${DEFAULT-VALUE}).")
    int rounds = 3;

    @Spec
    CommandSpec spec;

    private Outcome outcome;

    /** What a finished demo measured; for tests. */
    record Outcome(RunResult uncached, RunResult cached, CacheStats stats) {
    }

    /** Runs the demo and exits with its exit code. */
    public static void main(String[] args) {
        // The demo's own H2 server listens on loopback only (read when H2's classes load).
        if (System.getProperty("h2.bindAddress") == null) {
            System.setProperty("h2.bindAddress", "127.0.0.1");
        }
        System.exit(new CommandLine(new Demo()).execute(args));
    }

    /** Runs the demo; see the class comment for the exit codes. */
    @Override
    public Integer call() {
        validate();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return run(out);
        } catch (Runner.RunFailure e) {
            err.println();
            err.println("FAILED: " + e.getMessage());
            e.getCause().printStackTrace(err);
            err.flush();
            return FAILURE;
        } catch (SQLException | RuntimeException e) {
            err.println();
            err.println("FAILED while setting up: " + e);
            e.printStackTrace(err);
            err.flush();
            return FAILURE;
        }
    }

    /** The result of the last {@link #call()}, or null if it did not get that far. */
    Outcome outcome() {
        return outcome;
    }

    private int run(PrintWriter out) throws SQLException, Runner.RunFailure {
        if (jdbcUrl != null) {
            return run(out, jdbcUrl);
        }
        try (H2Server server = H2Server.start()) {
            return run(out, server.url());
        }
    }

    private int run(PrintWriter out, String url) throws SQLException, Runner.RunFailure {
        DataSource database = new UrlDataSource(url, user, password);
        Seeder.Sizes sizes = new Seeder.Sizes(categories, posts, tags);
        Workload.Settings settings = new Workload.Settings(sizes, writeSharePercent / 100, skew);
        QueryCounters queries = new QueryCounters();
        try (Cacheops cacheops = cacheops(queries)) {
            if (warmup > 0) {
                out.printf("warming up (%,d operations without and with the cache)...%n", warmup);
                out.flush();
                measure(database, sizes, settings, warmup, null, false);
                measure(database, sizes, settings, warmup, cacheops, false);
            }
            out.printf("running (%d rounds without and with the cache, alternating)...%n", rounds);
            out.flush();
            // One run of each lasts a second or two here, and a single pair varied from 0.97x to 1.49x
            // between runs of the demo: the median of alternating rounds is what it reports.
            List<Duration> uncachedWalls = new ArrayList<>();
            List<Duration> cachedWalls = new ArrayList<>();
            Measured uncached = null;
            Measured cached = null;
            for (int round = 1; round <= rounds; round++) {
                boolean last = round == rounds;
                uncached = measure(database, sizes, settings, operations, null, false);
                queries.reset();
                cached = measure(database, sizes, settings, operations, cacheops, last);
                uncachedWalls.add(uncached.result().wall());
                cachedWalls.add(cached.result().wall());
            }
            RunResult without = uncached.result().withWall(median(uncachedWalls));
            RunResult with = cached.result().withWall(median(cachedWalls));
            outcome = new Outcome(without, with, cached.stats());

            Report.Setup setup = new Report.Setup(describe(database, url), store(), cached.seeded(), seed, operations,
                    settings.writeShare(), skew, verifyEvery, rounds);
            out.println();
            new Report(setup, without, with, cached.stats(), queries).print(out);
            return with.mismatches() == 0 ? 0 : MISMATCH;
        }
    }

    /** One run and what it needs around it. */
    private record Measured(Seeder.Seeded seeded, RunResult result, CacheStats stats) {
    }

    private static Duration median(List<Duration> walls) {
        List<Duration> sorted = walls.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : sorted.get(n / 2 - 1).plus(sorted.get(n / 2)).dividedBy(2);
    }

    /**
     * Seeds a fresh database and runs the workload on it: directly when {@code cacheops} is null,
     * otherwise through it, comparing every {@code --verify-every}-th read with the database when
     * {@code verify}.
     */
    private Measured measure(DataSource database, Seeder.Sizes sizes, Workload.Settings settings, long ops,
                             Cacheops cacheops, boolean verify) throws SQLException, Runner.RunFailure {
        Seeder.Seeded seeded = Seeder.seed(database, sizes, seed);
        CountingDataSource counting = new CountingDataSource(database);
        Workload workload = new Workload(settings, seed);
        if (cacheops == null) {
            RunResult r = new Runner("without cache", counting, counting.dataSource(), null, 0).run(workload, ops);
            return new Measured(seeded, r, null);
        }
        // The tables were just recreated behind the cache's back: results of an earlier run (this
        // process's warm-up, or another process using the same prefix) describe rows that are gone.
        cacheops.invalidateAll();
        CacheStats before = cacheops.stats();
        try (Verifier verifier = new Verifier(database)) {
            // a new wrap per run: it learns the recreated tables' catalog afresh
            DataSource cached = cacheops.wrap(counting.dataSource());
            RunResult r = new Runner("with cache", counting, cached, verify ? verifier : null, verifyEvery)
                    .run(workload, ops);
            return new Measured(seeded, r, StatsDelta.between(before, cacheops.stats()));
        }
    }

    private Cacheops cacheops(QueryCounters queries) {
        Cacheops.Builder builder = redis == null ? Cacheops.builder().inMemory() : Cacheops.builder().redis(redis);
        // Every table, every kind of read, the way an application that opts in wholesale would
        // configure it; timeouts are long so that only invalidation, never expiry, removes results.
        return builder.prefix(prefix)
                .profile("*", Op.ALL, Duration.ofMinutes(30))
                .listener(queries)
                .build();
    }

    private String describe(DataSource database, String url) throws SQLException {
        try (Connection c = database.getConnection()) {
            DatabaseMetaData md = c.getMetaData();
            String where = jdbcUrl != null ? url : url + " (an H2 server this demo started: each query crosses"
                    + " a loopback socket)";
            return md.getDatabaseProductName() + " " + md.getDatabaseProductVersion() + " at " + where;
        }
    }

    private String store() {
        if (redis == null) {
            return "in-process (Cacheops.builder().inMemory()), this JVM only";
        }
        return "Redis at " + withoutCredentials(redis) + ", key prefix " + prefix;
    }

    private static String withoutCredentials(String uri) {
        try {
            URI u = URI.create(uri);
            return u.getUserInfo() == null ? uri : uri.replace(u.getRawUserInfo() + "@", "***@");
        } catch (IllegalArgumentException e) {
            return "(unparsable URI)";
        }
    }

    private void validate() {
        positive("--operations", operations);
        positive("--posts", posts);
        positive("--categories", categories);
        positive("--tags", tags);
        positive("--verify-every", verifyEvery);
        positive("--rounds", rounds);
        if (warmup < 0) {
            throw bad("--warmup must not be negative, was " + warmup);
        }
        if (writeSharePercent < 0 || writeSharePercent > 100) {
            throw bad("--write-share is a percentage between 0 and 100, was " + writeSharePercent);
        }
        if (skew <= 0) {
            throw bad("--skew must be positive, was " + skew);
        }
    }

    private void positive(String option, long value) {
        if (value < 1) {
            throw bad(option + " must be at least 1, was " + value);
        }
    }

    private ParameterException bad(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
