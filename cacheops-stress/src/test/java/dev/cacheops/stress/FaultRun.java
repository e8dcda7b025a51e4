package dev.cacheops.stress;

import dev.cacheops.Cacheops;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Runs faults one after another under a running {@link Workload}, each in a phase of its own, and
 * measures for each how long after the fault ended the cache served its first hit again (the
 * recovery time). Then checks every read of every phase against the commit log. Not thread-safe.
 */
final class FaultRun {
    /** One fault: what to do, then how long after the action returns the fault lasts. */
    record Fault(String name, Runnable action, long lastsMillisAfterAction) {
    }

    /** One row of the fault matrix. */
    record Row(String fault, long reads, long commits, long errors, long staleReads, long maxStaleMicros,
               long maxLatencyMicros, long recoveryMillis) {
        @Override
        public String toString() {
            return String.format("%-22s reads=%6d commits=%5d appErrors=%d staleReads=%d maxStale=%.1fms "
                            + "maxLatency=%.0fms recovery=%s", fault, reads, commits, errors, staleReads,
                    maxStaleMicros / 1000.0, maxLatencyMicros / 1000.0,
                    recoveryMillis < 0 ? "no hit within 30 s" : recoveryMillis + "ms");
        }
    }

    private final Workload workload;
    private final LongSupplier hits;
    private final List<String> names = new ArrayList<>();
    private final List<Long> recoveries = new ArrayList<>();

    FaultRun(Workload workload, Cacheops cacheops) {
        this.workload = workload;
        this.hits = () -> cacheops.stats().hits();
        names.add("steady");
        recoveries.add(0L);
    }

    /** Runs the fault in a new phase, waits for the first hit after it (bounded), then settles. */
    void inject(Fault fault, long settleMillis) {
        int phase = names.size();
        Phases.name(phase, fault.name());
        names.add(fault.name());
        workload.phase(phase);
        fault.action().run();
        StressSchema.sleep(fault.lastsMillisAfterAction());
        long end = System.nanoTime();
        long before = hits.getAsLong();
        long recovery = -1;
        while (System.nanoTime() - end < 30_000_000_000L) {
            if (hits.getAsLong() > before) {
                recovery = (System.nanoTime() - end) / 1_000_000;
                break;
            }
            StressSchema.sleep(10);
        }
        recoveries.add(recovery);
        StressSchema.sleep(settleMillis);
        workload.phase(0);
        StressSchema.sleep(settleMillis);
    }

    /** After the workload stopped: the matrix, one row per phase. */
    List<Row> matrix(StressSchema schema) throws Exception {
        StaleReadChecker checker = new StaleReadChecker();
        try (Connection raw = schema.raw()) {
            checker.load(raw);
        }
        for (ReadLog log : workload.readLogs()) {
            checker.check(log.drainAll());
        }
        OpStats s = workload.stats();
        List<Row> rows = new ArrayList<>();
        for (int p = 0; p < names.size(); p++) {
            rows.add(new Row(names.get(p), s.reads(p), s.commits(p), s.errors(p), checker.violations(p),
                    checker.maxWindowMicros(p), s.maxLatencyMicros(p), recoveries.get(p)));
        }
        examples.addAll(checker.examples());
        examples.addAll(s.errorExamples());
        return rows;
    }

    final List<String> examples = new ArrayList<>();
}
