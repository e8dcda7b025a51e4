package dev.cacheops;

import java.util.Map;

/**
 * A snapshot of a {@link Cacheops} instance's counters since it was built. Immutable.
 *
 * @param hits           reads served from the cache
 * @param misses         cacheable reads that went to the database
 * @param stores         results stored after a miss
 * @param storesRefused  results not stored because a stamp changed or a write was in progress
 *                       while the query ran (the race-free fill at work)
 * @param invalidations  table invalidations carried out (one per table per commit)
 * @param passThroughs   reads that bypassed the cache, by reason
 * @param storeErrors    operations on the store that failed (timeouts, connection loss)
 */
public record CacheStats(long hits, long misses, long stores, long storesRefused, long invalidations,
                         Map<PassReason, Long> passThroughs, long storeErrors) {
    public CacheStats {
        passThroughs = Map.copyOf(passThroughs);
    }

    /** Sum of all pass-throughs. */
    public long passThroughTotal() {
        return passThroughs.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Hits divided by cacheable reads, or 0 when there were none. */
    public double hitRatio() {
        long reads = hits + misses;
        return reads == 0 ? 0 : (double) hits / reads;
    }
}
