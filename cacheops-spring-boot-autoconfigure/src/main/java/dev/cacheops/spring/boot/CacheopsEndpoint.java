package dev.cacheops.spring.boot;

import dev.cacheops.CacheStats;
import dev.cacheops.Cacheops;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code cacheops} Actuator endpoint. Read: the configuration, the profiles, the profile
 * resolved for each known table, the totals, per-table counters and the store's health. Write ({@code POST} with {@code table=<name>} or
 * {@code all=true}): invalidates that table's cached results, or everything. Thread-safe.
 */
@Endpoint(id = "cacheops")
public class CacheopsEndpoint {
    private final Cacheops cacheops;
    private final CacheopsProperties properties;
    private final String redisUrl;
    private final TableStats tables;
    private final StoreHealth health;
    private final TableProfiles tableProfiles;

    CacheopsEndpoint(Cacheops cacheops, CacheopsProperties properties, String redisUrl, TableStats tables,
                     StoreHealth health, TableProfiles tableProfiles) {
        this.cacheops = cacheops;
        this.properties = properties;
        this.redisUrl = redisUrl;
        this.tables = tables;
        this.health = health;
        this.tableProfiles = tableProfiles;
    }

    /** Configuration, profiles, profiles per table, totals, per-table counters and store health. */
    @ReadOperation
    public Map<String, Object> report() {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("configuration", configuration());
        report.put("profiles", profiles());
        report.put("tableProfiles", tableProfiles.resolve());
        report.put("disabled", properties.getDisabled());
        report.put("totals", totals(cacheops.stats()));
        report.put("tables", tables.snapshot());
        report.put("store", store());
        return report;
    }

    /**
     * Invalidates the cached results reading {@code table}, or everything with {@code all=true}.
     *
     * @throws InvalidEndpointRequestException (HTTP 400) when neither is given, or no wrapped
     *                                         data source knows the table
     */
    @WriteOperation
    @SuppressWarnings("deprecation") // NOTE: Boot 3.5 knows only Spring's @Nullable (Boot 4 accepts either)
    public Map<String, Object> invalidate(@org.springframework.lang.Nullable @Nullable String table,
                                          @org.springframework.lang.Nullable @Nullable Boolean all) {
        if (Boolean.TRUE.equals(all)) {
            cacheops.invalidateAll();
            return Map.of("invalidated", "all");
        }
        if (table == null || table.isBlank()) {
            throw new InvalidEndpointRequestException("give table=<name> or all=true", "table or all missing");
        }
        try {
            cacheops.invalidateTable(table);
        } catch (IllegalArgumentException e) {
            throw new InvalidEndpointRequestException(e.getMessage(), "unknown table");
        }
        return Map.of("invalidated", table);
    }

    private Map<String, Object> configuration() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("store", redisUrl == null ? "in-process" : "redis");
        if (redisUrl != null) {
            c.put("redisUrl", masked(redisUrl));
        }
        c.put("prefix", properties.getPrefix());
        c.put("consistency", lower(properties.getConsistency()));
        c.put("failureMode", lower(properties.getFailureMode()).replace('_', '-'));
        c.put("redisTimeout", properties.getRedis().getTimeout().toString());
        c.put("lockTimeout", properties.getLockTimeout().toString());
        c.put("defaultTimeout", properties.getDefaultTimeout().toString());
        c.put("maxRows", properties.getMaxRows());
        c.put("maxBytes", properties.getMaxBytes().toBytes());
        c.put("bulkRows", properties.getBulkRows());
        c.put("inListLimit", properties.getInListLimit());
        return c;
    }

    private Map<String, Object> profiles() {
        Map<String, Object> result = new TreeMap<>();
        properties.getProfiles().forEach((pattern, p) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("ops", CacheopsFactory.ops(p.getOps()).stream().map(CacheopsEndpoint::lower).toList());
            row.put("timeout", (p.getTimeout() == null ? properties.getDefaultTimeout() : p.getTimeout()).toString());
            if (p.getLockWait() != null) {
                row.put("lockWait", p.getLockWait().toString());
            }
            result.put(pattern, row);
        });
        return result;
    }

    private static Map<String, Object> totals(CacheStats s) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("hits", s.hits());
        t.put("misses", s.misses());
        t.put("hitRatio", s.hitRatio());
        t.put("stores", s.stores());
        t.put("storesRefused", s.storesRefused());
        t.put("derivedStores", s.derivedStores());
        t.put("invalidations", s.invalidations());
        Map<String, Long> passes = new TreeMap<>();
        s.passThroughs().forEach((reason, n) -> passes.put(lower(reason), n));
        t.put("passes", passes);
        return t;
    }

    private Map<String, Object> store() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("degraded", health.degraded());
        s.put("errors", health.storeErrors());
        return s;
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    /** The URI without its password. */
    static String masked(String uri) {
        return uri.replaceFirst("(?<=://)([^:@/]*):[^@/]*@", "$1:******@");
    }
}
