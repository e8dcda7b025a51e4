package dev.cacheops.bench.oltp;

import com.zaxxer.hikari.HikariDataSource;
import dev.cacheops.CacheStats;
import dev.cacheops.Cacheops;
import dev.cacheops.Op;
import dev.cacheops.bench.fixture.BenchSettings;
import dev.cacheops.bench.fixture.CacheFixture;
import dev.cacheops.bench.fixture.Pools;
import dev.cacheops.bench.fixture.RedisKeys;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.SplittableRandom;
import javax.sql.DataSource;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.RedisClient;

/**
 * Runs one cell of the transport comparison: {@value OltpSchema#BLOBS} values of
 * {@value OltpSchema#BLOB_BYTES} bytes, read at random by {@code threads} threads through one
 * {@link Transport}. The raw Redis values live under a fresh prefix of this module and are deleted
 * afterwards. A failed read (missing value) fails the cell.
 */
final class TransportCells {
    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
    private static final String PK = "select id, v from oltp_blob where id = ?";
    private final BenchSettings settings;
    private final long seed;

    TransportCells(BenchSettings oltpSettings, long seed) {
        this.settings = oltpSettings;
        this.seed = seed;
    }

    private record Probe(RedisInfo redis, CacheStats stats) {
    }

    TransportResult run(Transport transport, int threads, Duration warmup, Duration settle, Duration window)
            throws Exception {
        String prefix = BenchSettings.freshPrefix("oltp-raw") + ":";
        try (RedisKeys redis = new RedisKeys(settings.redisUri())) {
            try {
                String[] keys = new String[OltpSchema.BLOBS];
                for (int i = 0; i < keys.length; i++) {
                    keys[i] = prefix + (i + 1);
                    redis.set(keys[i], value(i + 1));
                }
                return measure(transport, threads, warmup, settle, window, redis, keys);
            } finally {
                redis.deletePrefix(prefix);
            }
        }
    }

    /** The same bytes as row {@code id} of {@code oltp_blob}. */
    private static byte[] value(int id) {
        return String.valueOf((char) (97 + id % 26)).repeat(OltpSchema.BLOB_BYTES).getBytes(StandardCharsets.US_ASCII);
    }

    private TransportResult measure(Transport transport, int threads, Duration warmup, Duration settle,
                                    Duration window, RedisKeys redis, String[] keys) throws Exception {
        io.lettuce.core.RedisClient lettuce = io.lettuce.core.RedisClient.create(settings.redisUri());
        GenericObjectPoolConfig<redis.clients.jedis.Connection> poolConfig = new GenericObjectPoolConfig<>();
        poolConfig.setMaxTotal(threads);
        poolConfig.setMaxIdle(threads);
        poolConfig.setMinIdle(threads);
        try (StatefulRedisConnection<String, byte[]> shared = lettuce.connect(CODEC);
             RedisClient jedis = transport == Transport.JEDIS_POOLED
                     ? RedisClient.builder().fromURI(settings.redisUri()).poolConfig(poolConfig).build() : null;
             HikariDataSource pool = transport == Transport.CACHEOPS_REDIS_HIT ? Pools.pool(settings, threads) : null;
             CacheFixture.Built cache = transport == Transport.CACHEOPS_REDIS_HIT ? cacheops() : null) {
            DataSource cached = cache == null ? null : cache.cacheops().wrap(pool);
            byte[][] rawKeys = new byte[keys.length][];
            for (int i = 0; i < keys.length; i++) {
                rawKeys[i] = keys[i].getBytes(StandardCharsets.UTF_8);
            }
            TimedRun.Workers workers = index -> {
                SplittableRandom rnd = new SplittableRandom(seed * 1000 + index);
                return switch (transport) {
                    case POSTGRES_PK -> postgres(Pools.postgres(settings), rnd);
                    case LETTUCE_SHARED -> () -> check(shared.sync().get(keys[rnd.nextInt(keys.length)]));
                    case LETTUCE_PER_THREAD -> {
                        StatefulRedisConnection<String, byte[]> own = lettuce.connect(CODEC);
                        yield new TimedRun.Worker() {
                            @Override
                            public void step() {
                                check(own.sync().get(keys[rnd.nextInt(keys.length)]));
                            }

                            @Override
                            public void close() {
                                own.close();
                            }
                        };
                    }
                    case JEDIS_POOLED -> () -> check(jedis.get(rawKeys[rnd.nextInt(rawKeys.length)]));
                    case CACHEOPS_REDIS_HIT -> postgres(cached, rnd);
                };
            };
            if (cached != null) {
                fill(cached);
            }
            TimedRun.Window<Probe> w = TimedRun.run(threads, warmup, settle, window, workers,
                    () -> new Probe(RedisInfo.read(redis), cache == null ? null : cache.cacheops().stats()));
            String note = "";
            if (cache != null) {
                CacheStats a = w.before().stats();
                CacheStats b = w.after().stats();
                note = String.format("misses %d, pass-throughs %d, store errors %d", b.misses() - a.misses(),
                        b.passThroughTotal() - a.passThroughTotal(), b.storeErrors() - a.storeErrors());
            }
            return new TransportResult(transport, threads, w.ops(), w.seconds(), w.latency().getValueAtPercentile(50),
                    w.latency().getValueAtPercentile(99), w.jvmCpuMicrosPerOp(),
                    (w.after().redis().cpuSeconds() - w.before().redis().cpuSeconds()) * 1e6 / Math.max(1, w.ops()),
                    note, w.jitMillis(), w.warmupSeconds());
        } finally {
            lettuce.shutdown();
        }
    }

    /** A worker with its own connection (pgjdbc, or one borrowed for good from {@code ds}). */
    private static TimedRun.Worker postgres(DataSource ds, SplittableRandom rnd) throws Exception {
        Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(PK);
        return new TimedRun.Worker() {
            @Override
            public void step() throws Exception {
                ps.setInt(1, 1 + rnd.nextInt(OltpSchema.BLOBS));
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("no row");
                    }
                    String v = rs.getString(2);
                    if (v.length() != OltpSchema.BLOB_BYTES) {
                        throw new IllegalStateException("expected " + OltpSchema.BLOB_BYTES + " characters");
                    }
                }
            }

            @Override
            public void close() throws Exception {
                ps.close();
                c.close();
            }
        };
    }

    /** Reads every row once through the cache, so that the measured reads are all hits. */
    private static void fill(DataSource cached) throws Exception {
        try (Connection c = cached.getConnection(); PreparedStatement ps = c.prepareStatement(PK)) {
            for (int id = 1; id <= OltpSchema.BLOBS; id++) {
                ps.setInt(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                }
            }
        }
    }

    private static void check(byte[] value) {
        if (value == null || value.length != OltpSchema.BLOB_BYTES) {
            throw new IllegalStateException("expected " + OltpSchema.BLOB_BYTES + " bytes, got "
                    + (value == null ? "null" : value.length));
        }
    }

    private CacheFixture.Built cacheops() {
        String prefix = BenchSettings.freshPrefix("oltp-hit");
        return new CacheFixture.Built(Cacheops.builder().prefix(prefix)
                .profile("oltp_*", Op.ALL, Duration.ofMinutes(15)).redis(settings.redisUri()).build(),
                prefix, CacheFixture.StoreKind.REDIS, settings.redisUri());
    }
}
