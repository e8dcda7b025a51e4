package dev.cacheops.store;

import dev.cacheops.testing.RedisProcess;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cacheops.store.Store.Phase;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How {@link RedisStore} fails and recovers, against a {@code redis-server} this class starts on
 * its own port (killing or pausing the shared Redis would break other suites). Timing bounds are
 * generous upper limits (2 s against a 100 ms timeout), never tight measurements.
 */
class RedisStoreFailureIT {
    private static final Duration BOUND = Duration.ofSeconds(2);
    private static RedisProcess server;
    /** Servers started by single tests; stopped in {@link #stopServer()} whatever happened. */
    private static final List<RedisProcess> LATE = new CopyOnWriteArrayList<>();

    private final Keys keys = new Keys("failure");
    private RedisStore store;

    @BeforeAll
    static void startServer() {
        server = RedisProcess.start();
    }

    @AfterAll
    static void stopServer() {
        LATE.forEach(RedisProcess::close);
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void serverRunning() {
        server.restart(); // a test that killed it may have failed before restarting it
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    private RedisStore newStore(String uri) {
        return RedisStore.builder(uri).keys(keys).commandTimeout(Duration.ofMillis(100))
                .connectTimeout(Duration.ofMillis(500)).reconnectInterval(Duration.ofMillis(200)).build();
    }

    private Lookup lookup() {
        return new Lookup(keys.entry("q"),
                List.of(keys.epoch(), keys.schemeVersion("post", "id"), keys.conj("post", List.of("id"), List.of("1"))),
                List.of(new Lookup.SchemeRef(keys.schemes("post"), "id")), List.of(keys.wip("post")));
    }

    /** Every operation works (scripts included), storing and serving one entry. */
    private void everyOperationWorks(RedisStore s) {
        Lookup l = lookup();
        s.ping();
        s.invalidateAll();
        Fetched f = s.fetch(l, "b" + System.nanoTime(), 60_000);
        assertThat(s.put(l, f.stamps(), "v".getBytes(UTF_8), 60_000, 60_000).toCompletableFuture().join()).isTrue();
        assertThat(s.fetch(l, "unused", 60_000).entry()).isEqualTo("v".getBytes(UTF_8));
        s.invalidate(List.of(new TableInvalidation("post", false, List.of(Map.of("id", "2")))), Phase.LOCK, "w", 1_000);
        s.invalidate(List.of(new TableInvalidation("post", false, List.of(Map.of("id", "2")))), Phase.RELEASE, "w", 1_000);
        s.abandon(List.of("post"), "w");
        assertThat(s.schemes("post")).containsExactly("id");
    }

    /** Every operation fails with a StoreException, each within the bound. */
    private void everyOperationFails(RedisStore s) {
        Lookup l = lookup();
        List<byte[]> stamps = List.of(new byte[0], new byte[0], new byte[0]);
        List<ThrowingCallable> ops = List.of(
                s::ping,
                s::invalidateAll,
                () -> s.fetch(l, "b", 1_000),
                () -> s.invalidate(List.of(TableInvalidation.wholeTable("post")), Phase.RELEASE, "w", 1_000),
                () -> s.abandon(List.of("post"), "w"),
                () -> s.schemes("post"));
        for (ThrowingCallable op : ops) {
            long start = System.nanoTime();
            assertThatThrownBy(op).isInstanceOf(StoreException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND);
        }
        long start = System.nanoTime();
        CompletableFuture<Boolean> put = s.put(l, stamps, new byte[1], 1_000, 1_000).toCompletableFuture();
        Throwable failure = catchThrowable(() -> put.get(BOUND.toMillis(), TimeUnit.MILLISECONDS));
        assertThat(failure).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(StoreException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND);
    }

    private static void eventually(RedisStore s, Consumer<RedisStore> check) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                check.accept(s);
                return;
            } catch (StoreException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the store did not recover within 10 s", e);
                }
                RedisProcess.sleep(50);
            }
        }
    }

    @Test
    void unreachableAtStartDoesNotThrowAndEveryOperationFailsQuickly() {
        int port = RedisProcess.freePort();
        long start = System.nanoTime();
        store = newStore("redis://127.0.0.1:" + port);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the builder never waits for Redis").isLessThan(BOUND);
        assertThat(store.isConnected()).isFalse();
        everyOperationFails(store);
        everyOperationFails(store); // still, after retries in the background
    }

    @Test
    void connectsByItselfWhenRedisComesUpLater() {
        int port = RedisProcess.freePort();
        store = newStore("redis://127.0.0.1:" + port);
        assertThatThrownBy(store::ping).isInstanceOf(StoreException.class);
        RedisProcess late = RedisProcess.startOn(port);
        LATE.add(late);
        eventually(store, this::everyOperationWorks);
    }

    @Test
    void recoversAfterRedisIsKilledAndRestarted() {
        store = newStore(server.uri());
        eventually(store, this::everyOperationWorks);

        server.kill();
        everyOperationFails(store);

        server.restart();
        // The new server has no scripts: they come back through NOSCRIPT.
        eventually(store, this::everyOperationWorks);
        everyOperationWorks(store);
    }

    @Test
    void survivesScriptFlush() {
        store = newStore(server.uri());
        eventually(store, this::everyOperationWorks);
        try (Admin admin = new Admin(server.uri())) {
            admin.connection.sync().scriptFlush();
            everyOperationWorks(store);
            admin.connection.sync().scriptFlush();
            Lookup l = lookup();
            Fetched f = store.fetch(l, "x", 60_000);
            admin.connection.sync().scriptFlush();
            assertThat(store.put(l, f.stamps(), new byte[] {1}, 60_000, 60_000).toCompletableFuture().join()).isTrue();
        }
    }

    @Test
    void slowRedisFailsWithinTheTimeoutInsteadOfWaiting() {
        store = newStore(server.uri());
        eventually(store, this::everyOperationWorks);
        try (Admin admin = new Admin(server.uri())) {
            // Every other client waits for a second, as behind a slow or stalled server.
            admin.connection.sync().clientPause(1_000);
            long paused = System.nanoTime();
            long start = System.nanoTime();
            // The pooled connections read with no socket timeout: the deadline watchdog ends these.
            assertThatThrownBy(() -> store.fetch(lookup(), "b", 1_000)).isInstanceOf(StoreException.class)
                    .hasMessageContaining("timed out after 100 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("not the full second of CLIENT PAUSE")
                    .isLessThan(Duration.ofMillis(800));
            start = System.nanoTime();
            assertThatThrownBy(() -> store.invalidate(List.of(TableInvalidation.wholeTable("post")), Phase.LOCK, "w",
                    1_000)).isInstanceOf(StoreException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(800));
            start = System.nanoTime();
            CompletableFuture<Boolean> put = store.put(lookup(), List.of(new byte[0], new byte[0], new byte[0]),
                    new byte[1], 1_000, 1_000).toCompletableFuture();
            assertThat(catchThrowable(() -> put.get(2, TimeUnit.SECONDS))).hasCauseInstanceOf(StoreException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(800));
            RedisProcess.sleep(Math.max(0, 1_100 - Duration.ofNanos(System.nanoTime() - paused).toMillis()));
        }
        eventually(store, this::everyOperationWorks);
    }

    @Test
    void refusesToServeUnderAnAllkeysEvictionPolicyWhenAsked() {
        try (Admin admin = new Admin(server.uri())) {
            admin.connection.sync().configSet("maxmemory-policy", "allkeys-lru");
            try {
                store = RedisStore.builder(server.uri()).keys(keys).refuseUnsafeEviction(true).build();
                RedisStoreIT.awaitConnected(store);
                assertThatThrownBy(store::ping).isInstanceOf(StoreException.class)
                        .hasMessageContaining("maxmemory-policy");
                try (RedisStore warnsOnly = newStore(server.uri())) {
                    eventually(warnsOnly, this::everyOperationWorks);
                }
            } finally {
                admin.connection.sync().configSet("maxmemory-policy", "noeviction");
            }
        }
    }

    @Test
    void servesWhenConfigIsDisabled() {
        // Managed services rename or disable CONFIG; the policy check must not stop the store.
        RedisProcess noConfig = RedisProcess.start("--rename-command", "CONFIG", "");
        LATE.add(noConfig);
        store = RedisStore.builder(noConfig.uri()).keys(keys).refuseUnsafeEviction(true).build();
        eventually(store, this::everyOperationWorks);
    }

    @Test
    void passwordFromTheUriOrTheBuilder() {
        RedisProcess secured = RedisProcess.start("--requirepass", "s3cret");
        LATE.add(secured);
        int port = secured.port();
        try (RedisStore fromUri = newStore("redis://:s3cret@127.0.0.1:" + port + "/1");
             RedisStore fromBuilder = RedisStore.builder("redis://127.0.0.1:" + port).keys(keys)
                     .credentials(null, "s3cret".toCharArray()).build();
             RedisStore without = newStore("redis://127.0.0.1:" + port)) {
            eventually(fromUri, this::everyOperationWorks);
            eventually(fromBuilder, this::everyOperationWorks);
            RedisProcess.sleep(300);
            assertThat(without.isConnected()).isFalse();
            assertThatThrownBy(without::ping).isInstanceOf(StoreException.class).hasMessageNotContaining("s3cret");
        }
    }

    /** A plain connection to the test server, for the commands that disturb it. */
    private static final class Admin implements AutoCloseable {
        final RedisClient client;
        final StatefulRedisConnection<String, String> connection;

        Admin(String uri) {
            client = RedisClient.create(uri);
            connection = client.connect();
        }

        @Override
        public void close() {
            connection.close();
            client.shutdown();
        }
    }
}
