package dev.cacheops.stress;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The outcome of one JVM's run, and its one-line text form ({@code RESULT k=v ...}) by which a
 * forked JVM reports to its parent. Immutable.
 *
 * @param jvm               the JVM's index
 * @param reads             read operations (one or two rows each)
 * @param rowsChecked       rows read and checked against the commit log
 * @param commits           committed write transactions (auto-commit or explicit)
 * @param violations        stale reads (see {@link StaleReadChecker})
 * @param maxWindowMicros   largest stale window
 * @param hits              cache hits (from {@code Cacheops.stats()})
 * @param misses            cache misses
 * @param storeErrors       store operations that failed
 * @param errors            exceptions the application saw
 * @param maxLatencyMicros  largest latency of one read or write transaction
 * @param finalMismatches   cached reads after the writers stopped that differed from the database
 * @param notes             violation and error examples, one per line
 * @param lateStale         violations whose window exceeded the bound ({@link StaleReadChecker#late()})
 * @param near              what the {@link WindowProbe} measured, or null without a near cache
 */
public record WorkerResult(int jvm, long reads, long rowsChecked, long commits, long violations, long maxWindowMicros,
                           long hits, long misses, long storeErrors, long errors, long maxLatencyMicros,
                           long finalMismatches, List<String> notes, long lateStale, NearWindows near) {

    /** Hits divided by hits plus misses. */
    public double hitRatio() {
        return hits + misses == 0 ? 0 : (double) hits / (hits + misses);
    }

    /** The {@code RESULT} line. */
    public String line() {
        return String.format("RESULT jvm=%d reads=%d rowsChecked=%d commits=%d violations=%d maxWindowMicros=%d hits=%d "
                        + "misses=%d storeErrors=%d errors=%d maxLatencyMicros=%d finalMismatches=%d lateStale=%d",
                jvm, reads, rowsChecked, commits, violations, maxWindowMicros, hits, misses, storeErrors, errors,
                maxLatencyMicros, finalMismatches, lateStale);
    }

    /** Parses a {@code RESULT} line and the {@code NOTE} and {@code NEAR} lines of the same output. */
    public static WorkerResult parse(List<String> output) {
        Map<String, Long> v = new TreeMap<>();
        List<String> notes = new ArrayList<>();
        for (String line : output) {
            if (line.startsWith("RESULT ")) {
                for (String kv : line.substring(7).trim().split(" ")) {
                    String[] p = kv.split("=", 2);
                    v.put(p[0], Long.parseLong(p[1]));
                }
            } else if (line.startsWith("NOTE ")) {
                notes.add(line.substring(5));
            }
        }
        if (v.isEmpty()) {
            throw new IllegalStateException("no RESULT line in the worker's output");
        }
        return new WorkerResult(v.get("jvm").intValue(), v.get("reads"), v.get("rowsChecked"), v.get("commits"),
                v.get("violations"), v.get("maxWindowMicros"), v.get("hits"), v.get("misses"), v.get("storeErrors"),
                v.get("errors"), v.get("maxLatencyMicros"), v.get("finalMismatches"), notes,
                v.getOrDefault("lateStale", 0L), NearWindows.parse(output));
    }
}
