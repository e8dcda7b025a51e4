package dev.cacheops.spring.boot;

import dev.cacheops.Cacheops;
import dev.cacheops.Profile;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The profile that applies to each known table, for the endpoint: the tables of the current
 * schema of every {@code DataSource} bean, and every table the cache has counted a read or an
 * invalidation of, by {@code schema.table} as the database stores it. The database's table list
 * is read from the JDBC metadata at most once a minute (the example's dashboard polls the
 * endpoint every second). Thread-safe.
 */
final class TableProfiles {
    private static final Logger LOG = LoggerFactory.getLogger(TableProfiles.class);
    private static final long REFRESH_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final Cacheops cacheops;
    private final ObjectProvider<DataSource> dataSources;
    private volatile Set<String> databaseTables;
    private volatile long readAt;

    TableProfiles(Cacheops cacheops, ObjectProvider<DataSource> dataSources) {
        this.cacheops = cacheops;
        this.dataSources = dataSources;
    }

    /** Table to its profile: pattern, ops, timeout and lock wait, or why none applies. */
    Map<String, Object> resolve() {
        Set<String> tables = new TreeSet<>(databaseTables());
        cacheops.statsByTable().keySet().stream().filter(t -> !t.startsWith("function ")).forEach(tables::add);
        Map<String, Object> out = new LinkedHashMap<>();
        for (String t : tables) {
            out.put(t, row(cacheops.profileOf(t)));
        }
        return out;
    }

    private static Map<String, Object> row(Optional<Profile> profile) {
        Map<String, Object> row = new LinkedHashMap<>();
        if (profile.isEmpty()) {
            row.put("disabled", false);
            row.put("ops", List.of());
            row.put("reason", "no pattern matches: reads pass through");
            return row;
        }
        Profile p = profile.get();
        row.put("pattern", p.pattern());
        row.put("disabled", p.disabled());
        row.put("ops", p.ops().stream().map(op -> op.name().toLowerCase(Locale.ROOT)).sorted().toList());
        if (!p.disabled()) {
            row.put("timeout", p.timeout().toString());
        }
        if (p.lockWait() != null) {
            row.put("lockWait", p.lockWait().toString());
        }
        return row;
    }

    private Set<String> databaseTables() {
        Set<String> known = databaseTables;
        if (known != null && System.nanoTime() - readAt < REFRESH_NANOS) {
            return known;
        }
        Set<String> read = new TreeSet<>();
        dataSources.orderedStream().forEach(ds -> read.addAll(tablesOf(ds)));
        databaseTables = read;
        readAt = System.nanoTime();
        return read;
    }

    private static Set<String> tablesOf(DataSource ds) {
        Set<String> tables = new TreeSet<>();
        try (Connection c = ds.getConnection()) {
            String schema = c.getSchema();
            try (ResultSet rs = c.getMetaData().getTables(c.getCatalog(), schema, "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    String s = rs.getString("TABLE_SCHEM");
                    String name = rs.getString("TABLE_NAME");
                    tables.add(s == null || s.isEmpty() ? name : s + "." + name);
                }
            }
        } catch (SQLException | RuntimeException e) {
            // The report still lists the tables the cache has seen.
            LOG.debug("could not list the tables of {}", ds, e);
        }
        return tables;
    }
}
