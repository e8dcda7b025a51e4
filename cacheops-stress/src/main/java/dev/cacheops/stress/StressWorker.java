package dev.cacheops.stress;

import dev.cacheops.CacheStats;
import dev.cacheops.Cacheops;
import dev.cacheops.Op;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * One JVM of a stress run: builds its own {@link Cacheops} on the shared Redis and prefix, runs the
 * {@link Workload}, waits at a database barrier until every JVM's writers have stopped, checks the
 * final state (every row read through the cache equals the database) and every read it logged
 * against the complete commit log; with a bypassing writer, waits for the change stream
 * ({@link StreamFence}) before checking the final state. {@link #main} runs it in a forked JVM and prints the
 * {@link WorkerResult} line; the parent runs it in process. Long runs check and forget their old
 * reads every {@value #CHECK_EVERY_SECONDS} seconds, so memory stays bounded.
 */
public final class StressWorker {
    static final long CHECK_EVERY_SECONDS = 20;
    /** Reads younger than this are not checked in a periodic check: their commits may not be logged yet. */
    private static final long CHECK_LAG_MICROS = 10_000_000L;

    private final StressSettings settings;
    private final StressSchema schema;

    public StressWorker(StressSettings settings) {
        this.settings = settings;
        this.schema = new StressSchema(settings);
    }

    /** Builds the Cacheops every JVM of the run uses: same Redis, same prefix. */
    public static Cacheops cacheops(StressSettings s) {
        Cacheops.Builder b = Cacheops.builder();
        if (s.bypass()) {
            // Every JVM is configured with the slot, as every instance of an application would be: one consumes.
            b.changeStream(s.changeStreamUrl(), s.slot());
        }
        return b
                .redis(s.redisUri())
                .prefix(s.prefix())
                .consistency(s.consistency())
                .redisTimeout(s.redisTimeout())
                .redisConnectTimeout(Duration.ofSeconds(5))
                .profile("counter", Op.ALL, Duration.ofMinutes(10))
                .nearCache(s.nearCacheBytes())
                .build();
    }

    /** Runs this JVM's part and returns what it saw. */
    public WorkerResult run() throws SQLException, InterruptedException {
        try (Cacheops cacheops = cacheops(settings); Stalls stalls = new Stalls()) {
            DataSource cached = cacheops.wrap(schema.dataSource());
            Workload workload = new Workload(settings, cached, schema);
            if (workload.probe() != null) {
                workload.probe().stalls(stalls);
            }
            StaleReadChecker checker = new StaleReadChecker(settings.staleBound().toNanos() / 1000,
                    settings.bypass() ? settings.firstBypassId() : Integer.MAX_VALUE);
            List<String> notes = new ArrayList<>();
            warmUp(cacheops, cached, notes);
            workload.start();
            long deadline = System.nanoTime() + settings.duration().toNanos() + 120_000_000_000L;
            long nextCheck = System.nanoTime() + CHECK_EVERY_SECONDS * 1_000_000_000L;
            while (workload.alive() && System.nanoTime() < deadline) {
                if (System.nanoTime() > nextCheck) {
                    periodicCheck(workload, checker);
                    nextCheck = System.nanoTime() + CHECK_EVERY_SECONDS * 1_000_000_000L;
                }
                Thread.sleep(200);
            }
            workload.stop();
            boolean ended = workload.await(60_000);
            if (!ended) {
                notes.add("some workload threads did not stop within 60 s of the end");
            }
            if (!schema.barrier("writers-done", Duration.ofMinutes(3))) {
                notes.add("the other JVMs did not reach the end within 3 minutes: the check may miss commits");
            }
            if (settings.bypass()) {
                try (Connection raw = schema.raw()) {
                    if (!StreamFence.await(raw, settings.slot(), Duration.ofSeconds(60))) {
                        notes.add("the change stream did not catch up within 60 s of the end");
                    }
                }
            }
            long mismatches = finalState(schema, cached, notes);
            try (Connection raw = schema.raw()) {
                checker.load(raw);
            }
            for (ReadLog log : workload.readLogs()) {
                checker.check(log.drainAll());
            }
            NearWindows near = null;
            if (workload.probe() != null && ended && settings.bypass()) {
                try (Connection raw = schema.raw()) {
                    near = workload.probe().evaluateBypass(raw, settings.firstBypassId(),
                            settings.staleBound().toNanos() / 1000);
                }
                notes.add("change stream: " + (cacheops.consumingChangeStream() ? "consumed by this JVM" : "not this JVM")
                        + "; stale reads of bypassed rows by the ticketed readers: " + checker.bypassStale());
                notes.add(stalls.describe(settings.staleBound().toNanos() / 1000));
                notes.addAll(workload.probe().examples());
            } else if (workload.probe() != null && ended) {
                try (Connection raw = schema.raw()) {
                    near = workload.probe().evaluate(raw, settings.jvmIndex(), settings.staleBound().toNanos() / 1000);
                }
                notes.add("near cache: " + cacheops.nearCacheStats());
                notes.add(stalls.describe(settings.staleBound().toNanos() / 1000));
                notes.addAll(workload.probe().examples());
            } else if (workload.probe() != null) {
                notes.add("the window probe did not stop: no near-cache windows");
            }
            notes.addAll(checker.examples());
            notes.addAll(workload.stats().errorExamples());
            schema.barrier("checked", Duration.ofMinutes(3));
            CacheStats cs = cacheops.stats();
            OpStats os = workload.stats();
            return new WorkerResult(settings.jvmIndex(), os.reads(), checker.reads(), os.commits(),
                    checker.violations(), checker.maxWindowMicros(), cs.hits(), cs.misses(), cs.storeErrors(),
                    os.errors(), os.maxLatencyMicros(), mismatches, notes, checker.late(), near);
        }
    }

    /**
     * Waits (bounded) until this JVM's Cacheops serves a hit, then until every JVM has: so the run
     * measures the steady state. A JVM whose store is not connected yet commits without
     * invalidating (and says so only in its own log), and the others would serve what it
     * overwrote: that start-up window is reported as a problem of its own, not measured here.
     */
    private void warmUp(Cacheops cacheops, DataSource cached, List<String> notes) throws SQLException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        try (Connection c = cached.getConnection()) {
            while (cacheops.stats().hits() == 0 && System.nanoTime() < deadline) {
                Workload.readOne(c, 1);
                StressSchema.sleep(50);
            }
        }
        if (cacheops.stats().hits() == 0) {
            notes.add("jvm " + settings.jvmIndex() + ": no cache hit within 60 s of start; Redis not connected?");
        }
        if (settings.bypass()) {
            // The stream must be consumed before the bypassing writers start, or their first windows
            // measure the consumer's start-up.
            try (Connection raw = schema.raw()) {
                if (!StreamFence.await(raw, settings.slot(), Duration.ofSeconds(60))) {
                    notes.add("jvm " + settings.jvmIndex() + ": the change stream was not consumed within 60 s");
                }
            }
        }
        if (!schema.barrier("ready", Duration.ofMinutes(3))) {
            notes.add("the other JVMs were not ready within 3 minutes");
        }
    }

    private void periodicCheck(Workload workload, StaleReadChecker checker) throws SQLException {
        try (Connection raw = schema.raw()) {
            checker.load(raw);
        }
        long cutoff = CommitLog.nowMicros() - CHECK_LAG_MICROS;
        for (ReadLog log : workload.readLogs()) {
            checker.check(log.drainBefore(cutoff));
        }
    }

    /**
     * After every writer stopped: each row read through the cache (twice, so the second is a hit
     * when the first stored) must equal the database.
     */
    static long finalState(StressSchema schema, DataSource cached, List<String> notes) throws SQLException {
        long[] db = schema.versions();
        long mismatches = 0;
        try (Connection c = cached.getConnection()) {
            for (int round = 0; round < 2; round++) {
                for (int id = 1; id < db.length; id++) {
                    long v = Workload.readOne(c, id);
                    if (v != db[id]) {
                        mismatches++;
                        if (notes.size() < 40) {
                            notes.add("final state: row " + id + " read " + v + " through the cache, database has "
                                    + db[id] + " (round " + round + ")");
                        }
                    }
                }
            }
        }
        return mismatches;
    }

    /** Runs one JVM of a run with {@link StressSettings#parse} arguments; prints the result lines. */
    public static void main(String[] args) throws Exception {
        StressSettings settings = StressSettings.parse(args);
        WorkerResult r = new StressWorker(settings).run();
        for (String n : r.notes()) {
            System.out.println("NOTE " + n.replace('\n', ' '));
        }
        if (r.near() != null) {
            System.out.println(r.near().line());
        }
        System.out.println(r.line());
        System.out.flush();
        System.exit(0);
    }
}
