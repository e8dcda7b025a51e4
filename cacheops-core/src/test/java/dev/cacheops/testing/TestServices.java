package dev.cacheops.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import redis.embedded.RedisServer;

/**
 * Finds the real PostgreSQL and Redis the integration tests run against.
 *
 * <p>Order: the environment ({@code CACHEOPS_TEST_PG_URL}, {@code CACHEOPS_TEST_PG_USER},
 * {@code CACHEOPS_TEST_PG_PASSWORD}, {@code CACHEOPS_TEST_REDIS_URI}), then the default local ports
 * (PostgreSQL on 127.0.0.1:5432 database {@code test} as {@code postgres}; Redis on
 * 127.0.0.1:6379), then embedded servers from Maven Central (zonky's embedded PostgreSQL, which
 * refuses to run as root, and codemonstur's embedded Redis). If none works the tests fail with a
 * message that says what to install: they are never skipped silently. MariaDB alone is optional
 * ({@link #mariaDbUrl(String)}).
 */
public final class TestServices {
    private static volatile DataSource postgres;
    private static volatile String redisUri;
    private static EmbeddedPostgres embeddedPostgres;
    private static RedisServer embeddedRedis;

    private TestServices() {
    }

    /** A PostgreSQL data source (no pool) for the shared test database. */
    public static synchronized DataSource postgres() {
        if (postgres == null) {
            postgres = findPostgres();
        }
        return postgres;
    }

    /** The Redis URI, e.g. {@code redis://127.0.0.1:6379}. */
    public static synchronized String redisUri() {
        if (redisUri == null) {
            redisUri = findRedis();
        }
        return redisUri;
    }

    /**
     * The JDBC URL of database {@code database} on the optional MariaDB ({@code
     * CACHEOPS_TEST_MARIADB_URL}, default {@code jdbc:mariadb://127.0.0.1:3306}; user root, no
     * password). Nothing is embedded for MariaDB: the tests that use it report themselves skipped,
     * with the reason, when it is not reachable.
     */
    public static String mariaDbUrl(String database) {
        String base = env("CACHEOPS_TEST_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306");
        return (base.endsWith("/") ? base : base + "/") + database;
    }

    /** A prefix no other test uses, so tests sharing one Redis never see each other's keys. */
    public static String uniquePrefix() {
        return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /**
     * Creates a fresh PostgreSQL schema and returns a data source whose connections use it as
     * their search path, so test classes can create tables without colliding.
     */
    public static SchemaDataSource freshPostgresSchema() {
        String schema = uniquePrefix().toLowerCase(Locale.ROOT);
        DataSource base = postgres();
        try (Connection c = base.getConnection(); Statement s = c.createStatement()) {
            s.execute("create schema " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test schema " + schema, e);
        }
        PGSimpleDataSource ds = copy((PGSimpleDataSource) base);
        ds.setCurrentSchema(schema);
        return new SchemaDataSource(ds, schema, base);
    }

    /** The PostgreSQL JDBC URL of {@link #postgres()}, with its user and password as parameters. */
    public static String postgresUrl() {
        PGSimpleDataSource ds = (PGSimpleDataSource) postgres();
        String url = ds.getURL();
        String sep = url.contains("?") ? "&" : "?";
        String user = ds.getUser() == null ? "" : sep + "user=" + ds.getUser();
        String password = ds.getPassword() == null || ds.getPassword().isEmpty() ? ""
                : "&password=" + ds.getPassword();
        return url + user + password;
    }

    private static PGSimpleDataSource copy(PGSimpleDataSource base) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(base.getURL());
        ds.setUser(base.getUser());
        ds.setPassword(base.getPassword());
        return ds;
    }

    private static DataSource findPostgres() {
        String url = env("CACHEOPS_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url);
        ds.setUser(env("CACHEOPS_TEST_PG_USER", "postgres"));
        ds.setPassword(env("CACHEOPS_TEST_PG_PASSWORD", ""));
        SQLException failure;
        try (Connection c = ds.getConnection()) {
            return ds;
        } catch (SQLException e) {
            failure = e;
        }
        try {
            // Logical decoding for the change stream's tests (dev.cacheops.changes).
            embeddedPostgres = EmbeddedPostgres.builder().setServerConfig("wal_level", "logical").start();
            Runtime.getRuntime().addShutdownHook(new Thread(TestServices::stopEmbedded));
            return embeddedPostgres.getPostgresDatabase();
        } catch (IOException | RuntimeException e) {
            IllegalStateException error = new IllegalStateException(
                    "No PostgreSQL for the integration tests: " + url + " is not reachable ("
                            + failure.getMessage() + ") and the embedded PostgreSQL did not start ("
                            + e.getMessage() + "; it refuses to run as root). Install and start "
                            + "PostgreSQL 12+ on 127.0.0.1:5432 with a database 'test' and trust "
                            + "auth for user postgres, or set CACHEOPS_TEST_PG_URL/_USER/_PASSWORD.", e);
            error.addSuppressed(failure);
            throw error;
        }
    }

    private static String findRedis() {
        String uri = env("CACHEOPS_TEST_REDIS_URI", "redis://127.0.0.1:6379");
        URI parsed = URI.create(uri);
        if (reachable(parsed.getHost(), parsed.getPort() < 0 ? 6379 : parsed.getPort())) {
            return uri;
        }
        try {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            embeddedRedis = RedisServer.newRedisServer().port(port).bind("127.0.0.1").build();
            embeddedRedis.start();
            Runtime.getRuntime().addShutdownHook(new Thread(TestServices::stopEmbedded));
            return "redis://127.0.0.1:" + port;
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("No Redis for the integration tests: " + uri
                    + " is not reachable and the embedded Redis did not start (" + e.getMessage()
                    + "). Install redis-server (6.2+) and start it on 127.0.0.1:6379, or set "
                    + "CACHEOPS_TEST_REDIS_URI.", e);
        }
    }

    private static boolean reachable(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static synchronized void stopEmbedded() {
        try {
            if (embeddedRedis != null) {
                embeddedRedis.stop();
            }
            if (embeddedPostgres != null) {
                embeddedPostgres.close();
            }
        } catch (IOException e) {
            // shutting down anyway
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    /**
     * A data source confined to one fresh schema; {@link #close()} drops the schema.
     */
    public record SchemaDataSource(DataSource dataSource, String schema, DataSource admin) implements AutoCloseable {
        @Override
        public void close() {
            try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
                s.execute("drop schema if exists " + schema + " cascade");
            } catch (SQLException e) {
                throw new IllegalStateException("cannot drop test schema " + schema, e);
            }
        }
    }
}
