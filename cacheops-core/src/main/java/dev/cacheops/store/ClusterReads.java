package dev.cacheops.store;

import static dev.cacheops.store.InvalidationArgs.bytes;

import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisCredentialsProvider;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.commons.pool2.BasePooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.util.SafeEncoder;

/**
 * The hit read on Redis Cluster done with blocking I/O on the calling thread, as
 * {@link BlockingReads} does it on a standalone server: through Lettuce each of the hit's per-slot
 * {@code MGET}s is handed to an event loop and its answer handed back, and on a busy machine those
 * thread wake-ups, not the round trip, are most of a hit's cost.
 *
 * <p>One read goes to every master its keys' slots live on, as Lettuce's slot map says
 * ({@link ClusterConnector#masterOf}): one pooled connection per node, one {@code MGET} per slot
 * (a cluster node refuses a multi-key command across slots), every request written and flushed
 * before any answer is read, so the nodes work at once and the read costs one round trip of
 * latency on one thread.
 *
 * <p>It never follows a redirection itself: a {@code MOVED}, {@code ASK}, {@code TRYAGAIN} or
 * {@code CLUSTERDOWN}, a broken or refused connection, a node the slot map does not know, a
 * connection to a node whose run id the {@link ClusterConnector connector} has not judged as a
 * master's yet (a restart or a promotion it has not seen): {@link #read} answers null and the
 * caller reads through Lettuce, which follows redirections and refreshes its slot map. Nothing
 * here decides whether an entry is served; the caller checks the stamps as on every path
 * (DESIGN §3). Thread-safe.
 */
final class ClusterReads implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterStore.class);
    private static final Duration IDLE_CHECK = Duration.ofSeconds(30);
    private static final Duration IDLE_LIMIT = Duration.ofMinutes(5);
    private final ClusterConnector connector;
    private final JedisClientConfig config;
    private final Duration timeout;
    private final int size;
    private final ConcurrentHashMap<HostAndPort, GenericObjectPool<NodeConnection>> pools = new ConcurrentHashMap<>();
    /** Nodes whose connection failure was logged: once each, a silent fallback would hide a misconfiguration. */
    private final Set<HostAndPort> reported = ConcurrentHashMap.newKeySet();
    /** Reads answered here, not handed back to Lettuce: what shows the path is in use. */
    private final LongAdder served = new LongAdder();
    private volatile boolean closed;

    /**
     * @param seed    a seed URI: its credentials and TLS setting are every node's
     * @param timeout the longest a read, or opening a connection for it, may take
     * @param size    the most connections at once to one node
     * @param tls     the trust for {@code rediss-cluster://}, null without TLS
     */
    ClusterReads(ClusterConnector connector, RedisURI seed, Duration timeout, int size, RedisTls tls) {
        this.connector = connector;
        this.timeout = timeout;
        this.size = size;
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        DefaultJedisClientConfig.Builder b = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(millis)
                .socketTimeoutMillis(millis)
                .ssl(tls != null)
                // As in BlockingReads: nothing negotiated, no CLIENT SETINFO (not in the ACL user's list).
                .protocol(RedisProtocol.RESP2)
                .clientSetInfoConfig(ClientSetInfoConfig.DISABLED);
        if (tls != null) {
            // The trust Lettuce is given, and the host name checked against the announced address.
            b.sslSocketFactory(tls.socketFactory()).sslParameters(RedisTls.sslParameters());
        }
        RedisCredentialsProvider credentials = seed.getCredentialsProvider();
        RedisCredentials c = credentials == null ? null : credentials.resolveCredentials().block(timeout);
        if (c != null && c.hasPassword()) {
            b.password(new String(c.getPassword()));
            if (c.hasUsername()) {
                b.user(c.getUsername());
            }
        }
        this.config = b.build();
    }

    /**
     * The values of {@code keys} (null for a missing key), in order; or null when this path could
     * not read them all and the caller should read through Lettuce (see the class).
     */
    byte[][] read(String[] keys) {
        if (closed) {
            return null;
        }
        // Per node, per slot, the positions of its keys.
        Map<HostAndPort, Map<Integer, List<Integer>>> plan = new LinkedHashMap<>();
        byte[][] raw = new byte[keys.length][];
        for (int i = 0; i < keys.length; i++) {
            raw[i] = bytes(keys[i]);
            int slot = SlotHash.getSlot(raw[i]);
            HostAndPort node = connector.masterOf(slot);
            if (node == null) {
                return null;
            }
            plan.computeIfAbsent(node, n -> new LinkedHashMap<>()).computeIfAbsent(slot, s -> new ArrayList<>(2)).add(i);
        }
        List<GenericObjectPool<NodeConnection>> from = new ArrayList<>(plan.size());
        List<NodeConnection> borrowed = new ArrayList<>(plan.size());
        HostAndPort at = null;
        try {
            // All connections first: a request is written only when every answer can be read.
            for (HostAndPort node : plan.keySet()) {
                at = node;
                GenericObjectPool<NodeConnection> pool = pool(node);
                NodeConnection conn = pool.borrowObject(timeout.toMillis());
                from.add(pool);
                borrowed.add(conn);
            }
        } catch (Exception e) {
            giveBack(from, borrowed);
            if (!(e instanceof Unjudged) && reported.add(at)) {
                log.info("blocking reads from Redis node {} failed ({}); those hits read through Lettuce until it "
                        + "answers", at, e.toString());
            }
            return null; // refused, exhausted, TLS, an unjudged run id: Lettuce reads it
        }
        byte[][] values = new byte[keys.length][];
        boolean complete = true;
        int n = 0;
        for (Map<Integer, List<Integer>> slots : plan.values()) {
            NodeConnection conn = borrowed.get(n++);
            try {
                for (List<Integer> positions : slots.values()) {
                    byte[][] args = new byte[positions.size()][];
                    for (int j = 0; j < args.length; j++) {
                        args[j] = raw[positions.get(j)];
                    }
                    conn.sendCommand(Protocol.Command.MGET, args);
                }
                conn.send();
            } catch (RuntimeException e) {
                conn.setBroken(); // JedisConnectionException, or anything else: the stream is in doubt
                complete = false;
            }
        }
        n = 0;
        for (Map<Integer, List<Integer>> slots : plan.values()) {
            NodeConnection conn = borrowed.get(n++);
            for (List<Integer> positions : slots.values()) {
                if (conn.isBroken()) {
                    complete = false;
                    break;
                }
                try {
                    Object reply = conn.getUnflushedObject();
                    if (reply instanceof List<?> list && list.size() == positions.size()) {
                        for (int j = 0; j < positions.size(); j++) {
                            values[positions.get(j)] = (byte[]) list.get(j);
                        }
                    } else {
                        complete = false;
                    }
                } catch (JedisDataException e) {
                    // MOVED, ASK, TRYAGAIN, CLUSTERDOWN, an ACL denial: an error reply, the
                    // connection stays in step. Read the other answers so it can be reused.
                    complete = false;
                } catch (RuntimeException e) {
                    // A timeout, a lost connection, a reply of another shape: what it still owes
                    // must not answer a later read.
                    conn.setBroken();
                    complete = false;
                }
            }
        }
        giveBack(from, borrowed);
        if (!complete) {
            return null;
        }
        served.increment();
        return values;
    }

    /** How many reads were answered here since the start. */
    long served() {
        return served.sum();
    }

    private static void giveBack(List<GenericObjectPool<NodeConnection>> from, List<NodeConnection> borrowed) {
        for (int i = 0; i < borrowed.size(); i++) {
            NodeConnection conn = borrowed.get(i);
            if (conn.isBroken()) {
                try {
                    from.get(i).invalidateObject(conn);
                } catch (Exception e) {
                    // Destroying a broken connection failed: it is gone from the pool all the same.
                }
            } else {
                from.get(i).returnObject(conn);
            }
        }
    }

    private GenericObjectPool<NodeConnection> pool(HostAndPort node) {
        GenericObjectPool<NodeConnection> pool = pools.get(node);
        if (pool != null) {
            return pool;
        }
        return pools.computeIfAbsent(node, address -> {
            GenericObjectPoolConfig<NodeConnection> c = new GenericObjectPoolConfig<>();
            c.setMaxTotal(size);
            c.setMaxIdle(size);
            c.setMinIdle(0);
            c.setBlockWhenExhausted(true);
            c.setMaxWait(timeout);
            // A broken connection throws on use and is then destroyed: no PING per borrow.
            c.setTestOnBorrow(false);
            c.setJmxEnabled(false);
            // A node that left the cluster (resharded away, replaced after a failover) is never
            // borrowed from again: its idle connections close after a while instead of staying open.
            c.setTimeBetweenEvictionRuns(IDLE_CHECK);
            c.setMinEvictableIdleDuration(IDLE_LIMIT);
            return new GenericObjectPool<>(new Factory(address), c);
        });
    }

    @Override
    public void close() {
        closed = true;
        pools.values().forEach(GenericObjectPool::close);
        pools.clear();
    }

    /** A node whose run id the connector has not judged yet: expected after a restart, not logged. */
    private static final class Unjudged extends IllegalStateException {
        Unjudged(String message) {
            super(message);
        }
    }

    /** A Jedis connection that can send what it has buffered without reading an answer. */
    static final class NodeConnection extends Connection {
        NodeConnection(HostAndPort address, JedisClientConfig config) {
            super(address, config);
        }

        /** Writes the buffered requests to the socket. */
        void send() {
            flush();
        }
    }

    /**
     * Opens connections to one node, each asked its run id first: a connection is used only when
     * the connector has judged that run id as a master's, so a node restarted (maybe with old data)
     * or a replica promoted is not read here before the connector has moved the generation on.
     */
    private final class Factory extends BasePooledObjectFactory<NodeConnection> {
        private final HostAndPort address;

        Factory(HostAndPort address) {
            this.address = address;
        }

        @Override
        public NodeConnection create() {
            NodeConnection conn = new NodeConnection(address, config);
            try {
                conn.sendCommand(Protocol.Command.INFO, "server");
                String runId = RedisConnector.runId(SafeEncoder.encode(conn.getBinaryBulkReply()));
                if (runId == null || !runId.equals(connector.runIdAt(address))) {
                    connector.requestWatch();
                    throw new Unjudged("run id " + runId + " of " + address + " not judged yet");
                }
                reported.remove(address);
                return conn;
            } catch (RuntimeException e) {
                conn.close();
                throw e;
            }
        }

        @Override
        public PooledObject<NodeConnection> wrap(NodeConnection conn) {
            return new DefaultPooledObject<>(conn);
        }

        @Override
        public void destroyObject(PooledObject<NodeConnection> p) {
            p.getObject().close();
        }
    }
}
