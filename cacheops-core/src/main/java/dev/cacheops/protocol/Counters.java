package dev.cacheops.protocol;

import dev.cacheops.CacheStats;
import dev.cacheops.CacheopsListener;
import dev.cacheops.PassReason;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The counters behind {@link CacheStats}, and the one place listeners are called from, so that a
 * listener's exception can never reach the application. Thread-safe.
 */
public final class Counters {
    private static final Logger LOG = LoggerFactory.getLogger(Counters.class);

    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder stores = new LongAdder();
    private final LongAdder storesRefused = new LongAdder();
    private final LongAdder invalidations = new LongAdder();
    private final LongAdder storeErrors = new LongAdder();
    private final Map<PassReason, LongAdder> passThroughs = new EnumMap<>(PassReason.class);
    private final CacheopsListener listener;

    public Counters(CacheopsListener listener) {
        this.listener = listener;
        for (PassReason r : PassReason.values()) {
            passThroughs.put(r, new LongAdder());
        }
    }

    public void read(String sql, String table, boolean hit) {
        (hit ? hits : misses).increment();
        try {
            listener.cacheRead(sql, table, hit);
        } catch (RuntimeException e) {
            LOG.warn("cacheops listener failed in cacheRead", e);
        }
    }

    public void passThrough(String sql, PassReason reason) {
        passThroughs.get(reason).increment();
        try {
            listener.passedThrough(sql, reason);
        } catch (RuntimeException e) {
            LOG.warn("cacheops listener failed in passedThrough", e);
        }
    }

    void invalidated(String table, boolean whole, int rows) {
        invalidations.increment();
        try {
            listener.invalidated(table, whole, rows);
        } catch (RuntimeException e) {
            LOG.warn("cacheops listener failed in invalidated", e);
        }
    }

    void stored(boolean stored) {
        (stored ? stores : storesRefused).increment();
    }

    void storeError() {
        storeErrors.increment();
    }

    /** A consistent-enough snapshot (each counter read once). */
    public CacheStats snapshot() {
        Map<PassReason, Long> pass = new EnumMap<>(PassReason.class);
        passThroughs.forEach((r, n) -> pass.put(r, n.sum()));
        return new CacheStats(hits.sum(), misses.sum(), stores.sum(), storesRefused.sum(),
                invalidations.sum(), pass, storeErrors.sum());
    }
}
