package dev.cacheops.bench.jmh;

import com.zaxxer.hikari.HikariDataSource;
import dev.cacheops.CacheStats;
import dev.cacheops.bench.fixture.BenchSettings;
import dev.cacheops.bench.fixture.CacheFixture;
import dev.cacheops.bench.fixture.CacheFixture.StoreKind;
import dev.cacheops.bench.fixture.Fixtures;
import dev.cacheops.bench.fixture.Pools;
import java.sql.Connection;
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
 * The miss path (memoised analysis, stamps, the database read and the store) against the direct
 * query. Misses are forced by a parameter that never repeats ({@link BenchQuery#runMiss}): every
 * call has a cache key of its own, while the database does the same work in all three variants
 * ({@code missRedis}, {@code missLocal}, {@code direct}, which runs the same miss form).
 *
 * <p>Tear-down fails the benchmark if any measured call was a hit or a pass-through.
 *
 * <p>Run alone: {@code java -jar cacheops-bench/target/cacheops-bench.jar --jmh MissPathBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MissPathBenchmark {
    @Param({"PK", "PAGE", "COUNT", "AGGREGATE"})
    public BenchQuery query;

    private HikariDataSource pool;
    private CacheFixture.Built redis;
    private CacheFixture.Built local;
    private DataSource redisDs;
    private DataSource localDs;
    private long unique;
    private CacheStats redisStart;
    private CacheStats localStart;

    @Setup(Level.Trial)
    public void setUp() throws SQLException {
        BenchSettings s = BenchSettings.fromSystemProperties();
        Fixtures.ensure(Pools.postgres(s), s.schema());
        pool = Pools.pool(s, 2);
        redis = CacheFixture.build(s, StoreKind.REDIS, "miss");
        local = CacheFixture.build(s, StoreKind.LOCAL, "miss");
        redisDs = redis.cacheops().wrap(pool);
        localDs = local.cacheops().wrap(pool);
        // the first call of a statement also fills the catalog and the plan cache: not measured
        for (DataSource ds : new DataSource[] {redisDs, localDs}) {
            try (Connection c = ds.getConnection()) {
                query.runMiss(c, ++unique);
            }
        }
        redisStart = redis.cacheops().stats();
        localStart = local.cacheops().stats();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            requireOnlyMisses("redis", redisStart, redis.cacheops().stats());
            requireOnlyMisses("local", localStart, local.cacheops().stats());
        } finally {
            redis.close();
            local.close();
            pool.close();
        }
    }

    private void requireOnlyMisses(String store, CacheStats before, CacheStats after) {
        long hits = after.hits() - before.hits();
        long passed = after.passThroughTotal() - before.passThroughTotal();
        if (hits != 0 || passed != 0) {
            throw new IllegalStateException(store + " " + query + ": the miss benchmark measured " + hits
                    + " hits and " + passed + " pass-throughs (" + after + ")");
        }
    }

    @Benchmark
    public long missRedis() throws SQLException {
        try (Connection c = redisDs.getConnection()) {
            return query.runMiss(c, ++unique);
        }
    }

    @Benchmark
    public long missLocal() throws SQLException {
        try (Connection c = localDs.getConnection()) {
            return query.runMiss(c, ++unique);
        }
    }

    @Benchmark
    public long direct() throws SQLException {
        try (Connection c = pool.getConnection()) {
            return query.runMiss(c, ++unique);
        }
    }
}
