package dev.cacheops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheops.testing.CountingDataSource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * No silent caching-off (issue 11, item 5): the once-per-data-source WARN for whole classes of
 * pass-throughs, the REPEATABLE READ opt-in, no image reads for writes to disabled tables, the
 * periodic statistics line and per-table statistics. H2 in memory with the in-process store;
 * {@link CountingDataSource} sees every statement that reaches the database.
 */
class PassThroughVisibilityIT {
    private static final String BY_CATEGORY = "select title from post where category_id = ? order by id";

    private CountingDataSource counting;
    private final java.util.List<Cacheops> built = new java.util.ArrayList<>();

    @BeforeEach
    void database() throws SQLException {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:visibility" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1");
        try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
            s.execute("create table post (id int primary key, category_id int not null, title varchar(20) not null)");
            s.execute("create table audit_log (id int primary key, kind varchar(10) not null, msg varchar(50))");
            s.execute("insert into post values (1, 1, 'a'), (2, 1, 'b'), (3, 2, 'c')");
            s.execute("insert into audit_log values (1, 'x', 'one'), (2, 'y', 'two')");
        }
        counting = new CountingDataSource(h2);
    }

    @AfterEach
    void close() {
        built.forEach(Cacheops::close);
    }

    private DataSource wrap(Cacheops.Builder builder) {
        Cacheops c = builder.inMemory().profile("post", Op.ALL, Duration.ofMinutes(5))
                .profile("audit_log", Op.ALL, Duration.ofMinutes(5)).build();
        built.add(c);
        last = c;
        return c.wrap(counting.dataSource());
    }

    private Cacheops last;

    private static int titles(Connection c, int category) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(BY_CATEGORY)) {
            ps.setInt(1, category);
            try (ResultSet rs = ps.executeQuery()) {
                int n = 0;
                while (rs.next()) {
                    n++;
                }
                return n;
            }
        }
    }

    private static String stderrOf(Callable<?> body) throws Exception {
        PrintStream old = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            body.call();
        } finally {
            System.setErr(old);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void isolationPassThroughIsLoggedOnceNamingTheSetting() throws Exception {
        DataSource ds = wrap(Cacheops.builder());
        String log = stderrOf(() -> {
            for (int i = 0; i < 3; i++) {
                try (Connection c = ds.getConnection()) {
                    c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
                    c.setAutoCommit(false);
                    titles(c, 1);
                    c.commit();
                }
            }
            return null;
        });
        assertThat(log).contains("WARN").contains("REPEATABLE READ or SERIALIZABLE")
                .contains("cacheops.repeatable-read=serve-committed");
        assertThat(log.split("REPEATABLE READ or SERIALIZABLE", -1)).hasSize(2);   // once
        assertThat(last.stats().passThroughs().get(PassReason.ISOLATION)).isEqualTo(3);
    }

    @Test
    void sessionStateAndDisabledTablesAreLoggedOnce() throws Exception {
        DataSource ds = wrap(Cacheops.builder().disable("audit_log"));
        String log = stderrOf(() -> {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                for (int i = 0; i < 2; i++) {
                    s.executeQuery("select p.title from post p where exists (select 1 from audit_log a where a.id = p.id)").close();
                }
                c.setSchema("PUBLIC");
                titles(c, 1);
                titles(c, 1);
            }
            return null;
        });
        assertThat(log).contains("reads the disabled table PUBLIC.AUDIT_LOG").contains("cacheops.disabled");
        assertThat(log).contains("changed its schema").contains("currentSchema=");
        assertThat(log.split("WARN", -1)).hasSize(3);
    }

    @Test
    void repeatableReadServesCommittedHitsWhenOptedInButNeverFills() throws SQLException {
        DataSource ds = wrap(Cacheops.builder().serveCommittedInRepeatableRead(true));
        try (Connection c = ds.getConnection()) {
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setAutoCommit(false);
            titles(c, 1);                      // a miss inside the transaction: not stored
            titles(c, 1);
            c.commit();
        }
        assertThat(counting.count(BY_CATEGORY)).isEqualTo(2);
        assertThat(last.stats().passThroughs().get(PassReason.ISOLATION)).isEqualTo(2);
        try (Connection c = ds.getConnection()) {
            titles(c, 1);                      // auto-commit: fills
        }
        try (Connection c = ds.getConnection()) {
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setAutoCommit(false);
            titles(c, 1);                      // served from the cache
            try (Statement s = c.createStatement()) {
                s.executeUpdate("update post set title = 'a2' where id = 1");
            }
            titles(c, 1);                      // after its own write: the database
            c.commit();
        }
        assertThat(counting.count(BY_CATEGORY)).isEqualTo(4);
        try (Connection c = ds.getConnection()) {
            c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            c.setAutoCommit(false);
            titles(c, 2);
            titles(c, 2);                      // SERIALIZABLE never served
            c.commit();
        }
        assertThat(counting.count(BY_CATEGORY)).isEqualTo(6);
    }

    @Test
    void repeatableReadPassesThroughByDefault() throws SQLException {
        DataSource ds = wrap(Cacheops.builder());
        try (Connection c = ds.getConnection()) {
            titles(c, 1);
        }
        try (Connection c = ds.getConnection()) {
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setAutoCommit(false);
            titles(c, 1);
            c.commit();
        }
        assertThat(counting.count(BY_CATEGORY)).isEqualTo(2);
    }

    @Test
    void writesToADisabledTableReadNoImages() throws SQLException {
        DataSource ds = wrap(Cacheops.builder().disable("audit_log"));
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.executeQuery("select msg from audit_log where kind = 'x'").close();
            s.executeUpdate("update audit_log set msg = 'changed' where kind = 'x'");
            s.executeUpdate("delete from audit_log where id = 2");
        }
        assertThat(counting.executed()).noneMatch(sql -> sql.toLowerCase().contains("for update"));
    }

    /**
     * Another instance sharing the prefix caches the table this one disables: the write still
     * reaches its results, by a whole-table invalidation, with no image read. (With the Redis
     * store, since in-process stores are never shared.)
     */
    @Test
    void aDisabledTableStillInvalidatesAnotherInstanceWithoutImages() throws Exception {
        String prefix = dev.cacheops.testing.TestServices.uniquePrefix();
        String redis = dev.cacheops.testing.TestServices.redisUri();
        Cacheops caching = Cacheops.builder().redis(redis).prefix(prefix)
                .profile("audit_log", Op.ALL, Duration.ofMinutes(5)).build();
        Cacheops disabling = Cacheops.builder().redis(redis).prefix(prefix).disable("audit_log").build();
        built.add(caching);
        built.add(disabling);
        DataSource reader = caching.wrap(counting.dataSource());
        DataSource writer = disabling.wrap(counting.dataSource());
        String byKind = "select msg from audit_log where kind = 'x'";
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (caching.stats().hits() == 0 && System.nanoTime() < deadline) {
            try (Connection c = reader.getConnection(); Statement s = c.createStatement()) {
                s.executeQuery(byKind).close();
            }
        }
        assertThat(caching.stats().hits()).isPositive();
        counting.reset();
        try (Connection c = writer.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("update audit_log set msg = 'changed' where kind = 'y'");
        }
        assertThat(counting.executed()).noneMatch(sql -> sql.toLowerCase().contains("for update"));
        try (Connection c = reader.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(byKind)) {
            assertThat(rs.next()).isTrue();
        }
        assertThat(counting.count(byKind)).as("whole-table invalidation reached the other instance").isEqualTo(1);
    }

    /**
     * The control: a table cached by a column is invalidated by row, reading the old images (on H2
     * through the update's own delta table, {@code OLD TABLE (...)}).
     */
    @Test
    void writesToACachedTableStillReadTheirImages() throws SQLException {
        DataSource ds = wrap(Cacheops.builder());
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            titles(c, 1);
            s.executeUpdate("update post set title = 'z' where id = 3");
            assertThat(titles(c, 1)).isEqualTo(2);   // category 2 changed: category 1 still cached
        }
        assertThat(counting.executed()).anyMatch(sql -> sql.toLowerCase().contains("from old table (update post"));
        assertThat(counting.count(BY_CATEGORY)).isEqualTo(1);
    }

    @Test
    void statsPerTableAndThePeriodicLine() throws Exception {
        DataSource ds = wrap(Cacheops.builder().statsLogInterval(Duration.ofMillis(200)));
        String log = stderrOf(() -> {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                titles(c, 1);
                titles(c, 1);
                titles(c, 1);
                s.executeQuery("select count(*) from audit_log").close();
                s.executeUpdate("update post set title = 'q' where id = 1");
            }
            Thread.sleep(700);
            return null;
        });
        CacheStats post = last.stats("post");
        assertThat(post.hits()).isEqualTo(2);
        assertThat(post.misses()).isEqualTo(1);
        assertThat(post.invalidations()).isEqualTo(1);
        assertThat(last.stats("audit_log").misses()).isEqualTo(1);
        assertThat(last.stats("PUBLIC.POST")).isEqualTo(post);
        assertThat(last.statsByTable()).containsOnlyKeys("PUBLIC.AUDIT_LOG", "PUBLIC.POST");
        assertThat(last.stats("nothing").hits()).isZero();
        assertThat(log).contains("INFO dev.cacheops.stats")
                .contains("2 hits, 2 misses, hit ratio 50.0%, 0 pass-throughs, 1 invalidations");
    }
}
