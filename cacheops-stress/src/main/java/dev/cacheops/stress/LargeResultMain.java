package dev.cacheops.stress;

import dev.cacheops.CacheStats;
import dev.cacheops.Cacheops;
import dev.cacheops.Op;
import dev.cacheops.PassReason;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Reads one-million-row results through the cache, meant for a JVM with a small heap
 * ({@code -Xmx64m}): a table of a million rows (over the row limit, then, with a high row limit,
 * over the byte limit) and a {@code generate_series} (no table: passes through). The rows must
 * stream: the cache may record them only up to its limit and must then let go. Prints one
 * {@code LARGE ...} line per query with the row count, the sum of ids, the peak heap in use and the
 * cache counters. Run by {@code LargeResultIT}.
 *
 * <p>Arguments: {@code --jdbc-url --user --password --schema --redis --prefix}; the schema must hold
 * {@code big(id int primary key, payload text)} with ids 1 to 1,000,000.
 */
public final class LargeResultMain {
    private LargeResultMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = StressSettings.options(args);
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setURL(o.get("jdbc-url"));
        pg.setUser(o.get("user"));
        pg.setPassword(o.getOrDefault("password", ""));
        pg.setCurrentSchema(o.get("schema"));
        System.out.println("heap max " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB");
        try (Cacheops rowLimited = cacheops(o, 10_000, 8L * 1024 * 1024);
             Cacheops byteLimited = cacheops(o, 2_000_000, 4L * 1024 * 1024)) {
            run("row limit", rowLimited, pg, "select id, payload from big");
            run("row limit again", rowLimited, pg, "select id, payload from big");
            run("byte limit", byteLimited, pg, "select id, payload from big where id > 0");
            run("generate_series", rowLimited, pg, "select g, md5(g::text) from generate_series(1, 1000000) g");
        }
        System.exit(0);
    }

    private static Cacheops cacheops(Map<String, String> o, int maxRows, long maxBytes) {
        return Cacheops.builder().redis(o.get("redis")).prefix(o.get("prefix"))
                .redisTimeout(Duration.ofSeconds(2)).redisConnectTimeout(Duration.ofSeconds(5))
                .profile("big", Op.ALL, Duration.ofMinutes(5)).maxRows(maxRows).maxBytes(maxBytes).build();
    }

    private static void run(String name, Cacheops cacheops, DataSource pg, String sql) throws Exception {
        DataSource ds = cacheops.wrap(pg);
        long rows = 0;
        long sum = 0;
        long peak = 0;
        long t0 = System.nanoTime();
        try (Connection c = ds.getConnection()) {
            // PostgreSQL's driver streams only with auto-commit off and a fetch size.
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(1000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sum += rs.getLong(1);
                        if (rs.getString(2).length() != 32) {
                            throw new IllegalStateException("row " + rs.getLong(1) + " has a wrong payload");
                        }
                        if (++rows % 100_000 == 0) {
                            peak = Math.max(peak, heapUsed());
                        }
                    }
                }
            }
            c.commit();
        }
        CacheStats s = cacheops.stats();
        System.out.printf("LARGE %s rows=%d sum=%d peakHeapUsedMiB=%d seconds=%.1f hits=%d misses=%d stores=%d "
                        + "notStorable=%d uncacheable=%d%n", name.replace(' ', '_'), rows, sum, peak / (1024 * 1024),
                (System.nanoTime() - t0) / 1e9, s.hits(), s.misses(), s.stores(),
                s.passThroughs().getOrDefault(PassReason.NOT_STORABLE, 0L),
                s.passThroughs().getOrDefault(PassReason.UNCACHEABLE, 0L));
        System.out.flush();
    }

    /** Heap in use after the last collection of each pool (what the program really holds). */
    private static long heapUsed() {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                used += pool.getCollectionUsage().getUsed();
            }
        }
        return used;
    }
}
