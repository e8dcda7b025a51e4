package dev.cacheops.checker;

import dev.cacheops.CacheStats;
import dev.cacheops.PassReason;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts what runs did: operations, reads, the cache's hits, misses and pass-throughs, mismatches,
 * and an estimate of over-invalidation. Single-threaded; accumulates over several runs.
 *
 * <p>Over-invalidation is approximated per SQL text and parameters: when a read misses while an
 * earlier result for it had been stored, that is a re-read; when the database's result equals the
 * stored one, the invalidation that removed it was unnecessary. Reported as unnecessary/re-reads,
 * overall and per query shape (tag).
 */
public final class RunStats {
    private long ops;
    private long reads;
    private long hits;
    private long misses;
    private long passThroughs;
    private long mismatches;
    private long readErrors;
    private long writeErrors;
    private long rereads;
    private long unnecessary;
    private final Map<PassReason, Long> passReasons = new EnumMap<>(PassReason.class);
    private final Map<String, long[]> byTag = new TreeMap<>();
    private final Map<String, ResultRows> stored = new HashMap<>();

    /** Forgets the stored results (a new run starts with an empty cache); counters stay. */
    void newRun() {
        stored.clear();
    }

    void record(Outcome o) {
        ops++;
        if (o.note() != null && o.note().startsWith("write failed")) {
            writeErrors++;
        }
        if (o.mismatch()) {
            // reads that differ, and writes that fail only through the cache or are taken for reads
            mismatches++;
        }
        if (!(o.action() instanceof Action.Read r)) {
            return;
        }
        reads++;
        if (o.cached().error() != null) {
            readErrors++;
        }
        String key = r.sql() + "\u0000" + r.params();
        long[] tag = byTag.computeIfAbsent(r.tag(), t -> new long[3]);
        tag[0]++;
        if (o.kind() == ReadProbe.Kind.HIT) {
            // an entry was there for sure (with Redis the store after a miss completes asynchronously)
            stored.put(key, o.cached());
        }
        if (o.kind() == ReadProbe.Kind.MISS) {
            ResultRows before = stored.get(key);
            if (before != null) {
                rereads++;
                tag[1]++;
                if (ResultComparator.same(before, o.direct(), r.ordered())) {
                    unnecessary++;
                    tag[2]++;
                }
            }
            if (o.stored()) {
                stored.put(key, o.cached());
            } else {
                stored.remove(key);
            }
        }
    }

    /** Adds the cache's own counters at the end of a run. */
    void addCacheStats(CacheStats s) {
        hits += s.hits();
        misses += s.misses();
        passThroughs += s.passThroughTotal();
        s.passThroughs().forEach((k, v) -> passReasons.merge(k, v, Long::sum));
    }

    public long mismatches() {
        return mismatches;
    }

    public long ops() {
        return ops;
    }

    /** The one summary line. */
    public String line() {
        return String.format("ops=%d, reads=%d, hits=%d, misses=%d, pass-throughs=%d, mismatches=%d, "
                        + "hit-ratio=%.3f, unnecessary-invalidations=%d/%d re-reads (%.1f%%)",
                ops, reads, hits, misses, passThroughs, mismatches, hits + misses == 0 ? 0.0 : (double) hits / (hits + misses),
                unnecessary, rereads, rereads == 0 ? 0.0 : 100.0 * unnecessary / rereads);
    }

    /** Details: pass-through reasons, errors, and the shapes with the worst over-invalidation. */
    public String details() {
        List<Map.Entry<String, long[]>> tags = new ArrayList<>(byTag.entrySet());
        tags.sort((a, b) -> Double.compare(ratio(b.getValue()), ratio(a.getValue())));
        StringBuilder sb = new StringBuilder("pass-through reasons=").append(passReasons)
                .append(", read-errors=").append(readErrors).append(", failed-writes=").append(writeErrors)
                .append("\nover-invalidation by shape (unnecessary/re-reads of reads):");
        for (Map.Entry<String, long[]> e : tags) {
            long[] v = e.getValue();
            sb.append(String.format(" %s %d/%d of %d;", e.getKey(), v[2], v[1], v[0]));
        }
        return sb.toString();
    }

    private static double ratio(long[] v) {
        return v[1] == 0 ? 0 : (double) v[2] / v[1];
    }
}
