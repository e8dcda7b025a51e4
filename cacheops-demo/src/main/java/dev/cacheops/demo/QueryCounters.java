package dev.cacheops.demo;

import dev.cacheops.CacheopsListener;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts hits and misses per kind of read, from the cache's listener events, so the report can
 * show which queries the cache serves well (a per-category count survives most writes; the
 * top-categories aggregate does not). Thread-safe.
 */
final class QueryCounters implements CacheopsListener {
    private final Map<Workload.Kind, LongAdder> hits = new EnumMap<>(Workload.Kind.class);
    private final Map<Workload.Kind, LongAdder> misses = new EnumMap<>(Workload.Kind.class);
    private final LongAdder unrecognised = new LongAdder();

    QueryCounters() {
        for (Workload.Kind kind : Workload.Kind.values()) {
            hits.put(kind, new LongAdder());
            misses.put(kind, new LongAdder());
        }
    }

    @Override
    public void cacheRead(String sql, String table, boolean hit) {
        for (Workload.Kind kind : Workload.Kind.values()) {
            if (kind.sql.equals(sql)) {
                (hit ? hits : misses).get(kind).increment();
                return;
            }
        }
        unrecognised.increment();
    }

    /** Starts counting from zero (after the warm-up). */
    void reset() {
        hits.values().forEach(LongAdder::reset);
        misses.values().forEach(LongAdder::reset);
        unrecognised.reset();
    }

    long hits(Workload.Kind kind) {
        return hits.get(kind).sum();
    }

    long misses(Workload.Kind kind) {
        return misses.get(kind).sum();
    }

    /** Cache lookups of SQL the workload does not issue (expected 0). */
    long unrecognised() {
        return unrecognised.sum();
    }
}
