package dev.cacheops.checker;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Finds the databases and Redis the checker runs against: each setting from a system property
 * ({@code cacheops.test.pg.url}, {@code cacheops.test.pg.user}, {@code cacheops.test.pg.password},
 * {@code cacheops.test.redis.uri}), else the environment ({@code CACHEOPS_TEST_PG_URL},
 * {@code _PG_USER}, {@code _PG_PASSWORD}, {@code CACHEOPS_TEST_REDIS_URI}), else the local
 * defaults. It never starts servers; when one is missing it says what to start. The checker's own
 * tests set the system properties to what core's test {@code TestServices} found, which may be
 * embedded servers. Thread-safe.
 */
public final class Services {
    /** System property naming the PostgreSQL JDBC URL; wins over {@code CACHEOPS_TEST_PG_URL}. */
    public static final String PG_URL = "cacheops.test.pg.url";
    /** System property naming the PostgreSQL user; wins over {@code CACHEOPS_TEST_PG_USER}. */
    public static final String PG_USER = "cacheops.test.pg.user";
    /** System property naming the PostgreSQL password; wins over {@code CACHEOPS_TEST_PG_PASSWORD}. */
    public static final String PG_PASSWORD = "cacheops.test.pg.password";
    /** System property naming the Redis URI; wins over {@code CACHEOPS_TEST_REDIS_URI}. */
    public static final String REDIS_URI = "cacheops.test.redis.uri";

    private Services() {
    }

    /** A unique name, usable as schema name and Redis key prefix. */
    public static String uniqueName() {
        return "chk" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
    }

    /** The Redis URI; fails with a helpful message when nothing answers there. */
    public static String redisUri() {
        String uri = setting(REDIS_URI, "CACHEOPS_TEST_REDIS_URI", "redis://127.0.0.1:6379");
        URI parsed = URI.create(uri);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(parsed.getHost(), parsed.getPort() < 0 ? 6379 : parsed.getPort()), 1000);
        } catch (IOException e) {
            throw new IllegalStateException("No Redis at " + uri + ": start redis-server on 127.0.0.1:6379 "
                    + "or set CACHEOPS_TEST_REDIS_URI (or -D" + REDIS_URI + ")", e);
        }
        return uri;
    }

    /** A fresh, empty database: a new PostgreSQL schema or a new in-memory H2 database. */
    public static FreshDatabase fresh(Dialect dialect) {
        String name = uniqueName();
        if (dialect == Dialect.H2) {
            JdbcDataSource ds = new JdbcDataSource();
            ds.setURL("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
            ds.setUser("sa");
            return new FreshDatabase(ds, name, () -> exec(ds, "shutdown"));
        }
        PGSimpleDataSource admin = postgres();
        exec(admin, "create schema " + name);
        PGSimpleDataSource ds = postgres();
        ds.setCurrentSchema(name);
        return new FreshDatabase(ds, name, () -> exec(admin, "drop schema if exists " + name + " cascade"));
    }

    /** The PostgreSQL JDBC URL with the user and password as parameters (for the change stream). */
    public static String postgresUrl() {
        PGSimpleDataSource ds = postgres();
        String url = ds.getURL();
        String password = ds.getPassword();
        return url + (url.contains("?") ? "&" : "?") + "user=" + ds.getUser()
                + (password == null || password.isEmpty() ? "" : "&password=" + password);
    }

    /** A data source of the PostgreSQL database in its default schema. */
    static PGSimpleDataSource postgres() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(setting(PG_URL, "CACHEOPS_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test"));
        ds.setUser(setting(PG_USER, "CACHEOPS_TEST_PG_USER", "postgres"));
        ds.setPassword(setting(PG_PASSWORD, "CACHEOPS_TEST_PG_PASSWORD", ""));
        return ds;
    }

    static void exec(DataSource ds, String sql) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run '" + sql + "': " + e.getMessage()
                    + " (is PostgreSQL running on 127.0.0.1:5432 with database 'test', or CACHEOPS_TEST_PG_URL or -D"
                    + PG_URL + " set?)", e);
        }
    }

    /** The system property, else the environment variable, else the fallback; blank counts as unset. */
    private static String setting(String property, String environment, String fallback) {
        String p = System.getProperty(property);
        if (p != null && !p.isBlank()) {
            return p;
        }
        String v = System.getenv(environment);
        return v == null || v.isBlank() ? fallback : v;
    }

    /**
     * A database of its own for one run; {@link #close()} drops it.
     *
     * @param dataSource connections to it (no pool)
     * @param name       the schema or database name
     * @param dropper    what drops it
     */
    public record FreshDatabase(DataSource dataSource, String name, Runnable dropper) implements AutoCloseable {
        @Override
        public void close() {
            dropper.run();
        }
    }
}
