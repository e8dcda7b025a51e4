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
 * overall, per query shape (tag), and per the write most likely to have caused it ({@link WriteLog}
 * says how that is guessed).
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
    private final Map<String, long[]> byCause = new TreeMap<>();
    /** Per read: the result last seen stored, and the write log's position then. */
    private final Map<String, Seen> stored = new HashMap<>();
    private final WriteLog writes = new WriteLog();

    private record Seen(ResultRows rows, int position) {
    }

    /** Forgets the stored results (a new run starts with an empty cache); counters stay. */
    void newRun() {
        stored.clear();
        writes.clear();
    }

    void record(Outcome o) {
        ops++;
        writes.record(o);
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
            stored.put(key, new Seen(o.cached(), writes.position()));
        }
        if (o.kind() == ReadProbe.Kind.MISS) {
            Seen before = stored.get(key);
            if (before != null) {
                rereads++;
                tag[1]++;
                long[] cause = byCause.computeIfAbsent(writes.cause(r.sql(), before.position()), c -> new long[2]);
                cause[0]++;
                if (ResultComparator.same(before.rows(), o.direct(), r.ordered())) {
                    unnecessary++;
                    tag[2]++;
                    cause[1]++;
                }
            }
            if (o.stored()) {
                stored.put(key, new Seen(o.cached(), writes.position()));
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
        List<Map.Entry<String, long[]>> causes = new ArrayList<>(byCause.entrySet());
        causes.sort((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]));
        sb.append("\nunnecessary by write shape (the last committed write reaching the read's tables, "
                + "unnecessary/re-reads):");
        for (Map.Entry<String, long[]> e : causes) {
            long[] v = e.getValue();
            sb.append(String.format("%n  %-48s %6d/%-6d", e.getKey(), v[1], v[0]));
        }
        return sb.toString();
    }

    private static double ratio(long[] v) {
        return v[1] == 0 ? 0 : (double) v[2] / v[1];
    }
}
