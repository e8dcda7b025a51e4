package dev.cacheops.demo;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What one run of the workload did.
 *
 * @param label          "without cache" or "with cache"
 * @param operations     operations executed
 * @param byKind         operations by kind
 * @param dbReads        select statements that reached the database (including the cache's own)
 * @param dbWrites       other statements that reached the database
 * @param wall           time spent executing the workload, verification excluded
 * @param verification   time spent verifying reads against the database
 * @param verified       reads compared with the database
 * @param mismatches     compared reads that differed
 * @param samples        the first few differences, word for word
 */
record RunResult(String label, long operations, Map<Workload.Kind, Long> byKind, long dbReads, long dbWrites,
                 Duration wall, Duration verification, long verified, long mismatches, List<String> samples) {

    long reads() {
        return byKind.entrySet().stream().filter(e -> e.getKey().read).mapToLong(Map.Entry::getValue).sum();
    }

    long writes() {
        return operations - reads();
    }

    /** The same counts with another wall time (the median of several rounds). */
    RunResult withWall(Duration median) {
        return new RunResult(label, operations, byKind, dbReads, dbWrites, median, verification, verified, mismatches,
                samples);
    }

    long dbStatements() {
        return dbReads + dbWrites;
    }
}
