package dev.cacheops.spring.boot;

import dev.cacheops.CacheopsListener;
import dev.cacheops.PassReason;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts reads and invalidations per table, for the {@code cacheops} Actuator endpoint. A
 * {@link CacheopsListener}: quick and lock-free on the reading thread. Thread-safe.
 *
 * <p>Pass-throughs carry no table in the listener SPI: they are counted under the table
 * {@link ReadTables#of(String)} finds in the statement text (best effort).
 */
public final class TableStats implements CacheopsListener {
    private final Map<String, Table> tables = new ConcurrentHashMap<>();

    @Override
    public void cacheRead(String sql, String table, boolean hit) {
        Table t = table(ReadTables.bare(table));
        (hit ? t.hits : t.misses).increment();
    }

    @Override
    public void passedThrough(String sql, PassReason reason) {
        table(ReadTables.of(sql)).passes.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    @Override
    public void invalidated(String table, boolean wholeTable, int rowImages) {
        table(ReadTables.bare(table)).invalidations.increment();
    }

    private Table table(String name) {
        return tables.computeIfAbsent(name, n -> new Table());
    }

    /** A snapshot: table name to its counters (hits, misses, hit-ratio, passes by reason, invalidations). */
    public Map<String, Map<String, Object>> snapshot() {
        Map<String, Map<String, Object>> result = new TreeMap<>();
        tables.forEach((name, t) -> {
            long hits = t.hits.sum();
            long misses = t.misses.sum();
            Map<String, Long> passes = new TreeMap<>();
            t.passes.forEach((reason, n) -> passes.put(reason.name().toLowerCase(java.util.Locale.ROOT), n.sum()));
            Map<String, Object> row = new java.util.LinkedHashMap<>();
            row.put("hits", hits);
            row.put("misses", misses);
            row.put("hitRatio", hits + misses == 0 ? 0.0 : (double) hits / (hits + misses));
            row.put("passes", passes);
            row.put("invalidations", t.invalidations.sum());
            result.put(name, row);
        });
        return result;
    }

    private static final class Table {
        final LongAdder hits = new LongAdder();
        final LongAdder misses = new LongAdder();
        final LongAdder invalidations = new LongAdder();
        final Map<PassReason, LongAdder> passes = new ConcurrentHashMap<>();
    }
}
