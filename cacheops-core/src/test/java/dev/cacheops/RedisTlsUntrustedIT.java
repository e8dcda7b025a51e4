package dev.cacheops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheops.testing.RedisProcess;
import dev.cacheops.testing.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A {@code rediss://} server whose certificate does not verify (signed by a CA the client does not
 * trust): the cache degrades, it does not crash. Reads and writes go to the database and return
 * its answers, nothing is thrown to the caller, and the log says loudly that TLS is the reason.
 * Two ways to get there: another CA given as trusted, and no CA given (the JVM's trust store).
 */
class RedisTlsUntrustedIT extends CachingContract {
    private TestCertificates serverCerts;
    private TestCertificates otherCa;
    private RedisProcess redis;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private PrintStream originalErr;

    @BeforeAll
    void startRedis() {
        serverCerts = TestCertificates.create();
        otherCa = TestCertificates.create();
        redis = RedisProcess.startTls(serverCerts);
        // slf4j-simple writes to whatever System.err is at the time: keep a copy of it.
        originalErr = System.err;
        System.setErr(new PrintStream(new Tee(originalErr, log), true, StandardCharsets.UTF_8));
    }

    @AfterAll
    void stopRedis() {
        if (originalErr != null) {
            System.setErr(originalErr);
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Override
    protected Cacheops.Builder store(Cacheops.Builder builder) {
        return builder.redis(redis.tlsUri()).redisTrustedCa(otherCa.caCert());
    }

    @Test
    void anotherCaDegradesToTheDatabaseWithATlsError() {
        assertDegradedAndLogged(cacheops, ds);
    }

    @Test
    void noCaGivenDegradesToTheDatabaseWithATlsError() {
        try (Cacheops noCa = Cacheops.builder().redis(redis.tlsUri()).prefix(prefix)
                .redisTimeout(Duration.ofSeconds(2)).profile("*", Op.ALL, Duration.ofHours(1)).build()) {
            assertDegradedAndLogged(noCa, noCa.wrap(counting.dataSource()));
        }
    }

    private void assertDegradedAndLogged(Cacheops instance, javax.sql.DataSource wrapped) {
        String sql = CachingBehaviour.BY_CATEGORY;
        for (int i = 0; i < 3; i++) {
            int before = counting.count(sql);
            assertThat(query(wrapped, sql, 5)).isEqualTo(direct(sql, 5));
            assertThat(counting.count(sql)).as("every read goes to the database").isEqualTo(before + 1);
        }
        try (java.sql.Connection c = wrapped.getConnection()) {
            assertThat(update(c, "update post set title = 'u' where id = 1")).isEqualTo(1);
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
        assertThat(query(wrapped, sql, 5)).isEqualTo(direct(sql, 5));
        assertThat(instance.stats().hits()).isZero();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!logged().contains("TLS handshake with Redis " + redis.tlsUri()) && System.nanoTime() < deadline) {
            sleep(20);
        }
        assertThat(logged()).contains("ERROR").contains("TLS handshake with Redis " + redis.tlsUri() + "/0 failed");
    }

    private String logged() {
        synchronized (log) {
            return log.toString(StandardCharsets.UTF_8);
        }
    }

    /** Writes to the console and into the captured log. */
    private static final class Tee extends OutputStream {
        private final OutputStream console;
        private final ByteArrayOutputStream copy;

        Tee(OutputStream console, ByteArrayOutputStream copy) {
            this.console = console;
            this.copy = copy;
        }

        @Override
        public void write(int b) {
            synchronized (copy) {
                copy.write(b);
            }
            try {
                console.write(b);
            } catch (java.io.IOException e) {
                // the console is best effort
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            synchronized (copy) {
                copy.write(b, off, len);
            }
            try {
                console.write(b, off, len);
            } catch (java.io.IOException e) {
                // the console is best effort
            }
        }
    }
}
