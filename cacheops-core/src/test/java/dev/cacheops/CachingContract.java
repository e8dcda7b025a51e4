package dev.cacheops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheops.testing.CountingDataSource;
import dev.cacheops.testing.TestServices;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * Shared fixture of the behaviour suites: a blog schema in a private PostgreSQL schema, a
 * counting data source under the cache (to tell hits from misses), and helpers that run a query
 * through the cache and directly and compare. Subclasses choose the store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CachingContract {
    protected TestServices.SchemaDataSource schema;
    protected CountingDataSource counting;
    protected Cacheops cacheops;
    protected DataSource ds;
    protected String prefix;

    /** The store under test. */
    protected abstract Cacheops.Builder store(Cacheops.Builder builder);

    /** The profiles every test starts with; tests that need others build their own instance. */
    protected Cacheops.Builder configure(Cacheops.Builder b) {
        // A generous timeout: a loaded test machine must not turn hits into pass-throughs.
        // Failure suites set their own, short one in store().
        return store(b.redisTimeout(Duration.ofSeconds(2))).prefix(prefix)
                .profile("*", Op.ALL, Duration.ofHours(1))
                .disable("audit_log");
    }

    @BeforeAll
    void createSchema() throws SQLException {
        schema = TestServices.freshPostgresSchema();
        exec(schema.dataSource(), """
                create table category (id serial primary key, title varchar(100) not null,
                    visible boolean not null default true);
                create table post (id serial primary key,
                    category_id int references category(id) on delete cascade,
                    title text not null, score numeric(10,2), published date, created timestamp,
                    created_tz timestamptz, uid uuid, visible boolean not null default true,
                    editor varchar(50), rating double precision);
                create table tag (id serial primary key, name text not null);
                create table post_tag (post_id int not null references post(id) on delete cascade,
                    tag_id int not null references tag(id) on delete cascade, primary key (post_id, tag_id));
                create table comment (id serial primary key, post_id int references post(id) on delete set null,
                    body text, approved boolean not null default false);
                create table audit_log (id serial primary key, msg text);
                """);
    }

    @AfterAll
    void dropSchema() {
        schema.close();
    }

    @BeforeEach
    void seed() throws SQLException {
        exec(schema.dataSource(), """
                truncate category, post, tag, post_tag, comment, audit_log restart identity cascade;
                insert into category (id, title) values (5, 'five'), (6, 'six'), (7, 'seven');
                insert into post (category_id, title, score, published, created, created_tz, uid, visible, editor)
                values (5, 'a', 1.50, '2024-01-01', '2024-01-01 10:00:00', '2024-01-01 10:00:00+00',
                        '11111111-1111-1111-1111-111111111111', true, null),
                       (5, 'b', 2.00, '2024-01-02', '2024-01-02 10:00:00', '2024-01-02 10:00:00+00',
                        '22222222-2222-2222-2222-222222222222', false, 'ed'),
                       (6, 'c', 3.25, '2024-01-03', '2024-01-03 10:00:00', '2024-01-03 10:00:00+00',
                        '33333333-3333-3333-3333-333333333333', true, null),
                       (7, 'd', 4.00, '2024-01-04', '2024-01-04 10:00:00', '2024-01-04 10:00:00+00',
                        '44444444-4444-4444-4444-444444444444', true, 'ed');
                insert into tag (name) values ('java'), ('sql'), ('redis');
                insert into post_tag values (1, 1), (1, 2), (2, 2), (3, 3);
                insert into comment (post_id, body, approved) values (1, 'x', true), (1, 'y', false), (3, 'z', true);
                select setval('category_id_seq', 100);
                """);
        prefix = TestServices.uniquePrefix();
        counting = new CountingDataSource(schema.dataSource());
        cacheops = configure(Cacheops.builder()).build();
        ds = cacheops.wrap(counting.dataSource());
    }

    @AfterEach
    void close() {
        cacheops.close();
    }

    // ---- helpers

    static void exec(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Runs a query through the cache. */
    protected List<List<Object>> query(String sql, Object... params) {
        return query(ds, sql, params);
    }

    /** Runs a query directly on the database. */
    protected List<List<Object>> direct(String sql, Object... params) {
        return query(schema.dataSource(), sql, params);
    }

    /** Whether one read of {@code sql} through {@code ds} was a hit of {@code cacheops}. */
    static boolean hitOf(Cacheops cacheops, DataSource ds, String sql, Object... params) {
        long before = cacheops.stats().hits();
        query(ds, sql, params);
        return cacheops.stats().hits() > before;
    }

    /** Reads {@code sql} until a read is a hit (a store after a miss may land later), at most 20 s. */
    static void warmOf(Cacheops cacheops, DataSource ds, String sql, Object... params) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            query(ds, sql, params);
            if (hitOf(cacheops, ds, sql, params)) {
                return;
            }
        }
        throw new AssertionError("never stored: " + sql);
    }

    static List<List<Object>> query(DataSource ds, String sql, Object... params) {
        try (Connection c = ds.getConnection()) {
            return query(c, sql, params);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    static List<List<Object>> query(Connection c, String sql, Object... params) {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<List<Object>> rows = new ArrayList<>();
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<Object> row = new ArrayList<>(n);
                    for (int i = 1; i <= n; i++) {
                        Object v = rs.getObject(i);
                        row.add(v instanceof BigDecimal d ? d.stripTrailingZeros() : v);
                    }
                    rows.add(row);
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Runs a write through the cache, auto-commit. */
    protected int update(String sql, Object... params) {
        try (Connection c = ds.getConnection()) {
            return update(c, sql, params);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    static int update(Connection c, String sql, Object... params) {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /**
     * Runs the query through the cache, checks it equals the database's answer, and returns
     * whether it was a hit (the SQL did not reach the database).
     */
    protected boolean hit(String sql, Object... params) {
        int before = counting.count(sql);
        List<List<Object>> cached = query(sql, params);
        boolean hit = counting.count(sql) == before;
        assertThat(cached).as("cached result of %s equals the database's", sql).isEqualTo(direct(sql, params));
        return hit;
    }

    /** Runs the query once to fill the cache and checks the second run is a hit. */
    protected void warm(String sql, Object... params) {
        hit(sql, params);
        awaitStored(sql, params);
    }

    /** Stores are asynchronous: wait until the query hits (bounded). */
    protected void awaitStored(String sql, Object... params) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!hit(sql, params)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never became a hit: " + sql + " " + cacheops.stats());
            }
            sleep(5);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
