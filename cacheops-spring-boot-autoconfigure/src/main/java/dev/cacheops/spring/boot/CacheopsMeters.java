package dev.cacheops.spring.boot;

import dev.cacheops.Cacheops;
import dev.cacheops.CacheopsListener;
import dev.cacheops.PassReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Micrometer meters, named and tagged like Spring's own:
 * <ul>
 *   <li>{@code cacheops.reads} (counter; {@code table}, {@code result} = hit|miss|pass,
 *       {@code reason} = why a read passed through, {@code none} for hits and misses);</li>
 *   <li>{@code cacheops.invalidations} (counter; {@code table});</li>
 *   <li>{@code cacheops.store.latency} (timer; {@code operation} = fetch|put|lock|invalidate,
 *       {@code outcome} = success|error), from the call to the store to its completion;</li>
 *   <li>{@code cacheops.store.errors} (function counter);</li>
 *   <li>{@code cacheops.stores.derived} (function counter): lookups of one row stored from the rows
 *       of other results ({@code Cacheops.Builder#rowsFromResults});</li>
 *   <li>{@code cacheops.degraded} (gauge, 1 while a store error happened in the last 30 s).</li>
 * </ul>
 * A {@link CacheopsListener} (events before the registry is bound are not counted) and a
 * {@link MeterBinder}. Thread-safe.
 */
public final class CacheopsMeters implements CacheopsListener, MeterBinder {
    private final ObjectProvider<StoreHealth> health;
    private final ObjectProvider<Cacheops> cacheops;
    private volatile MeterRegistry registry;
    /** The latency timers by operation and outcome (a handful), so a store call does not build one. */
    private final Map<String, Timer> latency = new ConcurrentHashMap<>();

    CacheopsMeters(ObjectProvider<Cacheops> cacheops, ObjectProvider<StoreHealth> health) {
        this.cacheops = cacheops;
        this.health = health;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        latency.clear();
        this.registry = registry;
        FunctionCounter.builder("cacheops.store.errors", cacheops, c -> c.getObject().stats().storeErrors())
                .description("Store operations that failed (timeouts, connection loss)").register(registry);
        FunctionCounter.builder("cacheops.stores.derived", cacheops, c -> c.getObject().stats().derivedStores())
                .description("Lookups of one row by key stored from the rows of other results").register(registry);
        Gauge.builder("cacheops.degraded", health, h -> h.getObject().degraded() ? 1 : 0)
                .description("1 while the store failed an operation within the last 30 s, else 0").register(registry);
    }

    @Override
    public void cacheRead(String sql, String table, boolean hit) {
        read(ReadTables.bare(table), hit ? "hit" : "miss", "none");
    }

    @Override
    public void passedThrough(String sql, PassReason reason) {
        read(ReadTables.of(sql), "pass", reason.name().toLowerCase(Locale.ROOT));
    }

    @Override
    public void invalidated(String table, boolean wholeTable, int rowImages) {
        MeterRegistry r = registry;
        if (r != null) {
            Counter.builder("cacheops.invalidations").description("Invalidations of a table's cached results")
                    .tag("table", ReadTables.bare(table)).register(r).increment();
        }
    }

    @Override
    public void storeCalled(String operation, long nanos, boolean failed) {
        MeterRegistry r = registry;
        if (r != null) {
            String outcome = failed ? "error" : "success";
            latency.computeIfAbsent(operation + ' ' + outcome, k -> Timer.builder("cacheops.store.latency")
                    .description("Calls to the store, from the call to its completion")
                    .tag("operation", operation).tag("outcome", outcome).register(r))
                    .record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    private void read(String table, String result, String reason) {
        MeterRegistry r = registry;
        if (r != null) {
            Counter.builder("cacheops.reads").description("Reads through the cache")
                    .tag("table", table).tag("result", result).tag("reason", reason).register(r).increment();
        }
    }
}
