package dev.cacheops.demo;

import dev.cacheops.CacheStats;
import dev.cacheops.PassReason;
import java.util.EnumMap;
import java.util.Map;

/**
 * The counters of one run: the demo keeps a single Cacheops instance for the warm-up and the
 * measured run (one per application, as the library recommends, and so a Redis connection is
 * already up when measuring starts), so a run's counters are the difference of two snapshots.
 */
final class StatsDelta {
    private StatsDelta() {
    }

    /** {@code after - before}, field by field. */
    static CacheStats between(CacheStats before, CacheStats after) {
        Map<PassReason, Long> passes = new EnumMap<>(PassReason.class);
        after.passThroughs().forEach((reason, n) ->
                passes.put(reason, n - before.passThroughs().getOrDefault(reason, 0L)));
        return new CacheStats(after.hits() - before.hits(), after.misses() - before.misses(),
                after.stores() - before.stores(), after.storesRefused() - before.storesRefused(),
                after.invalidations() - before.invalidations(), passes, after.storeErrors() - before.storeErrors());
    }
}
