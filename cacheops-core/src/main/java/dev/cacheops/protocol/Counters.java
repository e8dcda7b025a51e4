package dev.cacheops.protocol;

import dev.cacheops.CacheStats;
import dev.cacheops.CacheopsListener;
import dev.cacheops.PassReason;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The counters behind {@link CacheStats}, and the one place listeners are called from, so that a
 * listener's exception can never reach the application. Thread-safe.
 *
 * <p>Besides the totals, hits, misses and pass-throughs are counted per table (the table whose
 * profile applies to the read, or {@code function <name>} for cached functions) and invalidations
 * per invalidated table. Stores, refused stores and store errors are counted in the totals only.
 */
public final class Counters {
    private static final Logger LOG = LoggerFactory.getLogger(Counters.class);

    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder stores = new LongAdder();
    private final LongAdder storesRefused = new LongAdder();
    private final LongAdder invalidations = new LongAdder();
    private final LongAdder storeErrors = new LongAdder();
    private final LongAdder derived = new LongAdder();
    private final Map<PassReason, LongAdder> passThroughs = new EnumMap<>(PassReason.class);
    private final CacheopsListener listener;
    /** Per table; bounded by the number of tables (and cached functions) the application has. */
    private final Map<String, TableCounters> tables = new ConcurrentHashMap<>();

    public Counters(CacheopsListener listener) {
        this.listener = listener;
        for (PassReason r : PassReason.values()) {
            passThroughs.put(r, new LongAdder());
        }
    }

    public void read(String sql, String table, boolean hit) {
        (hit ? hits : misses).increment();
        if (table != null) {
            (hit ? table(table).hits : table(table).misses).increment();
        }
        try {
            listener.cacheRead(sql, table, hit);
        } catch (RuntimeException e) {
            LOG.warn("cacheops listener failed in cacheRead", e);
        }
    }

    public void passThrough(String sql, PassReason reason) {
        passThrough(sql, null, reason);
    }

    /** A pass-through of a read whose profile table is known ({@code table} may be null). */
    public void passThrough(String sql, String table, PassReason reason) {
        passThroughs.get(reason).increment();
        if (table != null) {
            table(table).passThroughs.get(reason).increment();
        }
        try {
            listener.passedThrough(sql, reason);
        } catch (RuntimeException e) {
            LOG.warn("cacheops listener failed in passedThrough", e);
        }
    }

    void invalidated(String table, boolean whole, int rows) {
        invalidations.increment();
        table(table).invalidations.increment();
        try {
            listener.invalidated(table, whole, rows);
        } catch (RuntimeException e) {
            LOG.warn("cacheops listener failed in invalidated", e);
        }
    }

    /**
     * A store call has finished: tells the listener how long it took since {@code startNanos}
     * (a {@link System#nanoTime()} value). Called on the store's I/O thread for asynchronous calls.
     */
    void storeCall(String operation, long startNanos, boolean failed) {
        try {
            listener.storeCalled(operation, System.nanoTime() - startNanos, failed);
        } catch (RuntimeException e) {
            LOG.warn("cacheops listener failed in storeCalled", e);
        }
    }

    void stored(boolean stored) {
        (stored ? stores : storesRefused).increment();
    }

    void derived(int stored) {
        derived.add(stored);
    }

    void storeError() {
        storeErrors.increment();
    }

    private TableCounters table(String table) {
        TableCounters c = tables.get(table);
        return c != null ? c : tables.computeIfAbsent(table, t -> new TableCounters());
    }

    /** The counters kept per table: reads, pass-throughs and invalidations. */
    private static final class TableCounters {
        final LongAdder hits = new LongAdder();
        final LongAdder misses = new LongAdder();
        final LongAdder invalidations = new LongAdder();
        final Map<PassReason, LongAdder> passThroughs = new EnumMap<>(PassReason.class);

        TableCounters() {
            for (PassReason r : PassReason.values()) {
                passThroughs.put(r, new LongAdder());
            }
        }

        CacheStats snapshot() {
            Map<PassReason, Long> pass = new EnumMap<>(PassReason.class);
            passThroughs.forEach((r, n) -> pass.put(r, n.sum()));
            return new CacheStats(hits.sum(), misses.sum(), 0, 0, invalidations.sum(), pass, 0);
        }
    }

    /** Snapshots per table, sorted by name. */
    public Map<String, CacheStats> snapshotByTable() {
        Map<String, CacheStats> out = new TreeMap<>();
        tables.forEach((t, c) -> out.put(t, c.snapshot()));
        return out;
    }

    /** A consistent-enough snapshot (each counter read once). */
    public CacheStats snapshot() {
        Map<PassReason, Long> pass = new EnumMap<>(PassReason.class);
        passThroughs.forEach((r, n) -> pass.put(r, n.sum()));
        return new CacheStats(hits.sum(), misses.sum(), stores.sum(), storesRefused.sum(),
                invalidations.sum(), pass, storeErrors.sum(), derived.sum());
    }
}
