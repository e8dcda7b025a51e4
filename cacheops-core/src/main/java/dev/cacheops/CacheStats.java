package dev.cacheops;

import java.util.EnumMap;
import java.util.Map;

/**
 * A snapshot of a {@link Cacheops} instance's counters since it was built. Immutable.
 *
 * @param hits           reads served from the cache
 * @param misses         cacheable reads that went to the database
 * @param stores         results stored after a miss
 * @param storesRefused  results not stored because a stamp changed while the query ran, or a
 *                       write in progress could change them (the race-free fill at work)
 * @param invalidations  table invalidations carried out (one per table per commit)
 * @param passThroughs   reads that bypassed the cache, by reason
 * @param storeErrors    operations on the store that failed (timeouts, connection loss)
 * @param derivedStores  lookups of one row by key stored from the rows of other results
 *                       ({@link Cacheops.Builder#rowsFromResults}); not among {@code stores}
 */
public record CacheStats(long hits, long misses, long stores, long storesRefused, long invalidations,
                         Map<PassReason, Long> passThroughs, long storeErrors, long derivedStores) {
    public CacheStats {
        passThroughs = Map.copyOf(passThroughs);
    }

    /** Counters without derived stores. */
    public CacheStats(long hits, long misses, long stores, long storesRefused, long invalidations,
                      Map<PassReason, Long> passThroughs, long storeErrors) {
        this(hits, misses, stores, storesRefused, invalidations, passThroughs, storeErrors, 0);
    }

    /** The sum of this and {@code other}, counter by counter. */
    public CacheStats plus(CacheStats other) {
        Map<PassReason, Long> pass = new EnumMap<>(PassReason.class);
        pass.putAll(passThroughs);
        other.passThroughs.forEach((r, n) -> pass.merge(r, n, Long::sum));
        return new CacheStats(hits + other.hits, misses + other.misses, stores + other.stores,
                storesRefused + other.storesRefused, invalidations + other.invalidations, pass,
                storeErrors + other.storeErrors, derivedStores + other.derivedStores);
    }

    /** The counts since {@code earlier}, a snapshot of the same instance taken before this one. */
    public CacheStats minus(CacheStats earlier) {
        Map<PassReason, Long> pass = new EnumMap<>(PassReason.class);
        passThroughs.forEach((r, n) -> pass.put(r, n - earlier.passThroughs.getOrDefault(r, 0L)));
        return new CacheStats(hits - earlier.hits, misses - earlier.misses, stores - earlier.stores,
                storesRefused - earlier.storesRefused, invalidations - earlier.invalidations, pass,
                storeErrors - earlier.storeErrors, derivedStores - earlier.derivedStores);
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
