package dev.cacheops.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheops.testing.RedisProcess;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/**
 * Quiet fills deferred to the pool ({@link BlockingReads#defer}): carried by the next call's
 * write, written by the fill writer when no call comes, written at close, and never one reply out
 * of step. Against a {@code redis-server} of its own, whose command counts are this class's alone.
 */
@Timeout(60)
class DeferredFillsIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static RedisProcess server;
    private static Jedis admin;
    private BlockingReads reads;

    @BeforeAll
    static void startServer() {
        server = RedisProcess.start();
        admin = new Jedis("127.0.0.1", server.port());
    }

    @AfterAll
    static void stopServer() {
        if (admin != null) {
            admin.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void close() {
        if (reads != null) {
            reads.close();
        }
        admin.flushAll();
    }

    private BlockingReads newReads(int size, Duration fillDelay) {
        BlockingReads r = new BlockingReads(RedisURI.create(server.uri()), server.uri(), TIMEOUT, size, id -> { },
                null, fillDelay);
        assertThat(r.<String>call("ping", Jedis::ping)).isEqualTo("PONG"); // a connection exists and skips replies
        return r;
    }

    private DeferredFills.Pending deferSet(BlockingReads r, String key, String value) {
        DeferredFills.Pending p = r.defer(out -> out.send(Protocol.Command.SET, key.getBytes(UTF_8),
                value.getBytes(UTF_8)));
        assertThat(p).as("deferred").isNotNull();
        return p;
    }

    private static long calls(String command) {
        String prefix = "cmdstat_" + command + ":calls=";
        for (String line : admin.info("commandstats").split("\r?\n")) {
            if (line.startsWith(prefix)) {
                return Long.parseLong(line.substring(prefix.length(), line.indexOf(',')));
            }
        }
        return 0;
    }

    @Test
    void aFillWaitsForTheNextCallAndRidesInItsWrite() {
        // A delay no test outlasts: only a call can write the fill.
        reads = newReads(1, Duration.ofMinutes(10));
        DeferredFills.Pending fill = deferSet(reads, "d:1", "one");
        RedisProcess.sleep(50);
        assertThat(admin.get("d:1")).as("not written by itself").isNull();
        assertThat(fill).isNotDone();

        // Another key's read carries it, ahead of its own command, and gets its own answer.
        assertThat(reads.<String>call("echo", j -> j.echo("mine"))).isEqualTo("mine");
        assertThat(fill).isCompletedWithValue(true);
        assertThat(admin.get("d:1")).isEqualTo("one");
        assertThat(reads.<String>call("get", j -> j.get("d:1"))).as("nothing left pending").isEqualTo("one");
    }

    @Test
    void manyFillsRideInFewCallsEachAnsweredInStep() {
        reads = newReads(2, Duration.ofMinutes(10));
        long skipsBefore = calls("client|reply");
        List<DeferredFills.Pending> fills = new ArrayList<>();
        int n = 3 * DeferredFills.MAX_CARRIED + 5;
        for (int i = 0; i < n; i++) {
            fills.add(deferSet(reads, "m:" + i, "v" + i));
        }
        for (int call = 0; call < 4; call++) {
            String v = "answer" + call;
            assertThat(reads.<String>call("echo", j -> j.echo(v))).as("call %d", call).isEqualTo(v);
        }
        assertThat(fills).allSatisfy(f -> assertThat(f).isCompletedWithValue(true));
        for (int i = 0; i < n; i++) {
            assertThat(admin.get("m:" + i)).isEqualTo("v" + i);
        }
        assertThat(calls("client|reply") - skipsBefore).as("one skipped reply per fill").isEqualTo(n);
    }

    @Test
    void withNoCallTheFillWriterWritesWithinItsDelay() {
        reads = newReads(1, BlockingReads.FILL_DELAY);
        for (int round = 0; round < 3; round++) {
            DeferredFills.Pending fill = deferSet(reads, "w:" + round, "x" + round);
            assertThat(fill.orTimeout(5, TimeUnit.SECONDS).join()).isTrue();
            assertThat(admin.get("w:" + round)).isEqualTo("x" + round);
            // Idle past the writer's idle rounds, so that the next fill has to unpark it.
            RedisProcess.sleep(round == 0 ? 1500 : 10);
        }
    }

    @Test
    void closeWritesWhatStillWaits() {
        reads = newReads(1, Duration.ofMinutes(10));
        DeferredFills.Pending fill = deferSet(reads, "c:1", "closing");
        BlockingReads closed = reads;
        reads.close();
        reads = null;
        assertThat(fill).isCompletedWithValue(true);
        assertThat(admin.get("c:1")).isEqualTo("closing");
        assertThat(closed.defer(out -> out.send(Protocol.Command.SET, "c:2".getBytes(UTF_8), "late".getBytes(UTF_8))))
                .as("refused once closed: the caller sends it another way").isNull();
    }

    @Test
    void fillsCarriedByAFailingCallFailWithIt() {
        reads = newReads(1, Duration.ofMinutes(10));
        DeferredFills.Pending fill = deferSet(reads, "f:1", "lost?");
        admin.clientKill(redis.clients.jedis.params.ClientKillParams.clientKillParams()
                .type(redis.clients.jedis.args.ClientType.NORMAL).skipMe(redis.clients.jedis.params.ClientKillParams.SkipMe.YES));
        // The pooled connection is dead: the call that carries the fill fails, and so does the fill.
        try {
            reads.call("echo", j -> j.echo("x"));
        } catch (StoreException expected) {
            // the first use of a killed connection may fail reading or writing
        }
        assertThat(fill).isDone();
        // Either way the pool recovers and nothing is read out of step.
        assertThat(reads.<String>call("echo", j -> j.echo("after"))).isEqualTo("after");
    }
}
