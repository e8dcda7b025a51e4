package dev.cacheops.bench.jmh;

import dev.cacheops.CacheStats;

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
}
