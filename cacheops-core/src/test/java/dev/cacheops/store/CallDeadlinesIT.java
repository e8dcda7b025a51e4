package dev.cacheops.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cacheops.testing.RedisProcess;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Protocol;

/**
 * The pool's connections read and write with no socket timeout ({@link ChannelSocket}); these
 * calls end only because {@link CallDeadlines} closes their sockets. Against a {@code redis-server}
 * of its own, stopped with {@code SIGSTOP}: it neither answers nor reads, so a large enough write
 * blocks once the socket buffers are full, which no socket timeout ever bounded. Bounds are
 * generous (a 200 ms timeout may take up to 250 ms; 2 s allowed), never tight measurements.
 */
@Timeout(30) // without the watchdog these calls would wait forever
class CallDeadlinesIT {
    private static final Duration TIMEOUT = Duration.ofMillis(200);
    private static final Duration BOUND = Duration.ofSeconds(2);
    private static RedisProcess server;
    private BlockingReads reads;

    @BeforeAll
    static void startServer() {
        server = RedisProcess.start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void resumeAndClose() {
        server.resume();
        if (reads != null) {
            reads.close();
        }
    }

    private BlockingReads newReads() {
        return new BlockingReads(RedisURI.create(server.uri()), server.uri(), TIMEOUT, 2, id -> { }, null);
    }

    @Test
    void aReadOfAStoppedServerTimesOutAndItsConnectionIsReplaced() {
        reads = newReads();
        assertThat(reads.<String>call("ping", j -> j.ping())).isEqualTo("PONG");
        server.pause();
        long start = System.nanoTime();
        assertThatThrownBy(() -> reads.call("ping", j -> j.ping())).isInstanceOf(StoreException.class)
                .hasMessageContaining("timed out after 200 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(TIMEOUT, BOUND);
        server.resume();
        // The timed-out connection was discarded: its late PONG is never taken for another answer.
        assertThat(reads.<String>call("echo", j -> j.echo("after"))).isEqualTo("after");
        assertThat(reads.<String>call("ping", j -> j.ping())).isEqualTo("PONG");
    }

    @Test
    void aWriteTheStoppedServerDoesNotReadTimesOut() {
        reads = newReads();
        assertThat(reads.<String>call("ping", j -> j.ping())).isEqualTo("PONG");
        server.pause();
        // Larger than what loopback socket buffers hold: the write itself blocks.
        byte[] value = new byte[64 * 1024 * 1024];
        Arrays.fill(value, (byte) 'x');
        long start = System.nanoTime();
        // A deferred fill: the pool's fill writer writes it within a millisecond, and blocks.
        DeferredFills.Pending fill = reads.defer(out -> out.send(Protocol.Command.SET, "deadlines:big".getBytes(),
                value));
        assertThat(fill).as("the pool's connections skip replies").isNotNull();
        assertThatThrownBy(() -> fill.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(StoreException.class).hasMessageContaining("timed out after 200 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(TIMEOUT, BOUND);
        server.resume();
        assertThat(reads.<String>call("ping", j -> j.ping())).isEqualTo("PONG");
    }

    @Test
    void callsWithinTheTimeoutAreUntouched() {
        reads = newReads();
        for (int i = 0; i < 200; i++) {
            String v = "v" + i;
            assertThat(reads.<String>call("echo", j -> j.echo(v))).isEqualTo(v);
            if (i % 50 == 0) {
                // Idle in the pool past the timeout: a finished call's deadline must not outlive it.
                RedisProcess.sleep(300);
            }
        }
    }
}
