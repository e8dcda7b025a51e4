package dev.cacheops.spring.boot;

import dev.cacheops.Cacheops;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Whether the cache is degraded: a store operation failed within the last {@link #WINDOW}.
 * {@link Cacheops} exposes no connection state, only its counters, so this watches
 * {@code storeErrors} grow: a failed operation means reads went to the database and writes
 * may have replaced the epoch. Thread-safe.
 */
public final class StoreHealth {
    /** How long after the last store error the cache counts as degraded. */
    public static final Duration WINDOW = Duration.ofSeconds(30);

    private final Cacheops cacheops;
    private final LongSupplier clock;
    private long lastErrors;
    private long lastErrorAt = Long.MIN_VALUE;

    StoreHealth(Cacheops cacheops) {
        this(cacheops, System::nanoTime);
    }

    StoreHealth(Cacheops cacheops, LongSupplier nanoClock) {
        this.cacheops = cacheops;
        this.clock = nanoClock;
    }

    /** True when the store failed an operation within the last {@link #WINDOW}. */
    public synchronized boolean degraded() {
        long errors = cacheops.stats().storeErrors();
        long now = clock.getAsLong();
        if (errors != lastErrors) {
            lastErrors = errors;
            lastErrorAt = now;
        }
        return lastErrorAt != Long.MIN_VALUE && now - lastErrorAt < WINDOW.toNanos();
    }

    /** Store operations failed since start. */
    public long storeErrors() {
        return cacheops.stats().storeErrors();
    }
}
