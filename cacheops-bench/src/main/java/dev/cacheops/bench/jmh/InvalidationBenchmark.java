package dev.cacheops.bench.jmh;

import com.zaxxer.hikari.HikariDataSource;
import dev.cacheops.bench.fixture.BenchSettings;
import dev.cacheops.bench.fixture.CacheFixture;
import dev.cacheops.bench.fixture.CacheFixture.StoreKind;
import dev.cacheops.bench.fixture.Fixtures;
import dev.cacheops.bench.fixture.Pools;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * Invalidation latency against the number of live cache entries, which must stay flat: entries
 * are filled through the public API as {@code entries} distinct cached reads of the small
 * {@code tag} table ({@code where id = k}, k = 1..entries; ids past the 50 rows cache an empty
 * result, which registers its conjunction all the same). Then {@code invalidateRow} invalidates
 * one filled id per call ({@code Cacheops.invalidateRow}, the invalidation alone) and
 * {@code updateRow} runs a single-row {@code UPDATE} of {@code tag} through the cache.
 *
 * <p>Set-up fails unless every fill was stored and {@code invalidateRow} really invalidates a
 * filled entry. Filling 10^6 entries takes minutes.
 *
 * <p>Run alone: {@code java -jar cacheops-bench/target/cacheops-bench.jar --jmh InvalidationBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class InvalidationBenchmark {
    private static final String READ = "select id, name from tag where id = ?";
    private static final int FILL_THREADS = 4;

    @Param({"10", "10000", "1000000"})
    public int entries;

    @Param({"REDIS", "LOCAL"})
    public StoreKind store;

    private HikariDataSource pool;
    private CacheFixture.Built cache;
    private DataSource ds;
    private long next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        BenchSettings s = BenchSettings.fromSystemProperties();
        Fixtures.ensure(Pools.postgres(s), s.schema());
        pool = Pools.pool(s, FILL_THREADS);
        cache = CacheFixture.build(s, store, "inval");
        ds = cache.cacheops().wrap(pool);
        fill();
        long stored = awaitStores(entries);
        if (stored < entries) {
            throw new IllegalStateException("filled " + entries + " entries but only " + stored
                    + " were stored: " + cache.cacheops().stats());
        }
        requireInvalidates();
    }

    /** A cached read of tag 1 must miss after {@code invalidateRow} of tag 1, and hit otherwise. */
    private void requireInvalidates() throws SQLException {
        long hits = cache.cacheops().stats().hits();
        read(1);
        if (cache.cacheops().stats().hits() != hits + 1) {
            throw new IllegalStateException("a filled entry is not served from the cache: " + cache.cacheops().stats());
        }
        long misses = cache.cacheops().stats().misses();
        cache.cacheops().invalidateRow("tag", Map.of("id", 1L));
        read(1);
        if (cache.cacheops().stats().misses() != misses + 1) {
            throw new IllegalStateException("invalidateRow(tag, id=1) left its entry valid: " + cache.cacheops().stats());
        }
    }

    private void read(long id) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(READ)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rs.getString(2);
                }
            }
        }
    }

    private void fill() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(FILL_THREADS);
        try {
            List<Future<Void>> done = new ArrayList<>();
            for (int t = 0; t < FILL_THREADS; t++) {
                int first = t + 1;
                done.add(threads.submit(() -> {
                    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(READ)) {
                        for (long id = first; id <= entries; id += FILL_THREADS) {
                            ps.setLong(1, id);
                            try (ResultSet rs = ps.executeQuery()) {
                                while (rs.next()) {
                                    rs.getString(2);
                                }
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<Void> f : done) {
                f.get();
            }
        } finally {
            threads.shutdown();
        }
    }

    private long awaitStores(long expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long stored;
        while ((stored = cache.cacheops().stats().stores()) < expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return stored;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        cache.close();
        pool.close();
    }

    @Benchmark
    public void invalidateRow() {
        next = next % entries + 1;
        cache.cacheops().invalidateRow("tag", Map.of("id", next));
    }

    @Benchmark
    public int updateRow() throws SQLException {
        next = next % Fixtures.TAGS + 1;
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("update tag set name = name where id = ?")) {
            ps.setLong(1, next);
            return ps.executeUpdate();
        }
    }
}
