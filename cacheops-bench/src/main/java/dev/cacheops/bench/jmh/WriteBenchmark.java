package dev.cacheops.bench.jmh;

import com.zaxxer.hikari.HikariDataSource;
import dev.cacheops.Consistency;
import dev.cacheops.bench.fixture.BenchSettings;
import dev.cacheops.bench.fixture.CacheFixture;
import dev.cacheops.bench.fixture.CacheFixture.StoreKind;
import dev.cacheops.bench.fixture.Fixtures;
import dev.cacheops.bench.fixture.Pools;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The cost of writes: an auto-commit single-row {@code UPDATE} by primary key and a 1,000-row
 * {@code UPDATE} (two categories), plain on PostgreSQL ({@code PLAIN}) and through the cache on
 * Redis in {@code STRICT} and {@code RELAXED} consistency, and {@code RELAXED_STREAM}: RELAXED with
 * the change stream on and {@code leaveWritesToStream(true)}, whose writes read no images and
 * invalidate nothing themselves (needs {@code wal_level=logical}; a slot of its own, dropped at
 * the end). Cached reads of {@code post} by id, by
 * category and counted are registered first, so that the writes really read old images and
 * invalidate conjunctions (a table nobody caches would cost nothing extra).
 *
 * <p>Set-up checks that a write through the cache invalidates a cached read of the written row.
 *
 * <p>Run alone: {@code java -jar cacheops-bench/target/cacheops-bench.jar --jmh WriteBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class WriteBenchmark {
    /**
     * Plain PostgreSQL; the same statements the cache adds to a write, without the cache
     * ({@code PLAIN_TX}: transaction, old-image select {@code FOR UPDATE}, write, commit, i.e. the
     * database's share of the overhead); or through the cache with a consistency.
     */
    public enum Path { PLAIN, PLAIN_TX, STRICT, RELAXED, RELAXED_STREAM }

    @Param({"PLAIN", "PLAIN_TX", "STRICT", "RELAXED", "RELAXED_STREAM"})
    public Path path;

    private HikariDataSource pool;
    private CacheFixture.Built cache;
    private DataSource ds;
    private long row;
    private int category;
    private String slot;
    private BenchSettings settings;

    @Setup(Level.Trial)
    public void setUp() throws SQLException {
        BenchSettings s = BenchSettings.fromSystemProperties();
        Fixtures.ensure(Pools.postgres(s), s.schema());
        pool = Pools.pool(s, 2);
        if (path == Path.PLAIN || path == Path.PLAIN_TX) {
            ds = pool;
            return;
        }
        settings = s;
        if (path == Path.RELAXED_STREAM) {
            slot = "cacheops_bench_" + Long.toHexString(System.nanoTime());
            String url = s.jdbcUrl() + (s.jdbcUrl().contains("?") ? "&" : "?") + "user=" + s.user()
                    + (s.password().isEmpty() ? "" : "&password=" + s.password());
            cache = CacheFixture.build(s, StoreKind.REDIS, Consistency.RELAXED, BenchSettings.freshPrefix("write"),
                    b -> b.changeStream(url, slot).leaveWritesToStream(true));
        } else {
            cache = CacheFixture.build(s, StoreKind.REDIS, "write",
                    path == Path.STRICT ? Consistency.STRICT : Consistency.RELAXED);
        }
        ds = cache.cacheops().wrap(pool);
        try (Connection c = ds.getConnection()) {
            BenchQuery.PK.runHit(c);
            BenchQuery.PAGE.runHit(c);
            BenchQuery.COUNT.runHit(c);
            BenchQuery.PK.runHit(c);
            long misses = cache.cacheops().stats().misses();
            update(c, "update post set views = views + 1 where id = ?", 4242);
            BenchQuery.PK.runHit(c);
            // With the stream the invalidation comes after the commit: wait for it (bounded).
            for (int i = 0; path == Path.RELAXED_STREAM && i < 300 && cache.cacheops().stats().misses() == misses; i++) {
                sleep(100);
                BenchQuery.PK.runHit(c);
            }
            long after = cache.cacheops().stats().misses();
            if (path == Path.RELAXED_STREAM ? after < misses + 1 : after != misses + 1) {
                throw new IllegalStateException("an update of post 4242 did not invalidate its cached read: "
                        + cache.cacheops().stats());
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
        if (cache != null) {
            cache.close();
        }
        pool.close();
        if (slot != null) {
            // A slot left behind would keep WAL forever; it is free once the closed instance's connection ended.
            try (Connection c = Pools.postgres(settings).getConnection(); var st = c.createStatement()) {
                for (int i = 0; ; i++) {
                    try {
                        st.execute("select pg_drop_replication_slot('" + slot + "')");
                        break;
                    } catch (SQLException e) {
                        if (i > 100) {
                            throw e;
                        }
                        sleep(100);
                    }
                }
                st.execute("drop publication if exists " + slot);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Benchmark
    public int updateOneRow() throws SQLException {
        return oneRow("update post set views = views + 1 where id = ?");
    }

    /**
     * A single-row UPDATE whose condition names its row images (DESIGN §4, "Images from the
     * condition"): the cached page lists no {@code version}, so only the key's results are
     * affected and the key is fixed. A strict write locks, runs the statement in auto-commit and
     * releases; {@code PLAIN_TX} runs it as a strict write ran before (image select, update,
     * commit).
     */
    @Benchmark
    public int updateOneRowByKey() throws SQLException {
        return oneRow("update post set version = version + 1 where id = ?");
    }

    /** Runs {@code update} on the next post by id, with the image select of a strict write in {@code PLAIN_TX}. */
    private int oneRow(String update) throws SQLException {
        row = row % Fixtures.POSTS + 1;
        try (Connection c = ds.getConnection()) {
            int n = write(c, "select id, category_id from post where id = ? for update", update, row);
            if (n != 1) {
                throw new IllegalStateException("expected 1 row, updated " + n);
            }
            return n;
        }
    }

    @Benchmark
    public int updateThousandRows() throws SQLException {
        category = category % (Fixtures.CATEGORIES - 1) + 1;
        try (Connection c = ds.getConnection()) {
            int n = write(c, "select id, category_id from post where category_id in (?, ?) for update",
                    "update post set views = views + 1 where category_id in (?, ?)", category, category + 1);
            if (n != 2 * Fixtures.POSTS / Fixtures.CATEGORIES) {
                throw new IllegalStateException("expected 1,000 rows, updated " + n);
            }
            return n;
        }
    }

    /**
     * Runs {@code update}; for {@code PLAIN_TX}, the way a strict write through the cache runs it
     * (in a transaction, after reading the old images with {@code imageSelect}), by hand.
     */
    private int write(Connection c, String imageSelect, String update, long... params) throws SQLException {
        if (path != Path.PLAIN_TX) {
            return update(c, update, params);
        }
        c.setAutoCommit(false);
        try {
            try (PreparedStatement ps = c.prepareStatement(imageSelect)) {
                bind(ps, params);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rs.getLong(2);
                    }
                }
            }
            int n = update(c, update, params);
            c.commit();
            return n;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private static void bind(PreparedStatement ps, long... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            ps.setLong(i + 1, params[i]);
        }
    }

    private static int update(Connection c, String sql, long... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            return ps.executeUpdate();
        }
    }
}
