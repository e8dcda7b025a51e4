package dev.cacheops.bench.jmh;

import com.zaxxer.hikari.HikariDataSource;
import dev.cacheops.CacheStats;
import dev.cacheops.Cacheops;
import dev.cacheops.Op;
import dev.cacheops.bench.fixture.BenchSettings;
import dev.cacheops.bench.fixture.Fixtures;
import dev.cacheops.bench.fixture.Pools;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
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
 * The hit path on Redis Cluster (issue 13: within 1.1x of a raw Lettuce cluster {@code GET} of the
 * same bytes): a hit of each {@link BenchQuery} through the cache on a cluster
 * ({@code hitCluster}), a raw {@code GET} through Lettuce's cluster client of a value exactly as
 * long as the cached entry ({@code rawClusterGet}), and a raw {@code MGET} of the keys a hit reads
 * ({@code rawClusterMget}: entry, epoch and stamps, in three or more slots), which separates the
 * cluster's fan-out from the library's own work. Checked like {@link HitPathBenchmark}: set-up
 * fails unless a repeated query is a hit, tear-down fails on any measured miss.
 *
 * <p>Not in {@link JmhSuite#ALL}: it needs a cluster. The full run starts one
 * ({@code fixture.LocalCluster}, when {@code redis-server} is on the PATH) and passes it as
 * {@code -Dbench.redisCluster}; alone, name one with the environment variable {@code
 * CACHEOPS_BENCH_REDIS_CLUSTER} (inherited by JMH's forks), e.g. {@code
 * CACHEOPS_BENCH_REDIS_CLUSTER=redis-cluster://127.0.0.1:7000 java -jar
 * cacheops-bench/target/cacheops-bench.jar --jmh ClusterHitPathBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ClusterHitPathBenchmark {
    /** The system property naming the cluster (the full run starts one and sets it for the fork). */
    public static final String CLUSTER_PROPERTY = "bench.redisCluster";

    @Param({"PK", "PAGE"})
    public BenchQuery query;

    private HikariDataSource pool;
    private Cacheops cacheops;
    private String prefix;
    private DataSource ds;
    private RedisClusterClient client;
    private StatefulRedisClusterConnection<byte[], byte[]> raw;
    private byte[] rawKey;
    private byte[][] hitKeys;
    private CacheStats afterWarm;

    @Setup(Level.Trial)
    public void setUp() throws SQLException {
        String cluster = System.getProperty(CLUSTER_PROPERTY, System.getenv("CACHEOPS_BENCH_REDIS_CLUSTER"));
        if (cluster == null || cluster.isBlank()) {
            throw new IllegalStateException("set -D" + CLUSTER_PROPERTY
                    + " or CACHEOPS_BENCH_REDIS_CLUSTER to a redis-cluster:// URI");
        }
        BenchSettings s = BenchSettings.fromSystemProperties();
        Fixtures.ensure(Pools.postgres(s), s.schema());
        pool = Pools.pool(s, 2);
        prefix = BenchSettings.freshPrefix("cluster-hit");
        cacheops = Cacheops.builder().redis(cluster).prefix(prefix)
                .profile("*", Op.ALL, Duration.ofMinutes(30))
                .redisTimeout(Duration.ofSeconds(2)).redisConnectTimeout(Duration.ofSeconds(5))
                .build();
        ds = cacheops.wrap(pool);
        afterWarm = warm();
        client = RedisClusterClient.create(cluster.replaceFirst("^redis-cluster://", "redis://")
                .replaceFirst("^rediss-cluster://", "rediss://").replaceFirst(",.*$", ""));
        raw = client.connect(ByteArrayCodec.INSTANCE);
        RedisAdvancedClusterCommands<byte[], byte[]> redis = raw.sync();
        List<byte[]> entries = new ArrayList<>();
        List<byte[]> keys = new ArrayList<>();
        for (byte[] k : allKeys()) {
            String key = new String(k, StandardCharsets.UTF_8);
            if (key.startsWith(prefix + ":q:")) {
                entries.add(k);
            } else if (key.equals(prefix + ":epoch") || key.startsWith(prefix + ":sv:")
                    || key.startsWith(prefix + ":conj:")) {
                keys.add(k);
            }
        }
        if (entries.size() != 1) {
            throw new IllegalStateException("expected one cached entry, found " + entries.size());
        }
        keys.add(0, entries.get(0));
        hitKeys = keys.toArray(byte[][]::new);
        byte[] value = new byte[(int) (long) redis.strlen(entries.get(0))];
        new Random(1).nextBytes(value);
        rawKey = (prefix + ":raw").getBytes(StandardCharsets.UTF_8);
        redis.set(rawKey, value);
    }

    /**
     * The keys under the prefix, from every master (KEYS through the cluster client runs on each),
     * over a text connection: the pattern's type differs between Lettuce 6.8 and 7.
     */
    private List<byte[]> allKeys() {
        try (StatefulRedisClusterConnection<String, String> text = client.connect()) {
            return text.sync().keys(prefix + ":*").stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
        }
    }

    private CacheStats warm() throws SQLException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (Connection c = ds.getConnection()) {
            while (true) {
                query.runHit(c);
                long before = cacheops.stats().hits();
                query.runHit(c);
                CacheStats after = cacheops.stats();
                if (after.hits() == before + 1) {
                    return after;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(query + " is not served from the cluster cache: " + after);
                }
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            MeasuredHits.requireOnlyHits("cluster " + query, afterWarm, cacheops.stats());
        } finally {
            RedisAdvancedClusterCommands<byte[], byte[]> redis = raw.sync();
            List<byte[]> left = allKeys();
            if (!left.isEmpty()) {
                redis.del(left.toArray(byte[][]::new));
            }
            raw.close();
            client.shutdown();
            cacheops.close();
            pool.close();
        }
    }

    @Benchmark
    public long hitCluster() throws SQLException {
        try (Connection c = ds.getConnection()) {
            return query.runHit(c);
        }
    }

    @Benchmark
    public byte[] rawClusterGet() {
        return raw.sync().get(rawKey);
    }

    @Benchmark
    public Object rawClusterMget() {
        return raw.sync().mget(hitKeys);
    }
}
