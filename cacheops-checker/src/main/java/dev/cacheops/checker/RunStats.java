package dev.cacheops.checker;

import dev.cacheops.CacheStats;
import dev.cacheops.Explanation;
import dev.cacheops.PassReason;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Counts what runs did: operations, reads, the cache's hits, misses and pass-throughs, mismatches,
 * and an estimate of over-invalidation. Single-threaded; accumulates over several runs.
 *
 * <p>Over-invalidation is approximated per SQL text and parameters: when a read misses while an
 * earlier result for it had been stored, that is a re-read; when the database's result equals the
 * stored one, the invalidation that removed it was unnecessary. Reported as unnecessary/re-reads,
 * overall, per query shape (tag), per the write most likely to have caused it ({@link WriteLog}
 * says how that is guessed), per the kind of dependency the cache registered for the read (its
 * explanation: every table by equalities, or some or every table read whole), and how many
 * followed a manual {@code invalidateTable} of a table the read depends on (which the cache must
 * honour, so no finer invalidation can save them).
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
    private final Map<String, long[]> byDependency = new TreeMap<>();
    /**
     * Re-reads, and unnecessary ones, with a manual whole-table invalidation of a table they depend
     * on since their result was stored: that one removed it for sure, whatever else did too.
     */
    private final long[] afterManual = new long[2];
    /** Per read: the result last seen stored, the write log's position and the invalidations then. */
    private final Map<String, Seen> stored = new HashMap<>();
    private final WriteLog writes = new WriteLog();
    private Function<Action.Read, Explanation> explain = r -> null;
    private ReadProbe probe;

    private record Seen(ResultRows rows, int position, int invalidations) {
    }

    /**
     * Forgets the stored results (a new run starts with an empty cache); counters stay.
     *
     * @param explain the cache's explanation of a read (null when it cannot be had)
     * @param probe   the run's listener, which keeps the invalidations
     */
    void newRun(Function<Action.Read, Explanation> explain, ReadProbe probe) {
        stored.clear();
        writes.clear();
        this.explain = explain;
        this.probe = probe;
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
            stored.put(key, seen(o));
        }
        if (o.kind() == ReadProbe.Kind.MISS) {
            Seen before = stored.get(key);
            if (before != null) {
                rereads++;
                tag[1]++;
                long[] cause = byCause.computeIfAbsent(writes.cause(r.sql(), before.position()), c -> new long[2]);
                cause[0]++;
                boolean same = ResultComparator.same(before.rows(), o.direct(), r.ordered());
                if (same) {
                    unnecessary++;
                    tag[2]++;
                    cause[1]++;
                }
                dependency(r, before, same);
            }
            if (o.stored()) {
                stored.put(key, seen(o));
            } else {
                stored.remove(key);
            }
        }
    }

    private Seen seen(Outcome o) {
        return new Seen(o.cached(), writes.position(), probe == null ? 0 : probe.invalidationCount());
    }

    /** Counts a re-read by the kind of its dependency, and whether a manual whole-table invalidation reached it. */
    private void dependency(Action.Read r, Seen before, boolean same) {
        Explanation e;
        try {
            e = explain.apply(r);
        } catch (RuntimeException ex) {
            e = null;
        }
        Set<String> tables = new HashSet<>();
        String kind = "not explained";
        if (e != null && !e.reads().isEmpty()) {
            long whole = e.reads().stream().filter(t -> t.conjunctions().stream().anyMatch(Map::isEmpty)).count();
            kind = whole == 0 ? "every table by equalities"
                    : whole < e.reads().size() ? "some table whole" : "every table whole";
            e.reads().forEach(t -> tables.add(t.table()));
        }
        long[] d = byDependency.computeIfAbsent(kind, k -> new long[2]);
        d[0]++;
        d[1] += same ? 1 : 0;
        if (probe != null && probe.invalidationsSince(before.invalidations()).stream()
                .anyMatch(i -> i.manual() && i.whole() && tables.contains(i.table()))) {
            afterManual[0]++;
            afterManual[1] += same ? 1 : 0;
        }
    }

    /** Adds the cache's own counters at the end of a run. */
    void addCacheStats(CacheStats s) {
        hits += s.hits();
        misses += s.misses();
        passThroughs += s.passThroughTotal();
        derivedStores += s.derivedStores();
        s.passThroughs().forEach((k, v) -> passReasons.merge(k, v, Long::sum));
    }

    /** Lookups of a row stored from the rows of other results (DESIGN §3, "Rows of a result"). */
    private long derivedStores;

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
                .append(", lookups stored from other results' rows=").append(derivedStores)
                .append(", read-errors=").append(readErrors).append(", failed-writes=").append(writeErrors)
                .append("\nover-invalidation by shape (unnecessary/re-reads of reads):");
        for (Map.Entry<String, long[]> e : tags) {
            long[] v = e.getValue();
            sb.append(String.format(" %s %d/%d of %d;", e.getKey(), v[2], v[1], v[0]));
        }
        sb.append("\nover-invalidation by dependency (unnecessary/re-reads):");
        byDependency.forEach((k, v) -> sb.append(String.format(" %s %d/%d;", k, v[1], v[0])));
        sb.append(String.format("%nafter a manual invalidateTable of a table read (asked for, so necessary to the "
                        + "cache): %d/%d re-reads",
                afterManual[1], afterManual[0]));
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
