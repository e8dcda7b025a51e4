package dev.cacheops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheops.testing.RedisProcess;
import dev.cacheops.testing.TestCertificates;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Caching and invalidation end to end over {@code rediss://}: a redis-server of its own speaking
 * TLS only, with a certificate signed by a CA the test makes, trusted through
 * {@link Cacheops.Builder#redisTrustedCa}. Both clients go over TLS: the reads (Jedis pool) and the
 * fills and invalidations (Lettuce); no plain port is open to fall back to.
 */
class RedisTlsIT extends CachingContract {
    private TestCertificates certs;
    private RedisProcess redis;

    @BeforeAll
    void startRedis() {
        certs = TestCertificates.create();
        redis = RedisProcess.startTls(certs);
    }

    @AfterAll
    void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @Override
    protected Cacheops.Builder store(Cacheops.Builder builder) {
        return builder.redis(redis.tlsUri()).redisTrustedCa(certs.caCert());
    }

    @Test
    void readIsServedFromCacheAndAnUpdateInvalidatesIt() {
        String sql = CachingBehaviour.BY_CATEGORY;
        warm(sql, 5);
        // From the first hit on both clients are connected: the first TLS handshake of a cold JVM
        // may outlast the start-up wait, and a read before it counts a store error (DESIGN §7).
        CacheStats connected = cacheops.stats();
        warm(sql, 6);
        assertThat(hit(sql, 5)).as("served from Redis over TLS").isTrue();
        update("update post set title = 'tls' where id = 1"); // category 5
        assertThat(hit(sql, 5)).as("invalidated over TLS").isFalse();
        assertThat(hit(sql, 6)).as("another category stays cached").isTrue();
        awaitStored(sql, 5);
        assertThat(query(sql, 5)).contains(List.of(1, "tls"));
        CacheStats since = cacheops.stats().minus(connected);
        assertThat(since.storeErrors()).as("store errors over TLS: %s", since).isZero();
        assertThat(since.hits()).isPositive();
    }

    @Test
    void functionResultIsCachedOverTls() {
        int[] computed = {0};
        CachedFunction<Integer> count = cacheops.function("count", Integer.class)
                .dependsOnQuery("select count(*) from post where category_id = ?")
                .build(args -> {
                    computed[0]++;
                    return ((Number) query("select count(*) from post where category_id = ?", args[0])
                            .get(0).get(0)).intValue();
                });
        assertThat(count.get(5)).isEqualTo(2);
        long deadline = System.nanoTime() + 5_000_000_000L;
        int before;
        do {
            before = computed[0];
            count.get(5);
        } while (computed[0] != before && System.nanoTime() < deadline);
        assertThat(computed[0]).as("cached").isEqualTo(before);
        update("insert into post (category_id, title) values (5, 'new')");
        assertThat(count.get(5)).isEqualTo(3);
        assertThat(cacheops.stats().storeErrors()).isZero();
    }
}
