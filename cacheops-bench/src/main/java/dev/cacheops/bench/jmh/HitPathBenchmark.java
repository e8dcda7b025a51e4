package dev.cacheops.bench.jmh;

import com.zaxxer.hikari.HikariDataSource;
import dev.cacheops.CacheStats;
import dev.cacheops.Consistency;
import dev.cacheops.NearCacheStats;
import dev.cacheops.bench.fixture.BenchSettings;
import dev.cacheops.bench.fixture.CacheFixture;
import dev.cacheops.bench.fixture.CacheFixture.StoreKind;
import dev.cacheops.bench.fixture.Fixtures;
import dev.cacheops.bench.fixture.Pools;
import dev.cacheops.bench.fixture.RedisKeys;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Random;
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
 * The hit path of each {@link BenchQuery}, against its baselines in the same run: through the
 * cache on Redis ({@code hitRedis}), on Redis with a near cache ({@code hitNear}, RELAXED: the
 * entry served from process memory, Redis asked nothing) and on the in-process store
 * ({@code hitLocal}), directly on PostgreSQL ({@code direct}), and a raw Lettuce {@code GET} of a
 * value exactly as long as the cached entry ({@code rawGet}, the physical limit of a remote hit).
 * Every variant borrows a pooled connection and reads every column of every row.
 *
 * <p>The harness checks itself: set-up fails unless a repeated query is counted as a hit (for
 * {@code hitNear}, as a near hit), and tear-down fails the benchmark if any measured call was a
 * miss or a pass-through (or, for {@code hitNear}, a hit that went to Redis), so that a silently
 * bypassed cache can never be reported as a fast hit.
 *
 * <p>Run alone: {@code java -jar cacheops-bench/target/cacheops-bench.jar --jmh HitPathBenchmark}
 * (or any JMH options: {@code java -cp cacheops-bench/target/cacheops-bench.jar
 * org.openjdk.jmh.Main HitPathBenchmark -p query=PAGE}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HitPathBenchmark {
    @Param({"PK", "PAGE", "COUNT", "AGGREGATE"})
    public BenchQuery query;

    private HikariDataSource pool;
    private CacheFixture.Built redis;
    private CacheFixture.Built local;
    private CacheFixture.Built near;
    private DataSource redisDs;
    private DataSource localDs;
    private DataSource nearDs;
    private RedisKeys raw;
    private String rawKey;
    private CacheStats redisAfterWarm;
    private CacheStats localAfterWarm;
    private CacheStats nearAfterWarm;
    private NearCacheStats nearHitsAfterWarm;

    @Setup(Level.Trial)
    public void setUp() throws SQLException {
        BenchSettings s = BenchSettings.fromSystemProperties();
        Fixtures.ensure(Pools.postgres(s), s.schema());
        pool = Pools.pool(s, 2);
        redis = CacheFixture.build(s, StoreKind.REDIS, "hit");
        local = CacheFixture.build(s, StoreKind.LOCAL, "hit");
        near = CacheFixture.build(s, StoreKind.NEAR, "hitnear", Consistency.RELAXED);
        redisDs = redis.cacheops().wrap(pool);
        localDs = local.cacheops().wrap(pool);
        nearDs = near.cacheops().wrap(pool);
        redisAfterWarm = warm(redisDs, redis);
        localAfterWarm = warm(localDs, local);
        nearAfterWarm = warm(nearDs, near);
        nearHitsAfterWarm = near.cacheops().nearCacheStats();
        raw = new RedisKeys(s.redisUri());
        List<String> entries = raw.keys(redis.prefix() + ":q:");
        if (entries.size() != 1) {
            throw new IllegalStateException("expected one cached entry, found " + entries);
        }
        byte[] value = new byte[(int) raw.strlen(entries.get(0))];
        new Random(1).nextBytes(value);
        rawKey = BenchSettings.freshPrefix("raw") + ":value";
        raw.set(rawKey, value);
    }

    /**
     * Fills the entry and proves a repeated query is a hit (with a near cache: a near hit). Retries
     * for a while: the first calls on a fresh JVM (script loading, class loading, a profiler
     * attaching) may exceed the Redis timeout and pass through, which is the library degrading as
     * designed, not a harness fault; and a near cache serves only once its watch is established.
     */
    private CacheStats warm(DataSource ds, CacheFixture.Built built) throws SQLException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (Connection c = ds.getConnection()) {
            while (true) {
                query.runHit(c);
                long before = built.cacheops().stats().hits();
                long nearBefore = nearHits(built);
                query.runHit(c);
                CacheStats after = built.cacheops().stats();
                if (after.hits() == before + 1 && nearHits(built) == nearBefore + (built == near ? 1 : 0)
                        && (built != near || settled(c))) {
                    return built.cacheops().stats();
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(query + " is not served from the " + built.kind()
                            + " cache: " + after + (built == near ? ", " + near.cacheops().nearCacheStats() : ""));
                }
            }
        }
    }

    /**
     * Whether the near cache has heard every report the fill caused: the first read creates the
     * stamps it depends on, and Redis reports those creations to the watch asynchronously, so a
     * report may still arrive after the first near hit and drop the entry once. Settled when, after
     * a pause, no report arrived and five reads in a row were near hits.
     */
    private boolean settled(Connection c) throws SQLException {
        long changed = near.cacheops().nearCacheStats().keysChanged();
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        long before = nearHits(near);
        for (int i = 0; i < 5; i++) {
            query.runHit(c);
        }
        NearCacheStats after = near.cacheops().nearCacheStats();
        return after.hits() == before + 5 && after.keysChanged() == changed;
    }

    private static long nearHits(CacheFixture.Built built) {
        NearCacheStats n = built.cacheops().nearCacheStats();
        return n == null ? 0 : n.hits();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            MeasuredHits.requireOnlyHits("redis " + query, redisAfterWarm, redis.cacheops().stats());
            MeasuredHits.requireOnlyHits("local " + query, localAfterWarm, local.cacheops().stats());
            MeasuredHits.requireOnlyNearHits("near " + query, nearAfterWarm, near.cacheops().stats(),
                    nearHitsAfterWarm, near.cacheops().nearCacheStats());
        } finally {
            raw.commands().del(rawKey);
            raw.close();
            redis.close();
            local.close();
            near.close();
            pool.close();
        }
    }

    @Benchmark
    public long hitRedis() throws SQLException {
        try (Connection c = redisDs.getConnection()) {
            return query.runHit(c);
        }
    }

    @Benchmark
    public long hitLocal() throws SQLException {
        try (Connection c = localDs.getConnection()) {
            return query.runHit(c);
        }
    }

    @Benchmark
    public long hitNear() throws SQLException {
        try (Connection c = nearDs.getConnection()) {
            return query.runHit(c);
        }
    }

    @Benchmark
    public long direct() throws SQLException {
        try (Connection c = pool.getConnection()) {
            return query.runHit(c);
        }
    }

    @Benchmark
    public byte[] rawGet() {
        return raw.commands().get(rawKey);
    }
}
