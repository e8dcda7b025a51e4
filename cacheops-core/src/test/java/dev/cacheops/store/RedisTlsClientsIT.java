package dev.cacheops.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cacheops.testing.RedisProcess;
import dev.cacheops.testing.TestCertificates;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The Jedis pool ({@link BlockingReads}) on its own over TLS, since in the store a Lettuce
 * handshake failure would stop the reads before the pool is ever asked: it trusts exactly the
 * given CA and, like Lettuce, checks the host name against the server's certificate.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisTlsClientsIT {
    private TestCertificates good;
    private TestCertificates otherHost;
    private RedisProcess redis;
    private RedisProcess wrongName;

    @BeforeAll
    void start() {
        good = TestCertificates.create();
        otherHost = TestCertificates.create("DNS:redis.example");
        redis = RedisProcess.startTls(good);
        wrongName = RedisProcess.startTls(otherHost);
    }

    @AfterAll
    void stop() {
        if (redis != null) {
            redis.close();
        }
        if (wrongName != null) {
            wrongName.close();
        }
    }

    private static String ping(RedisProcess server, TestCertificates trusted) {
        RedisURI uri = RedisURI.create(server.tlsUri());
        try (BlockingReads reads = new BlockingReads(uri, server.tlsUri(), Duration.ofSeconds(2), 1, id -> { },
                RedisTls.trusting(trusted.caCert()))) {
            return reads.call("ping", j -> j.ping());
        }
    }

    private static String causes(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            b.append(t).append(" | ");
        }
        return b.toString();
    }

    @Test
    void poolTrustsTheGivenCa() {
        assertThat(ping(redis, good)).isEqualTo("PONG");
    }

    @Test
    void poolRefusesAnotherCa() {
        assertThatThrownBy(() -> ping(redis, otherHost)).isInstanceOf(StoreException.class)
                .satisfies(e -> assertThat(RedisTls.isTlsFailure(e)).isTrue());
    }

    @Test
    void poolChecksTheHostName() {
        // Signed by the trusted CA, but for redis.example, not 127.0.0.1.
        assertThatThrownBy(() -> ping(wrongName, otherHost)).isInstanceOf(StoreException.class)
                .satisfies(e -> assertThat(causes(e)).contains("No subject alternative names matching IP address"));
    }

    @Test
    void lettuceChecksTheHostNameToo() {
        try (RedisStore store = RedisStore.builder(wrongName.tlsUri()).trustedCa(otherHost.caCert()).build()) {
            RedisProcess.sleep(1500);
            assertThat(store.isConnected()).isFalse();
        }
        try (RedisStore store = RedisStore.builder(redis.tlsUri()).trustedCa(good.caCert()).build()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!store.isConnected() && System.nanoTime() < deadline) {
                RedisProcess.sleep(20);
            }
            assertThat(store.isConnected()).isTrue();
        }
    }
}
