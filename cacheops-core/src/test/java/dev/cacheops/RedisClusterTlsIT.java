package dev.cacheops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheops.testing.RedisCluster;
import dev.cacheops.testing.TestCertificates;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Caching and invalidation end to end over {@code rediss-cluster://}: a cluster of its own (3
 * masters, no replicas) speaking TLS only, to clients and on its bus, with certificates signed by a
 * CA the test makes and trusted through {@link Cacheops.Builder#redisTrustedCa}. The client
 * discovers the other nodes from the seed and verifies each one's certificate and address.
 */
class RedisClusterTlsIT extends CachingContract {
    private TestCertificates certs;
    private RedisCluster cluster;

    @BeforeAll
    void startCluster() {
        certs = TestCertificates.forCluster();
        cluster = RedisCluster.startTls(certs, 3, 0);
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    protected Cacheops.Builder store(Cacheops.Builder builder) {
        // Connecting makes a TLS handshake with every node; with the default 1 s each on this
        // loaded machine the first connection kept timing out (README, Scaling out).
        return builder.redis(cluster.tlsUri()).redisTrustedCa(certs.caCert())
                .redisConnectTimeout(java.time.Duration.ofSeconds(5));
    }

    @Test
    void readIsServedFromCacheAndAnUpdateInvalidatesIt() {
        String sql = CachingBehaviour.BY_CATEGORY;
        warm(sql, 5);
        CacheStats connected = cacheops.stats();
        warm(sql, 6);
        assertThat(hit(sql, 5)).as("served from the cluster over TLS").isTrue();
        update("update post set title = 'tls' where id = 1"); // category 5
        assertThat(hit(sql, 5)).as("invalidated over TLS").isFalse();
        assertThat(hit(sql, 6)).as("another category stays cached").isTrue();
        awaitStored(sql, 5);
        assertThat(query(sql, 5)).contains(List.of(1, "tls"));
        CacheStats since = cacheops.stats().minus(connected);
        assertThat(since.storeErrors()).as("store errors over TLS: %s", since).isZero();
        assertThat(since.hits()).isPositive();
    }
}
