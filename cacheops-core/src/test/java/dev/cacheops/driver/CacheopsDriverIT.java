package dev.cacheops.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.cacheops.CacheStats;
import dev.cacheops.Cacheops;
import dev.cacheops.testing.TestServices;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The {@code jdbc:cacheops:} driver end to end: {@code DriverManager} on PostgreSQL + Redis and on
 * H2 with the in-process store, HikariCP's {@code jdbcUrl}, Flyway migrating through the URL, and
 * bad configuration failing {@code connect} with the key named. Each test uses its own schema
 * (or H2 database) and Redis prefix.
 */
class CacheopsDriverIT {
    private static final List<TestServices.SchemaDataSource> SCHEMAS = new ArrayList<>();
    private static PGSimpleDataSource pg;

    @BeforeAll
    static void postgres() {
        pg = (PGSimpleDataSource) TestServices.postgres();
    }

    @AfterAll
    static void drop() {
        SCHEMAS.forEach(TestServices.SchemaDataSource::close);
    }

    /** A driver URL for a fresh schema, a fresh Redis prefix, and post cached for all ops. */
    private static String postgresUrl(String prefix) {
        TestServices.SchemaDataSource schema = TestServices.freshPostgresSchema();
        SCHEMAS.add(schema);
        String real = pg.getURL();
        String sep = real.contains("?") ? "&" : "?";
        return "jdbc:cacheops:" + real.substring("jdbc:".length()) + sep + "currentSchema=" + schema.schema()
                + "&cacheops.redis.url=" + URLEncoder.encode(TestServices.redisUri(), StandardCharsets.UTF_8)
                + "&cacheops.prefix=" + prefix
                + "&cacheops.profiles.post.ops=all&cacheops.profiles.post.timeout=15m";
    }

    private static Properties credentials() {
        Properties p = new Properties();
        p.setProperty("user", pg.getUser());
        if (pg.getPassword() != null) {
            p.setProperty("password", pg.getPassword());
        }
        return p;
    }

    private static List<String> titles(Connection c, int category) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select title from post where category_id = ? order by id")) {
            ps.setInt(1, category);
            try (ResultSet rs = ps.executeQuery()) {
                List<String> titles = new ArrayList<>();
                while (rs.next()) {
                    titles.add(rs.getString(1));
                }
                return titles;
            }
        }
    }

    /**
     * Runs Flyway, unmodified, on connections made from the driver URL. Flyway's own {@code url}
     * setting refuses any URL prefix it has no database plugin for (it picks the plugin by URL
     * before connecting), so the URL goes through HikariCP's {@code jdbcUrl}, as an application
     * configures a pool; Flyway then recognises PostgreSQL from the connection's metadata.
     */
    private static void migrate(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(pg.getUser());
        config.setPassword(pg.getPassword());
        config.setMaximumPoolSize(2);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            Flyway.configure().dataSource(pool).locations("classpath:db/driver-it").load().migrate();
        }
    }

    @Test
    void driverIsFoundByDriverManager() throws SQLException {
        Driver d = DriverManager.getDriver("jdbc:cacheops:postgresql://127.0.0.1/test");
        assertThat(d).isInstanceOf(CacheopsDriver.class);
        assertThat(d.jdbcCompliant()).isFalse();
        assertThat(d.getPropertyInfo("jdbc:cacheops:postgresql://127.0.0.1/test", new Properties()))
                .extracting(i -> i.name).contains("cacheops.redis.url", "cacheops.prefix", "user");
    }

    /**
     * Flyway (an unmodified third-party JDBC program) migrates through the driver URL; then plain
     * DriverManager reads are cached and a write invalidates exactly the results it changes.
     */
    @Test
    void flywayMigratesThenDriverManagerCachesAndInvalidates() throws SQLException {
        String url = postgresUrl(TestServices.uniquePrefix());
        migrate(url);
        Cacheops cacheops = CacheopsDriver.cacheops(url, credentials());
        CacheStats before = cacheops.stats();

        try (Connection c = DriverManager.getConnection(url, credentials())) {
            assertThat(titles(c, 1)).containsExactly("a", "b");
            assertThat(titles(c, 2)).containsExactly("c");
        }
        try (Connection c = DriverManager.getConnection(url, credentials())) {
            assertThat(titles(c, 1)).containsExactly("a", "b");
            assertThat(titles(c, 2)).containsExactly("c");
        }
        CacheStats warm = cacheops.stats();
        assertThat(warm.misses() - before.misses()).isEqualTo(2);
        assertThat(warm.hits() - before.hits()).isEqualTo(2);

        try (Connection c = DriverManager.getConnection(url, credentials()); Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("update post set title = 'a2' where id = 1")).isEqualTo(1);
        }
        try (Connection c = DriverManager.getConnection(url, credentials())) {
            assertThat(titles(c, 1)).containsExactly("a2", "b");   // invalidated: a miss
            assertThat(titles(c, 2)).containsExactly("c");         // another category: still a hit
        }
        CacheStats after = cacheops.stats();
        assertThat(after.misses() - warm.misses()).isEqualTo(1);
        assertThat(after.hits() - warm.hits()).isEqualTo(1);
        assertThat(after.invalidations()).isGreaterThan(warm.invalidations());
        assertThat(CacheopsDriver.cacheops(url, credentials())).isSameAs(cacheops);
    }

    @Test
    void hikariJdbcUrlSharesTheInstanceAndCaches() throws SQLException {
        String url = postgresUrl(TestServices.uniquePrefix());
        migrate(url);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(pg.getUser());
        config.setPassword(pg.getPassword());
        config.setMaximumPoolSize(2);
        Cacheops cacheops = CacheopsDriver.cacheops(url, credentials());
        try (HikariDataSource hikari = new HikariDataSource(config)) {
            long hits = cacheops.stats().hits();
            for (int i = 0; i < 3; i++) {
                try (Connection c = hikari.getConnection()) {
                    assertThat(titles(c, 2)).containsExactly("c");
                }
            }
            assertThat(cacheops.stats().hits() - hits).isEqualTo(2);
            try (Connection c = hikari.getConnection(); Statement s = c.createStatement()) {
                s.executeUpdate("insert into post (category_id, title) values (2, 'd')");
            }
            try (Connection c = hikari.getConnection()) {
                assertThat(titles(c, 2)).containsExactly("c", "d");
            }
        }
    }

    @Test
    void h2WithTheInProcessStore() throws SQLException {
        String url = "jdbc:cacheops:h2:mem:driver" + UUID.randomUUID().toString().replace("-", "")
                + ";DB_CLOSE_DELAY=-1?cacheops.profiles.post.ops=all&cacheops.prefix=" + TestServices.uniquePrefix();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("create table post (id int primary key, category_id int not null, title varchar(20) not null)");
            s.execute("insert into post values (1, 1, 'a'), (2, 1, 'b'), (3, 2, 'c')");
        }
        Cacheops cacheops = CacheopsDriver.cacheops(url, new Properties());
        try (Connection c = DriverManager.getConnection(url)) {
            assertThat(titles(c, 1)).containsExactly("a", "b");
            assertThat(titles(c, 1)).containsExactly("a", "b");
            try (Statement s = c.createStatement()) {
                s.executeUpdate("delete from post where id = 2");
            }
            assertThat(titles(c, 1)).containsExactly("a");
        }
        CacheStats stats = cacheops.stats();
        assertThat(stats.hits()).isEqualTo(1);
        assertThat(stats.misses()).isEqualTo(2);
    }

    /**
     * An AWS Advanced JDBC Wrapper user switching by URL: the {@code CACHE_PARAM} hint caches a
     * table whose profile allows manual caching only, and our invalidation applies on top.
     */
    @Test
    void awsCacheParamHintCachesManuallyAndIsInvalidated() throws SQLException {
        String url = "jdbc:cacheops:h2:mem:aws" + UUID.randomUUID().toString().replace("-", "")
                + ";DB_CLOSE_DELAY=-1?cacheops.profiles.[*].ops=&cacheops.prefix=" + TestServices.uniquePrefix();
        String hinted = "/* CACHE_PARAM(ttl=300s) */ select title from post where category_id = 1 order by id";
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("create table post (id int primary key, category_id int not null, title varchar(20) not null)");
            s.execute("insert into post values (1, 1, 'a'), (2, 1, 'b')");
        }
        Cacheops cacheops = CacheopsDriver.cacheops(url, new Properties());
        try (Connection c = DriverManager.getConnection(url)) {
            assertThat(titles(c, 1)).containsExactly("a", "b");     // no hint, manual-only profile: passes
            assertThat(titles(c, 1)).containsExactly("a", "b");
            assertThat(cacheops.stats().hits() + cacheops.stats().misses()).isZero();
            assertThat(hinted(c, hinted)).containsExactly("a", "b");
            assertThat(hinted(c, hinted)).containsExactly("a", "b");
            assertThat(cacheops.stats().hits()).isEqualTo(1);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("update post set title = 'b2' where id = 2");
            }
            assertThat(hinted(c, hinted)).containsExactly("a", "b2");
        }
        assertThat(cacheops.stats().misses()).isEqualTo(2);
    }

    private static List<String> hinted(Connection c, String sql) throws SQLException {
        List<String> titles = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                titles.add(rs.getString(1));
            }
        }
        return titles;
    }

    @Test
    void disabledHandsOutTheRealConnection() throws SQLException {
        String url = "jdbc:cacheops:h2:mem:off" + UUID.randomUUID().toString().replace("-", "")
                + "?cacheops.enabled=false&cacheops.max-rows=not-checked-when-off";
        try (Connection c = DriverManager.getConnection(url)) {
            assertThat(c.getClass().getName()).startsWith("org.h2.");
        }
    }

    @Test
    void badConfigurationFailsConnectNamingTheKey() {
        String base = "jdbc:cacheops:h2:mem:bad" + UUID.randomUUID().toString().replace("-", "");
        assertThatThrownBy(() -> DriverManager.getConnection(base + "?cacheops.max-rows=many"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("cacheops.max-rows").hasMessageContaining("many");
        assertThatThrownBy(() -> DriverManager.getConnection(base + "?cacheops.redis-url=redis://x"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("unknown key cacheops.redis-url");
        Properties p = new Properties();
        p.setProperty("cacheops.profiles.post.timeout", "soon");
        assertThatThrownBy(() -> DriverManager.getConnection(base, p))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("cacheops.profiles.post.timeout");
        assertThatThrownBy(() -> DriverManager.getConnection(base + "?cacheops.config=/nonexistent.properties"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("cacheops.config");
    }
}
