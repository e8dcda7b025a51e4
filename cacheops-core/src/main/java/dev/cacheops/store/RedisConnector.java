package dev.cacheops.store;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the Lettuce client and the one shared connection of a {@link RedisStore}: connects in the
 * background, retrying until Redis answers, checks the eviction policy and preloads the scripts.
 * Once connected, Lettuce reconnects by itself. Thread-safe.
 */
final class RedisConnector implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisStore.class);
    private static final RedisCodec<String, byte[]> CODEC = CommandBatch.CODEC;

    private final RedisURI uri;
    private final String where;
    private final Duration commandTimeout;
    private final Duration reconnectInterval;
    private final boolean refuseUnsafeEviction;
    private final List<LuaScript> scripts;
    private final ClientResources resources;
    private final RedisClient client;
    private final ScheduledExecutorService connector;

    private volatile StatefulRedisConnection<String, byte[]> connection;
    private volatile String refusal;
    private volatile boolean closed;
    private volatile String runId;
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();
    private int failedAttempts;
    private volatile String lastPolicy;

    RedisConnector(RedisURI uri, Duration commandTimeout, Duration connectTimeout, Duration reconnectInterval,
                   boolean refuseUnsafeEviction, List<LuaScript> scripts, RedisTls tls) {
        this.uri = uri;
        this.where = describe(uri);
        this.commandTimeout = commandTimeout;
        this.reconnectInterval = reconnectInterval;
        this.refuseUnsafeEviction = refuseUnsafeEviction;
        this.scripts = List.copyOf(scripts);
        // Lettuce's default reconnect delay grows to 30 s; a cache wants to be back within a second.
        this.resources = ClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(20), reconnectInterval, 2, TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources);
        ClientOptions.Builder options = ClientOptions.builder();
        if (tls != null) {
            // Peer verification (certificate chain and host name) stays Lettuce's default, FULL.
            options.sslOptions(SslOptions.builder().jdkSslProvider().trustManager(tls.trustManagerFactory()).build());
        }
        client.setOptions(options
                .autoReconnect(true)
                // Queued commands would wait for a reconnect; the caller would rather use the database.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).build())
                .build());
        this.connector = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cacheops-redis-connect");
            t.setDaemon(true);
            return t;
        });
        // After a reconnect it may be another server (a restart, a failover): check it again.
        resources.eventBus().get()
                .filter(ConnectionActivatedEvent.class::isInstance)
                .subscribe(e -> connector.execute(this::recheck));
        connector.execute(this::connect);
    }

    /**
     * A watch on keys by prefix over a connection of its own (same server, credentials and TLS),
     * sharing this connector's threads; close it before this connector.
     */
    KeyWatch watch(Keys keys, KeyChanges listener) {
        return new Tracking(resources, client.getOptions(), uri, where, keys, listener, commandTimeout,
                reconnectInterval);
    }

    /** Where the store connects, for messages (never the password). */
    String where() {
        return where;
    }

    /**
     * How many times the server behind the connection was found to be another one (its run id
     * changed: a restart or a failover). Starts at 0; the first server seen does not count.
     */
    long generation() {
        return generation.get();
    }

    boolean isConnected() {
        StatefulRedisConnection<String, byte[]> c = connection;
        return c != null && c.isOpen();
    }

    /**
     * Throws what {@link #commands()} would throw, for reads that go over another connection.
     *
     * @throws StoreException when not connected, closed, or refusing an unsafe eviction policy
     */
    void checkServing() {
        connection();
    }

    /**
     * The commands of the shared connection.
     *
     * @throws StoreException when not connected yet, closed, or refusing an unsafe eviction policy
     */
    RedisAsyncCommands<String, byte[]> commands() {
        return connection().async();
    }

    /**
     * The shared connection, for {@link CommandBatch}es.
     *
     * @throws StoreException when not connected yet, closed, or refusing an unsafe eviction policy
     */
    StatefulRedisConnection<String, byte[]> connection() {
        String refused = refusal;
        if (refused != null) {
            throw new StoreException(refused);
        }
        StatefulRedisConnection<String, byte[]> c = connection;
        if (c == null) {
            throw new StoreException(closed ? "the Redis store is closed" : "not connected to Redis " + where + " yet");
        }
        return c;
    }

    @Override
    public void close() {
        closed = true;
        connector.shutdownNow();
        StatefulRedisConnection<String, byte[]> c = connection;
        connection = null;
        if (c != null) {
            c.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    private void connect() {
        if (closed) {
            return;
        }
        StatefulRedisConnection<String, byte[]> c;
        try {
            c = client.connect(CODEC, uri);
        } catch (RuntimeException e) {
            if (closed) {
                return; // closing shuts the client down under a running attempt: not worth a warning
            }
            if (RedisTls.isTlsFailure(e)) {
                // Not a passing outage but a setting to fix: said loudly at every attempt's first
                // and then every 60th failure, while reads go to the database.
                if (failedAttempts++ % 60 == 0) {
                    log.error("TLS handshake with Redis {} failed ({}); serving without cache, retrying every {} ms. "
                            + "Check that the server's certificate is signed by a trusted CA "
                            + "(redisTrustedCa, cacheops.redis.ssl.trusted-ca) and names the host.",
                            where, reason(e), reconnectInterval.toMillis());
                } else {
                    log.debug("TLS handshake with Redis {} still failing: {}", where, reason(e));
                }
            } else if (failedAttempts++ == 0) {
                log.warn("Redis {} is not reachable ({}); serving without cache, retrying every {} ms",
                        where, reason(e), reconnectInterval.toMillis());
            } else {
                log.debug("Redis {} still not reachable: {}", where, reason(e));
            }
            if (!closed) {
                connector.schedule(this::connect, reconnectInterval.toMillis(), TimeUnit.MILLISECONDS);
            }
            return;
        }
        if (closed) {
            c.close();
            return;
        }
        checkEvictionPolicy(c.async());
        checkServer(c.async());
        preloadScripts(c.async());
        connection = c;
        log.info("connected to Redis {}", where);
    }

    private void recheck() {
        StatefulRedisConnection<String, byte[]> c = connection;
        if (c != null && !closed) {
            checkEvictionPolicy(c.async());
            checkServer(c.async());
            preloadScripts(c.async());
        }
    }

    /**
     * Notes the server's run id. Another server than before (a restart, or a replica promoted by
     * a failover, which may lack the last invalidations asynchronous replication did not carry)
     * moves the generation on, and the protocol then replaces the epoch before its next hit.
     */
    private void checkServer(RedisAsyncCommands<String, byte[]> redis) {
        String info;
        try {
            info = redis.info("server").get(commandTimeout.toMillis() * 10, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            // Unknown: assume another server, which only costs an epoch replacement.
            info = null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        noteRunId(info == null ? null : runId(info));
    }

    /**
     * Records the run id a connection found ({@code null}: unknown). Another one than before moves
     * the generation on; unknown counts as another, which costs only an epoch replacement.
     */
    synchronized void noteRunId(String id) {
        String before = runId;
        runId = id;
        if (before != null && !before.equals(id)) {
            generation.incrementAndGet();
            log.info("Redis {} is another server now (run id {} -> {}); the epoch will be replaced", where, before, id);
        }
    }

    /** The {@code run_id} field of an {@code INFO server} answer, or null. */
    static String runId(String info) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("run_id:")) {
                return line.substring("run_id:".length()).trim();
            }
        }
        return null;
    }

    private void checkEvictionPolicy(RedisAsyncCommands<String, byte[]> redis) {
        String policy;
        String unreadable = null;
        try {
            policy = redis.configGet("maxmemory-policy").get(commandTimeout.toMillis() * 10, TimeUnit.MILLISECONDS)
                    .get("maxmemory-policy");
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            // Managed Redis services often disable CONFIG: we cannot tell, so we only say so.
            policy = null;
            unreadable = LuaScript.unwrap(e).toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        boolean unsafe = policy != null && policy.startsWith("allkeys-");
        String msg = unsafe ? "Redis " + where + " has maxmemory-policy " + policy + ": it may evict schemes "
                + "sets and stamps and so lose invalidations, serving stale results. Use volatile-lru (or "
                + "another volatile-* policy, or noeviction)." : null;
        refusal = unsafe && refuseUnsafeEviction ? msg + " The cache is disabled (refuseUnsafeEviction)." : null;
        // Checked at every (re)connect; said once per change.
        String seen = policy == null ? "?" : policy;
        if (seen.equals(lastPolicy)) {
            return;
        }
        lastPolicy = seen;
        if (unreadable != null) {
            log.info("cannot read maxmemory-policy of Redis {} ({}); make sure it is not allkeys-*", where, unreadable);
        } else if (refusal != null) {
            log.error(refusal);
        } else if (unsafe) {
            log.error("!!! {} !!!", msg);
        }
    }

    private void preloadScripts(RedisAsyncCommands<String, byte[]> redis) {
        for (LuaScript s : scripts) {
            // Not waited for: a script that failed to load is loaded on its first NOSCRIPT.
            s.scriptLoad(redis).whenComplete((sha, e) -> {
                if (e != null) {
                    log.debug("SCRIPT LOAD {} failed: {}", s.name(), e.toString());
                } else if (!s.sha().equals(sha)) {
                    log.warn("Redis computed SHA {} for script {}, expected {}", sha, s.name(), s.sha());
                }
            });
        }
    }

    /** "Unable to connect" alone hides why (refused, NOAUTH, TLS...): add the root cause. */
    private static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + ": " + root.getMessage();
    }

    private static String describe(RedisURI uri) {
        // Never the password.
        if (uri.getHost() != null) {
            return (uri.isSsl() ? "rediss://" : "redis://") + uri.getHost() + ":" + uri.getPort() + "/" + uri.getDatabase();
        }
        return uri.getSentinelMasterId() != null ? "sentinel master " + uri.getSentinelMasterId() : "(socket)";
    }

}
