package dev.cacheops.store;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.HostAndPort;

/**
 * Owns the Lettuce cluster client and its connection for a {@link ClusterStore}: connects in the
 * background, retrying until a seed node answers, preloads the scripts on every node, and watches
 * the nodes for what may have lost invalidations. Once connected, Lettuce reconnects to each node
 * by itself and follows {@code MOVED}/{@code ASK} redirections; adaptive topology refresh (and a
 * periodic one) keeps its slot map current through reshardings and failovers. Thread-safe.
 *
 * <p><b>Generation.</b> Every node (replicas included) is asked for its {@code run_id} and role
 * about once a second and at every topology change or reconnect. A node whose run id changed
 * (restarted, maybe without its data) or that was a replica and is a master now (promoted by a
 * failover, maybe without the last invalidations that asynchronous replication had not carried)
 * moves the generation on, and the protocol replaces the epoch (DESIGN §7, §8). A node seen for the
 * first time does not: a new master gets its keys by {@code MIGRATE}, which loses nothing.
 * Each master's {@code maxmemory-policy} is read when the node is first seen.
 */
final class ClusterConnector implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterStore.class);
    static final Duration WATCH_INTERVAL = Duration.ofSeconds(1);

    private final String where;
    private final Duration commandTimeout;
    private final Duration reconnectInterval;
    private final boolean refuseUnsafeEviction;
    private final List<LuaScript> scripts;
    private final ClientResources resources;
    private final RedisClusterClient client;
    private final ScheduledExecutorService background;
    private final AtomicLong generation = new AtomicLong();
    private final AtomicBoolean watchQueued = new AtomicBoolean();
    /** Per node id, what it said last: run id and whether it was a master. Watcher thread only. */
    private final Map<String, NodeState> nodes = new HashMap<>();
    /**
     * Per master address, the run id the watcher last judged there: {@link ClusterReads} uses a new
     * connection only to a master already judged (a restart or a promotion moves the generation first).
     */
    private final Map<HostAndPort, String> judgedRunIds = new ConcurrentHashMap<>();
    /** Per node id, the eviction policy last reported (said once per change). Watcher thread only. */
    private final Map<String, String> policies = new HashMap<>();

    private volatile StatefulRedisClusterConnection<String, byte[]> connection;
    private volatile String refusal;
    private volatile boolean closed;
    private int failedAttempts;
    private final long created = System.nanoTime();

    ClusterConnector(List<RedisURI> seeds, String where, Duration commandTimeout, Duration connectTimeout,
                     Duration reconnectInterval, boolean refuseUnsafeEviction, List<LuaScript> scripts, RedisTls tls) {
        this.where = where;
        this.commandTimeout = commandTimeout;
        this.reconnectInterval = reconnectInterval;
        this.refuseUnsafeEviction = refuseUnsafeEviction;
        this.scripts = List.copyOf(scripts);
        // Lettuce's default reconnect delay grows to 30 s; a cache wants to be back within a second.
        this.resources = ClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(20), reconnectInterval, 2, TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClusterClient.create(resources, seeds);
        ClusterClientOptions.Builder options = ClusterClientOptions.builder()
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        // MOVED, ASK, reconnects, unknown nodes, uncovered slots: refresh at once,
                        // at most once a second (Lettuce's default waits 30 s between two).
                        .enableAllAdaptiveRefreshTriggers()
                        .adaptiveRefreshTriggersTimeout(Duration.ofSeconds(1))
                        .enablePeriodicRefresh(Duration.ofSeconds(10))
                        .build());
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
        this.background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cacheops-redis-cluster");
            t.setDaemon(true);
            return t;
        });
        resources.eventBus().get()
                .filter(e -> e instanceof ClusterTopologyChangedEvent || e instanceof ConnectionActivatedEvent)
                .subscribe(e -> queueWatch());
        background.execute(this::connect);
    }

    String where() {
        return where;
    }

    /** How many times a node was found restarted or promoted since the first look (see the class). */
    long generation() {
        return generation.get();
    }

    boolean isConnected() {
        return connection != null;
    }

    /**
     * The commands of the cluster connection (multi-key commands split by slot, redirections
     * followed).
     *
     * @throws StoreException when not connected yet, closed, or refusing an unsafe eviction policy
     */
    RedisAdvancedClusterAsyncCommands<String, byte[]> commands() {
        String refused = refusal;
        if (refused != null) {
            throw new StoreException(refused);
        }
        StatefulRedisClusterConnection<String, byte[]> c = connection;
        if (c == null) {
            throw new StoreException(closed ? "the Redis store is closed" : "not connected to Redis " + where + " yet");
        }
        return c.async();
    }

    /**
     * The address of the master serving {@code slot} in Lettuce's slot map (kept current by its
     * topology refresh), or null when not connected or the slot is not covered.
     */
    HostAndPort masterOf(int slot) {
        StatefulRedisClusterConnection<String, byte[]> c = connection;
        if (c == null || refusal != null) {
            return null;
        }
        RedisClusterNode node = c.getPartitions().getMasterBySlot(slot);
        if (node == null || node.getUri() == null) {
            return null;
        }
        return new HostAndPort(node.getUri().getHost(), node.getUri().getPort());
    }

    /** The run id last judged at {@code address}, or null when none yet. */
    String runIdAt(HostAndPort address) {
        return judgedRunIds.get(address);
    }

    /** Asks the watcher to look at the nodes now (it runs at most one look at a time). */
    void requestWatch() {
        queueWatch();
    }

    @Override
    public void close() {
        closed = true;
        background.shutdownNow();
        StatefulRedisClusterConnection<String, byte[]> c = connection;
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
        StatefulRedisClusterConnection<String, byte[]> c;
        try {
            c = client.connect(CommandBatch.CODEC);
        } catch (RuntimeException e) {
            if (closed) {
                return;
            }
            if (RedisTls.isTlsFailure(e) && failedAttempts++ % 60 == 0) {
                log.error("TLS handshake with Redis {} failed ({}); serving without cache, retrying every {} ms. "
                        + "Check that the nodes' certificates are signed by a trusted CA (redisTrustedCa) and name "
                        + "the addresses the cluster announces.", where, e.getMessage(), reconnectInterval.toMillis());
            } else if (failedAttempts++ == 0) {
                log.warn("Redis {} is not reachable ({}); serving without cache, retrying every {} ms",
                        where, e.getMessage(), reconnectInterval.toMillis());
            } else {
                log.debug("Redis {} still not reachable: {}", where, e.getMessage());
            }
            if (!closed) {
                background.schedule(this::connect, reconnectInterval.toMillis(), TimeUnit.MILLISECONDS);
            }
            return;
        }
        if (closed) {
            c.close();
            return;
        }
        for (LuaScript s : scripts) {
            // On every node; not waited for: a script that failed to load is loaded on its NOSCRIPT.
            s.scriptLoad(c.async()).whenComplete((sha, e) -> {
                if (e != null) {
                    log.debug("SCRIPT LOAD {} failed: {}", s.name(), e.toString());
                }
            });
        }
        long discovered = System.nanoTime();
        watch(c); // also opens the connection to every node before the first command needs it
        connection = c;
        long now = System.nanoTime();
        log.info("connected to Redis {} in {} ms ({} ms of it opening a connection to every node)", where,
                (now - created) / 1_000_000, (now - discovered) / 1_000_000);
        background.scheduleWithFixedDelay(this::watch, WATCH_INTERVAL.toMillis(), WATCH_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void queueWatch() {
        if (!closed && watchQueued.compareAndSet(false, true)) {
            try {
                background.execute(() -> {
                    watchQueued.set(false);
                    watch();
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                watchQueued.set(false); // closing
            }
        }
    }

    private void watch() {
        StatefulRedisClusterConnection<String, byte[]> c = connection;
        if (c != null && !closed) {
            try {
                watch(c);
            } catch (RuntimeException e) {
                log.debug("watching the cluster nodes failed: {}", e.toString());
            }
        }
    }

    /** Asks every known node for its run id and role (in parallel) and compares with last time. */
    private void watch(StatefulRedisClusterConnection<String, byte[]> c) {
        List<RedisClusterNode> known = new ArrayList<>();
        c.getPartitions().forEach(known::add);
        List<CompletableFuture<NodeState>> answers = new ArrayList<>(known.size());
        for (RedisClusterNode node : known) {
            try {
                // By address, the key under which Lettuce routes commands by slot: the connection
                // asked about is the one commands use, open before any is rejected for want of it
                // (commands are rejected, not queued, while a node's connection is not up).
                // The eviction policy only at first sight: CONFIG may be denied (ACL, managed
                // services), and a denial every second would flood the ACL LOG.
                boolean askPolicy = !nodes.containsKey(node.getNodeId());
                answers.add(c.getConnectionAsync(node.getUri().getHost(), node.getUri().getPort())
                        .thenCompose(n -> state(n, askPolicy)));
            } catch (RuntimeException e) {
                answers.add(CompletableFuture.failedFuture(e)); // left the cluster meanwhile
            }
        }
        long waitMillis = commandTimeout.toMillis() * 10;
        for (int i = 0; i < known.size(); i++) {
            NodeState now;
            try {
                now = answers.get(i).get(waitMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                continue; // unreachable now: judged when it answers again
            }
            String id = known.get(i).getNodeId();
            NodeState before = nodes.put(id, now);
            if (before != null && now.runId() != null && !now.runId().equals(before.runId())) {
                moveOn("node " + id + " (" + known.get(i).getUri() + ") restarted: run id "
                        + before.runId() + " -> " + now.runId());
            } else if (before != null && !before.master() && now.master()) {
                moveOn("replica " + id + " (" + known.get(i).getUri() + ") was promoted to master");
            }
            if (now.runId() != null && known.get(i).getUri() != null) {
                // Recorded after moveOn: a reader that sees this run id sees the generation it
                // caused. Masters only: a replica promoted keeps its run id, and must not be read
                // on the calling thread before its promotion has been judged.
                HostAndPort address = new HostAndPort(known.get(i).getUri().getHost(), known.get(i).getUri().getPort());
                if (now.master()) {
                    judgedRunIds.put(address, now.runId());
                } else {
                    judgedRunIds.remove(address);
                }
            }
            if (now.master() && now.policy() != null) {
                checkEvictionPolicy(id, now.policy());
            }
        }
    }

    private CompletableFuture<NodeState> state(StatefulRedisConnection<String, byte[]> node, boolean askPolicy) {
        var redis = node.async();
        CompletableFuture<String> server = redis.info("server").toCompletableFuture();
        CompletableFuture<String> replication = redis.info("replication").toCompletableFuture();
        CompletableFuture<String> policy = !askPolicy ? CompletableFuture.completedFuture(null)
                : redis.configGet("maxmemory-policy").toCompletableFuture()
                        .thenApply(m -> m.get("maxmemory-policy"))
                        // Managed services often disable CONFIG: unknown, said once.
                        .exceptionally(e -> "?");
        return CompletableFuture.allOf(server, replication, policy).thenApply(v -> new NodeState(
                RedisConnector.runId(server.join()), replication.join().contains("role:master"), policy.join()));
    }

    private void moveOn(String why) {
        generation.incrementAndGet();
        log.info("Redis {}: {}; invalidations may have been lost, the epoch will be replaced", where, why);
    }

    private void checkEvictionPolicy(String nodeId, String policy) {
        if (policy.equals(policies.put(nodeId, policy))) {
            return;
        }
        if ("?".equals(policy)) {
            log.info("cannot read maxmemory-policy of Redis cluster node {}; make sure it is not allkeys-*", nodeId);
            return;
        }
        boolean unsafe = policies.values().stream().anyMatch(p -> p.startsWith("allkeys-"));
        String msg = "a node of Redis " + where + " has maxmemory-policy " + policy + ": it may evict schemes "
                + "sets and stamps and so lose invalidations, serving stale results. Use volatile-lru (or "
                + "another volatile-* policy, or noeviction).";
        refusal = unsafe && refuseUnsafeEviction ? msg + " The cache is disabled (refuseUnsafeEviction)." : null;
        if (policy.startsWith("allkeys-")) {
            log.error(refusal != null ? refusal : "!!! " + msg + " !!!");
        }
    }

    /**
     * What one node said: its run id, whether it is a master, its eviction policy ("?" unknown,
     * null not asked).
     */
    private record NodeState(String runId, boolean master, String policy) { }
}
