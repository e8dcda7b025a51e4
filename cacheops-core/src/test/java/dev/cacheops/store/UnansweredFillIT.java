package dev.cacheops.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheops.testing.RedisProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Quiet fills deferred to the pool with their replies skipped ({@link BlockingReads#defer}),
 * against a {@code redis-server} of its own (its command counts must be this class's alone). A
 * pool of one connection, so that the read after a fill goes over the very connection the fill
 * was written to: a reply left pending there would be read as the answer to that read.
 */
class UnansweredFillIT {
    private static RedisProcess server;
    private static RedisClient adminClient;
    private static StatefulRedisConnection<String, String> admin;

    private final Keys keys = new Keys("unanswered");
    private RedisStore store;

    @BeforeAll
    static void startServer() {
        server = RedisProcess.start();
        adminClient = RedisClient.create(server.uri());
        admin = adminClient.connect();
    }

    @AfterAll
    static void stopServer() {
        if (admin != null) {
            admin.close();
        }
        if (adminClient != null) {
            adminClient.shutdown();
        }
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    private static RedisStore onePooledConnection(String uri, Keys keys) {
        return RedisStoreIT.awaitConnected(RedisStore.builder(uri).keys(keys).poolSize(1)
                .commandTimeout(Duration.ofMillis(500)).build());
    }

    private Lookup lookup(int id) {
        return new Lookup(keys.entry("q" + id),
                List.of(keys.epoch(), keys.conj("post", List.of("id"), List.of(Integer.toString(id)))),
                List.of(new Lookup.SchemeRef(keys.schemes("post"), "id")), List.of(keys.wip("post")));
    }

    private static void acl(String rule) {
        try (redis.clients.jedis.Jedis jedis = new redis.clients.jedis.Jedis("127.0.0.1", server.port())) {
            jedis.aclSetUser("default", rule);
        }
    }

    private static long calls(String command) {
        String prefix = "cmdstat_" + command + ":calls=";
        for (String line : admin.sync().info("commandstats").split("\r?\n")) {
            if (line.startsWith(prefix)) {
                return Long.parseLong(line.substring(prefix.length(), line.indexOf(',')));
            }
        }
        return 0;
    }

    /** A quiet fill, then the read of its entry over the same connection; true when it read its own. */
    private static boolean fillThenRead(RedisStore s, Lookup l, String value, long stampTtl) {
        Fetched f = s.fetch(l, "b" + System.nanoTime(), stampTtl);
        assertThat(f.quiet()).as("no writer: a quiet fetch").isNotNull();
        CompletableFuture<Boolean> put = s.putQuiet(l, f.stamps(), f.quiet(), value.getBytes(UTF_8), 20_000, 50_000)
                .toCompletableFuture();
        assertThat(put.join()).isTrue();
        byte[] read = s.fetch(l, "unused", stampTtl, true).entry();
        return read != null && new String(read, UTF_8).equals(value);
    }

    @Test
    void aQuietFillIsSentWithItsRepliesSkippedAndTheNextReadGetsItsOwnReply() {
        store = onePooledConnection(server.uri(), keys);
        assertThat(fillThenRead(store, lookup(0), "warm", 60_000)).isTrue(); // the pooled connection exists
        long skipsBefore = calls("client|reply");
        long pexpiresBefore = calls("pexpire");
        for (int i = 1; i <= 50; i++) {
            Lookup l = lookup(i);
            Fetched f = store.fetch(l, "b" + i, 60_000);
            CompletableFuture<Boolean> put = store.putQuiet(l, f.stamps(), f.quiet(), ("v" + i).getBytes(UTF_8),
                    20_000, 50_000).toCompletableFuture();
            // Carried by the read (written first, as its entry's fill) or by the fill writer.
            assertThat(store.fetch(l, "unused", 60_000, true).entry()).as("round %d", i)
                    .isEqualTo(("v" + i).getBytes(UTF_8));
            assertThat(put).as("written before the read of its entry").isCompletedWithValue(true);
            // Stamps of 60 s for a 20 s entry within a 50 s stamp TTL: nothing to extend.
        }
        assertThat(calls("client|reply") - skipsBefore).as("one CLIENT REPLY SKIP per SET").isEqualTo(50);
        assertThat(calls("pexpire") - pexpiresBefore).isZero();

        // Stamps of 30 s, below 20 s + half the 30 s margin: both extended, each PEXPIRE's reply skipped.
        Lookup shortLived = lookup(100);
        admin.sync().pexpire(keys.epoch(), 30_000);
        long skips = calls("client|reply");
        assertThat(fillThenRead(store, shortLived, "short", 30_000)).isTrue();
        assertThat(calls("client|reply") - skips).as("SET and two PEXPIREs").isEqualTo(3);
        for (String stamp : shortLived.stampKeys()) {
            assertThat(admin.sync().pttl(stamp)).as(stamp).isBetween(40_000L, 50_000L);
        }
    }

    @Test
    void aConnectionThatGotAnUnexpectedReplyIsDiscardedNotReadOutOfStep() {
        store = onePooledConnection(server.uri(), keys);
        assertThat(fillThenRead(store, lookup(600), "before", 60_000)).isTrue();
        // Taken away after the connection was probed: the next fill's CLIENT REPLY SKIP is refused,
        // so Redis answers it (an error) and the SET after it. The read that follows on that
        // connection reads the error; were the connection then returned, every later read would
        // take the previous command's answer for its own (an entry of another lookup).
        acl("-client|reply");
        try {
            int failures = 0;
            for (int i = 0; i < 20; i++) {
                try {
                    assertThat(fillThenRead(store, lookup(700 + i), "v" + i, 60_000)).as("round %d", i).isTrue();
                } catch (StoreException e) {
                    failures++;
                }
            }
            assertThat(failures).as("only the read right after the refused skip").isEqualTo(1);
        } finally {
            acl("+@all");
        }
    }

    @Test
    void aConnectionKilledUnderneathIsDiscardedAndTheStoreRecovers() {
        store = onePooledConnection(server.uri(), keys);
        assertThat(fillThenRead(store, lookup(200), "before", 60_000)).isTrue();
        admin.sync().clientKill(io.lettuce.core.KillArgs.Builder.typeNormal().skipme());
        // The first use of the dead connection fails (writing or reading it); the failed connection
        // must be destroyed, not returned: with a pool of one, a returned one would fail every read.
        int failures = 0;
        boolean recovered = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (int i = 0; !recovered && System.nanoTime() < deadline; i++) {
            try {
                recovered = fillThenRead(store, lookup(300 + i), "after" + i, 60_000);
            } catch (StoreException | java.util.concurrent.CompletionException e) {
                failures++;
                RedisProcess.sleep(50);
            }
        }
        assertThat(recovered).as("recovered after %d failures", failures).isTrue();
        for (int i = 0; i < 20; i++) {
            assertThat(fillThenRead(store, lookup(400 + i), "then" + i, 60_000)).as("round %d", i).isTrue();
        }
    }

    @Test
    void aServerWithoutClientReplyGetsTheFillOnTheSharedConnection() {
        // Managed services rename or forbid CLIENT; the probe of each new connection finds that out.
        RedisProcess noClient = RedisProcess.start("--rename-command", "CLIENT", "");
        try {
            try (RedisStore s = onePooledConnection(noClient.uri(), keys)) {
                for (int i = 0; i < 20; i++) {
                    Lookup l = lookup(500 + i);
                    Fetched f = s.fetch(l, "b" + i, 60_000);
                    assertThat(s.putQuiet(l, f.stamps(), f.quiet(), ("w" + i).getBytes(UTF_8), 20_000, 50_000)
                            .toCompletableFuture().join()).isTrue();
                    assertThat(s.fetch(l, "unused", 60_000, true).entry()).as("round %d", i)
                            .isEqualTo(("w" + i).getBytes(UTF_8));
                }
            }
        } finally {
            noClient.close();
        }
    }
}
