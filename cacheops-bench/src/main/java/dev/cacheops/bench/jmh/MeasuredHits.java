package dev.cacheops.bench.jmh;

import dev.cacheops.CacheStats;
import dev.cacheops.NearCacheStats;

/** Checks that a hit benchmark measured hits only. */
final class MeasuredHits {
    private MeasuredHits() {
    }

    /**
     * Fails when, between {@code before} and {@code after}, any cacheable read missed or any read
     * passed through: the measurement would then be of the database, not of the cache.
     */
    static void requireOnlyHits(String what, CacheStats before, CacheStats after) {
        long misses = after.misses() - before.misses();
        long passed = after.passThroughTotal() - before.passThroughTotal();
        long errors = after.storeErrors() - before.storeErrors();
        if (misses != 0 || passed != 0 || errors != 0) {
            throw new IllegalStateException(what + ": the hit benchmark measured " + misses + " misses, "
                    + passed + " pass-throughs and " + errors + " store errors (" + after + ")");
        }
    }

    /**
     * As {@link #requireOnlyHits}, and fails when any hit was served by Redis rather than by the
     * near cache, or when the near cache was flushed meanwhile.
     */
    static void requireOnlyNearHits(String what, CacheStats before, CacheStats after, NearCacheStats nearBefore,
                                    NearCacheStats nearAfter) {
        requireOnlyHits(what, before, after);
        long hits = after.hits() - before.hits();
        long nearHits = nearAfter.hits() - nearBefore.hits();
        if (hits != nearHits || nearAfter.flushes() != nearBefore.flushes()) {
            throw new IllegalStateException(what + ": of " + hits + " measured hits only " + nearHits
                    + " were near hits (" + nearAfter + ")");
        }
    }
}
