package dev.cacheops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheops.testing.RedisCluster;
import dev.cacheops.testing.TestServices;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A first, JMH-free measurement of the hit path on Redis Cluster (issue 13: "within 1.1x of a raw
 * Lettuce cluster {@code GET} of the same bytes"): one thread alternates rounds of cached hits of a
 * primary-key read through the JDBC wrapper (the default blocking hit read, and a second instance
 * reading through Lettuce only, as before it), raw {@code GET}s, through Lettuce's cluster client,
 * of a value as long as the cached entry, and raw {@code MGET}s of the keys a hit reads (entry,
 * epoch, the table's stamps: three slots), and prints the medians of the rounds and the ratios. Timing decides
 * nothing here (the machine is shared): the test asserts only that the hits were hits. For
 * figures worth quoting, run it on a quiet machine:
 * {@code ./mvnw -o verify -pl cacheops-core -Dtest=None -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=ClusterHitPathIT}.
 */
class ClusterHitPathIT {
    private static final String READ = "select id, title, body from article where id = ?";

    @Test
    void hitThroughTheCacheAgainstARawClusterGet() throws Exception {
        RedisCluster cluster = RedisCluster.shared();
        String prefix = TestServices.uniquePrefix();
        try (TestServices.SchemaDataSource schema = TestServices.freshPostgresSchema()) {
            try (Connection c = schema.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("create table article (id int primary key, title text not null, body text not null)");
                s.execute("insert into article values (1, 'title', repeat('x', 200))");
            }
            RedisClusterClient client = RedisClusterClient.create(cluster.uri().replace("redis-cluster://", "redis://"));
            try (Cacheops cacheops = Cacheops.builder().redis(cluster.uri()).prefix(prefix)
                    .redisTimeout(Duration.ofSeconds(2)).profile("*", Op.ALL, Duration.ofHours(1)).build();
                 Cacheops lettuceOnly = Cacheops.builder().redis(cluster.uri()).prefix(prefix)
                         .redisTimeout(Duration.ofSeconds(2)).profile("*", Op.ALL, Duration.ofHours(1))
                         .clusterBlockingReads(false).build();
                 StatefulRedisClusterConnection<byte[], byte[]> raw = client.connect(ByteArrayCodec.INSTANCE)) {
                var ds = cacheops.wrap(schema.dataSource());
                var viaLettuce = lettuceOnly.wrap(schema.dataSource());
                RedisAdvancedClusterCommands<byte[], byte[]> redis = raw.sync();
                try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(READ);
                     Connection c2 = viaLettuce.getConnection(); PreparedStatement ps2 = c2.prepareStatement(READ)) {
                    read(ps);
                    Thread.sleep(200); // the fill is not awaited
                    List<String> entries;
                    List<String> hitKeys = new java.util.ArrayList<>();
                    try (StatefulRedisClusterConnection<String, String> text = client.connect()) {
                        entries = text.sync().keys(prefix + ":q:*");
                        hitKeys.addAll(entries);
                        for (String k : text.sync().keys(prefix + ":*")) {
                            if (k.endsWith(":epoch") || k.contains(":sv:") || k.contains(":conj:")) {
                                hitKeys.add(k);
                            }
                        }
                    }
                    byte[][] mgetKeys = hitKeys.stream().map(String::getBytes).toArray(byte[][]::new);
                    assertThat(entries).hasSize(1);
                    byte[] value = new byte[(int) (long) redis.strlen(entries.get(0).getBytes())];
                    new Random(1).nextBytes(value);
                    byte[] rawKey = (prefix + ":raw").getBytes();
                    redis.set(rawKey, value);

                    int rounds = 11;
                    int perRound = 1_000;
                    long[] hit = new long[rounds];
                    long[] get = new long[rounds];
                    long[] mget = new long[rounds];
                    long[] hitLettuce = new long[rounds];
                    for (int warm = 0; warm < 8; warm++) {
                        time(() -> read(ps), perRound);
                        time(() -> read(ps2), perRound);
                        time(() -> redis.get(rawKey), perRound);
                    }
                    long hitsBefore = cacheops.stats().hits();
                    long lettuceHitsBefore = lettuceOnly.stats().hits();
                    for (int r = 0; r < rounds; r++) {
                        hit[r] = time(() -> read(ps), perRound);
                        get[r] = time(() -> redis.get(rawKey), perRound);
                        mget[r] = time(() -> redis.mget(mgetKeys), perRound);
                        hitLettuce[r] = time(() -> read(ps2), perRound);
                    }
                    long hits = cacheops.stats().hits() - hitsBefore;
                    assertThat(hits).as("every measured read was a hit").isEqualTo((long) rounds * perRound);
                    assertThat(lettuceOnly.stats().hits() - lettuceHitsBefore).as("every measured read was a hit")
                            .isEqualTo((long) rounds * perRound);
                    double hitMicros = median(hit) / 1_000.0 / perRound;
                    double lettuceMicros = median(hitLettuce) / 1_000.0 / perRound;
                    double getMicros = median(get) / 1_000.0 / perRound;
                    double mgetMicros = median(mget) / 1_000.0 / perRound;
                    // The raw MGET of the hit's own keys (entry, epoch, the table's stamps: three
                    // slots) separates the cluster's fan-out from the library's own work.
                    System.out.printf("cluster hit path: %d-byte entry, JDBC hit %.1f us (blocking reads) / %.1f us "
                            + "(Lettuce only), raw cluster GET %.1f us (ratios %.2f / %.2f), raw cluster MGET of the "
                            + "hit's %d keys %.1f us%n", value.length, hitMicros, lettuceMicros, getMicros,
                            hitMicros / getMicros, lettuceMicros / getMicros, mgetKeys.length, mgetMicros);
                    redis.del(rawKey);
                }
            } finally {
                client.shutdown();
            }
        }
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static long time(ThrowingRunnable r, int times) throws Exception {
        long t0 = System.nanoTime();
        for (int i = 0; i < times; i++) {
            r.run();
        }
        return System.nanoTime() - t0;
    }

    private static void read(PreparedStatement ps) throws SQLException {
        ps.setInt(1, 1);
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rs.getInt(1);
                rs.getString(2);
                rs.getString(3);
            }
        }
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
