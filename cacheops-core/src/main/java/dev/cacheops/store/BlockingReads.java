package dev.cacheops.store;

import static dev.cacheops.store.InvalidationArgs.bytes;
import static dev.cacheops.store.Store.LOCKED;

import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisCredentialsProvider;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.net.ssl.SSLSocketFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisFactory;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisSocketFactory;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * The reads a caller waits for (the fetch before a query), and the invalidations it waits for,
 * done with blocking I/O on the calling thread over a pool of Jedis connections.
 *
 * <p>Why a second client: through Lettuce's one shared connection every command is handed to its
 * event loop and its answer handed back, two thread wake-ups per read. On a busy two-core machine
 * that doubled the CPU of a hit and halved the throughput of raw {@code GET}s at four threads
 * (docs/PERFORMANCE.md, "Concurrency"); a blocking client reads its answer on the thread that asked.
 * Lettuce keeps everything that is not awaited (fills, invalidations) and the connection state
 * (eviction policy, run id), so the order guarantees of DESIGN §6 still rest on one ordered
 * connection: a read sent here may overtake an unawaited strict {@code RELEASE} sent there, and
 * then finds the stamps {@code LOCKED}, which is a miss, never a stale hit.
 *
 * <p>The connections read with no socket timeout, each read one blocking system call
 * ({@link ChannelSocket}); a watchdog bounds every call instead ({@link CallDeadlines}), so a call
 * fails between the timeout and 1.25 times it.
 *
 * <p>Each new connection reports the server's run id to {@code onRunId}, so a restart or failover
 * noticed by a pooled connection first still moves the store's generation on. Thread-safe.
 *
 * <p>Quiet fills go here too, unanswered and deferred ({@link #defer}): they wait in
 * {@link DeferredFills} and ride ahead of the next call's command in the same write, or are
 * written by that class's thread within about a millisecond. Each of their commands is preceded by
 * {@code CLIENT REPLY SKIP}, so Redis sends no reply and the connection goes back to the pool with
 * nothing pending. Each new connection first checks that its server honours that (a server older
 * than 3.2, a proxy, or an ACL user without {@code CLIENT} does not), and a connection whose use
 * fails in any way is discarded, never returned: a reply left unread would be taken by the next
 * user for its own.
 */
final class BlockingReads implements AutoCloseable {
    private static final byte[] NX = bytes("NX");
    private static final byte[] PX = bytes("PX");
    /** How long a deferred fill may wait for a call to carry it before it is written by itself. */
    static final Duration FILL_DELAY = Duration.ofMillis(1);
    private final JedisPool pool;
    private final CallDeadlines deadlines;
    private final String where;
    private final DeferredFills deferred;
    /** Whether the last connection made skips replies: until one is, fills are not deferred. */
    private volatile boolean skipsReplies;

    /**
     * @param uri     a standalone server ({@link #supports})
     * @param timeout the longest a call (a quarter more at most, see {@link CallDeadlines}), or
     *                opening a connection for it, may take
     * @param size    the most connections at once: callers beyond it wait up to {@code timeout}
     */
    BlockingReads(RedisURI uri, String where, Duration timeout, int size, Consumer<String> onRunId, RedisTls tls) {
        this(uri, where, timeout, size, onRunId, tls, FILL_DELAY);
    }

    /** As above, with deferred fills written by themselves after {@code fillDelay} (tests lengthen it). */
    BlockingReads(RedisURI uri, String where, Duration timeout, int size, Consumer<String> onRunId, RedisTls tls,
                  Duration fillDelay) {
        this.where = where;
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(millis)
                .socketTimeoutMillis(millis)
                .database(uri.getDatabase())
                // RESP2 named, so nothing is negotiated (Jedis 8 warns per connection otherwise): the
                // replies read here (MGET, EXEC) are arrays either way. protocol() exists in Jedis 7,
                // which Spring Boot 4.0 manages, autoNegotiateProtocol() does not.
                .protocol(RedisProtocol.RESP2)
                // No CLIENT SETINFO at connect: a least-privilege ACL user need not be allowed CLIENT.
                .clientSetInfoConfig(ClientSetInfoConfig.DISABLED);
        RedisCredentialsProvider credentials = uri.getCredentialsProvider();
        RedisCredentials c = credentials == null ? null : credentials.resolveCredentials().block(timeout);
        if (c != null && c.hasPassword()) {
            config.password(new String(c.getPassword()));
            if (c.hasUsername()) {
                config.user(c.getUsername());
            }
        }
        GenericObjectPoolConfig<Jedis> poolConfig = new GenericObjectPoolConfig<>();
        poolConfig.setMaxTotal(size);
        poolConfig.setMaxIdle(size);
        poolConfig.setMinIdle(0);
        poolConfig.setBlockWhenExhausted(true);
        poolConfig.setMaxWait(timeout);
        // A broken connection throws on use and is then destroyed: no PING per borrow.
        poolConfig.setTestOnBorrow(false);
        poolConfig.setJmxEnabled(false);
        this.deadlines = new CallDeadlines(timeout, where);
        this.pool = new JedisPool(poolConfig, new RunIdCheckingFactory(new HostAndPort(uri.getHost(), uri.getPort()),
                config.build(), millis, uri.isSsl() ? tls.socketFactory() : null, deadlines, onRunId,
                skips -> skipsReplies = skips));
        this.deferred = new DeferredFills(where, fillDelay.toNanos(), this::writeDeferred);
    }

    /** Whether blocking reads can reach this URI: a host and port, not Sentinel or a socket. */
    static boolean supports(RedisURI uri) {
        return uri.getHost() != null && uri.getSentinels().isEmpty() && uri.getSocket() == null && !uri.isStartTls();
    }

    /**
     * Runs {@code command} on a pooled connection.
     *
     * @throws StoreException when no connection is free within the timeout, or Redis fails or
     *                        does not answer in time (the connection is then discarded)
     */
    <T> T call(String op, Function<Jedis, T> command) {
        // Taken before the connection, so that a caller waiting for one does not hold them.
        List<DeferredFills.Pending> carried = deferred.any() ? deferred.claim(DeferredFills.MAX_CARRIED) : List.of();
        StoreException failure = null;
        try (Jedis jedis = pool.getResource()) {
            QuietConnection c = (QuietConnection) jedis.getConnection();
            return within(op, jedis, j -> {
                carry(c, carried);
                return command.apply(j); // its own write sends the carried fills too
            });
        } catch (JedisException | IllegalStateException | ClassCastException e) {
            failure = failure(op, e);
            throw failure;
        } catch (RuntimeException e) {
            failure = failure(op, e);
            throw e;
        } finally {
            settle(carried, failure);
        }
    }

    /** {@code e} as the failure of {@code op}: itself when it already is one. */
    private StoreException failure(String op, RuntimeException e) {
        return e instanceof StoreException se ? se
                : new StoreException("Redis " + op + " failed on " + where + ": " + e, e);
    }

    /**
     * Runs {@code command} on {@code jedis} within the timeout ({@link CallDeadlines}). A failed
     * connection is discarded, and so is one whose socket the watchdog closed as the answer came.
     *
     * @throws StoreException saying so when the call ran past the timeout
     */
    private <T> T within(String op, Jedis jedis, Function<Jedis, T> command) {
        CallDeadlines.Watched watched = ((QuietConnection) jedis.getConnection()).watched;
        watched.begin();
        T result;
        try {
            result = command.apply(jedis);
        } catch (RuntimeException e) {
            boolean inTime = watched.end();
            discard(jedis);
            if (!inTime) {
                throw new StoreException("Redis " + op + " timed out after " + deadlines.timeoutMillis() + " ms on "
                        + where, e);
            }
            throw e;
        }
        if (!watched.end()) {
            discard(jedis);
        }
        return result;
    }

    /**
     * Runs {@code script} with no keys and {@code args} on a pooled connection and waits for its
     * answer: {@code EVALSHA}, and after a {@code NOSCRIPT} (a restart, a failover, {@code SCRIPT
     * FLUSH}) {@code SCRIPT LOAD} and {@code EVALSHA} once more, as the shared connection does.
     * Not {@code EVAL}: the README's ACL rules allow only those two.
     *
     * @throws StoreException as {@link #call}
     */
    Object evalScript(String op, LuaScript script, byte[][] args) {
        byte[] sha = bytes(script.sha());
        return call(op, jedis -> {
            try {
                return jedis.evalsha(sha, 0, args);
            } catch (JedisNoScriptException e) {
                jedis.scriptLoad(script.body());
                return jedis.evalsha(sha, 0, args);
            }
        });
    }

    /**
     * Queues a quiet fill's {@code commands}, whose replies Redis will skip, to be written ahead of
     * the next call's command or by {@link DeferredFills}' thread within {@link #FILL_DELAY}. The
     * caller writes nothing; what Redis makes of the commands, success or error, is not known.
     *
     * @return completes {@code true} once written, exceptionally with a {@link StoreException}
     *         when the write failed; null, having queued nothing, when the pool's connections do
     *         not skip replies, none was made yet, or too many fills wait (the caller sends the
     *         commands some other way)
     */
    DeferredFills.Pending defer(Consumer<Unanswered> commands) {
        return skipsReplies ? deferred.add(commands) : null;
    }

    /**
     * Writes every fill still waiting, on connections of their own: the round of
     * {@link DeferredFills}' thread, and what a fetch does before it reads an entry whose fill
     * waits (so that the fetch does not overtake it), and {@link #close}.
     */
    void writeDeferred() {
        // Bounded: fills that keep arriving are the next round's. Each round is a call that
        // carries up to MAX_CARRIED of them and sends nothing of its own.
        int rounds = DeferredFills.MAX_WAITING / DeferredFills.MAX_CARRIED;
        for (; rounds > 0 && deferred.any(); rounds--) {
            try {
                call("put", jedis -> {
                    ((QuietConnection) jedis.getConnection()).send();
                    return null;
                });
            } catch (RuntimeException e) {
                return; // the fills carried failed with it; the next round tries again, on another connection
            }
        }
    }

    /**
     * Sends {@code fills} on {@code c}, replies skipped, to be written with the next flush. Where
     * the connection does not skip replies (a failover to a server that does not) they are
     * settled as not stored and nothing is sent.
     */
    private static void carry(QuietConnection c, List<DeferredFills.Pending> fills) {
        if (fills.isEmpty()) {
            return;
        }
        if (!c.skipsReplies) {
            fills.forEach(p -> p.complete(false));
            return;
        }
        for (DeferredFills.Pending p : fills) {
            p.sendTo(c::sendSkippingReply);
        }
    }

    /**
     * Completes carried fills: written when the call that carried them flushed without failing.
     * A failed call may have written part of them; they fail with its error, and the connection,
     * discarded, is never read again.
     */
    private static void settle(List<DeferredFills.Pending> fills, StoreException failure) {
        for (DeferredFills.Pending p : fills) {
            if (failure == null) {
                p.complete(true);
            } else {
                p.completeExceptionally(failure);
            }
        }
    }

    /**
     * Marks a connection broken so that the pool destroys it instead of taking it back: after a
     * failed use, a reply may be left unread (a timeout, an unexpected answer) and would be taken
     * by the next user for its own.
     */
    private static void discard(Jedis jedis) {
        jedis.getConnection().setBroken();
    }

    /** Writes one command whose reply Redis skips. */
    @FunctionalInterface
    interface Unanswered {
        void send(ProtocolCommand command, byte[]... args);
    }

    /**
     * What {@code fetch.lua} does, as one {@code MULTI} of plain commands (a script costs Redis
     * several times the CPU of the commands it runs): register the schemes, create each stamp that
     * is missing ({@code SET NX PX}), read the entry and the stamps. Atomic like the script, and
     * all or nothing when Redis refuses to queue a command (out of memory), so a stamp never
     * exists without its scheme.
     *
     * <p>After the {@code MGET}, in the same transaction: {@code ZCARD} of each table's {@code wip}
     * set, {@code HVALS} of its {@code wips} hash and {@code PTTL} of each stamp. When every
     * writer in progress knew the lookup's schemes and locked none of its stamps
     * ({@link WriterRecord}; none in progress is the common case) the answer is
     * {@linkplain Fetched#quiet quiet}, and the fill of a miss is one write instead of a check and
     * a write (DESIGN §3, "Miss path", says why checking here, before the query, is enough).
     *
     * <p>One round trip: {@code MULTI}, the commands and {@code EXEC} are written together and
     * every reply read after. Jedis' own {@code Transaction.exec()} reads the {@code QUEUED}
     * replies before it sends {@code EXEC}, which made this fetch two round trips (a miss of a new
     * lookup cost two Redis round trips before the database, docs/PERFORMANCE.md).
     */
    static Fetched createAndRead(Jedis jedis, Keys keys, Lookup lookup, String stampBase, long stampTtlMillis) {
        List<String> stamps = lookup.stampKeys();
        List<Lookup.SchemeRef> schemes = lookup.schemes();
        List<String> wips = lookup.wipKeys();
        int n = stamps.size();
        byte[][] k = new byte[1 + n][];
        k[0] = bytes(lookup.entryKey());
        for (int i = 0; i < n; i++) {
            k[1 + i] = bytes(stamps.get(i));
        }
        Connection c = jedis.getConnection();
        c.sendCommand(Protocol.Command.MULTI);
        for (Lookup.SchemeRef ref : schemes) {
            c.sendCommand(Protocol.Command.SADD, bytes(ref.schemesKey()), bytes(ref.scheme()));
        }
        byte[] px = bytes(Long.toString(stampTtlMillis));
        for (int i = 0; i < n; i++) {
            c.sendCommand(Protocol.Command.SET, k[1 + i], bytes(stampBase + ":" + (i + 1)), NX, PX, px);
        }
        c.sendCommand(Protocol.Command.MGET, k);
        for (String wip : wips) {
            c.sendCommand(Protocol.Command.ZCARD, bytes(wip));
            c.sendCommand(Protocol.Command.HVALS, bytes(keys.wipRecordsOf(wip)));
        }
        for (int i = 0; i < n; i++) {
            c.sendCommand(Protocol.Command.PTTL, k[1 + i]);
        }
        c.sendCommand(Protocol.Command.EXEC);
        int queued = schemes.size() + n + 1 + 2 * wips.size() + n;
        // OK, one QUEUED (or the error of a command Redis refused to queue) per command, EXEC's.
        List<Object> replies = c.getMany(1 + queued + 1);
        Object exec = replies.get(replies.size() - 1);
        if (exec instanceof Exception e) {
            // EXECABORT: Redis refused a command (out of memory) and so ran none of them.
            throw new IllegalStateException("the fetch transaction was refused: " + e, e);
        }
        if (!(exec instanceof List<?> done) || done.size() != queued) {
            throw new IllegalStateException("unexpected reply of the fetch transaction: " + exec);
        }
        for (Object r : done) {
            if (r instanceof Exception e) {
                throw new IllegalStateException(e.toString(), e);
            }
        }
        int at = schemes.size();
        boolean anyCreated = false;
        for (int i = 0; i < n; i++) {
            anyCreated |= done.get(at++) != null; // "OK" when created, nil when the stamp existed
        }
        List<?> read = (List<?>) done.get(at++);
        boolean harmless = true;
        for (String wip : wips) {
            long writers = (Long) done.get(at++);
            @SuppressWarnings("unchecked")
            List<byte[]> known = (List<byte[]>) done.get(at++);
            harmless &= WriterRecord.harmlessReplies(keys, lookup, wip, writers, known);
        }
        long[] ttls = new long[n];
        for (int i = 0; i < n; i++) {
            ttls[i] = (Long) done.get(at++);
        }
        byte[][] values = new byte[n][];
        boolean locked = false;
        for (int i = 0; i < n; i++) {
            values[i] = (byte[]) read.get(1 + i);
            // Inside one transaction a stamp cannot vanish between its SET NX and the MGET.
            locked |= Arrays.equals(values[i], LOCKED);
        }
        byte[] entry = locked || anyCreated ? null : (byte[]) read.get(0);
        // Not quiet when a writer in progress may change the result: the fill checks again.
        return new Fetched(entry, Collections.unmodifiableList(Arrays.asList(values)), locked,
                locked || !harmless ? null : new Fetched.Quiet(ttls));
    }

    /** Stops the fill writer, writes what still waits, then closes the connections. */
    @Override
    public void close() {
        deferred.close();
        writeDeferred();
        pool.close();
        deadlines.close();
    }

    /**
     * Opens {@link QuietConnection}s on {@link ChannelSocket}s; reads the run id of each before it
     * serves any read, and whether its server skips replies. The handshake has the socket timeout;
     * then the connection reads with none, each call bounded by {@link CallDeadlines} instead.
     */
    private static final class RunIdCheckingFactory extends JedisFactory {
        private final HostAndPort address;
        private final JedisClientConfig config;
        private final int timeoutMillis;
        private final SSLSocketFactory tls;
        private final CallDeadlines deadlines;
        private final Consumer<String> onRunId;
        private final Consumer<Boolean> onSkipsReplies;

        /** @param tls null for plain TCP */
        RunIdCheckingFactory(HostAndPort address, JedisClientConfig config, int timeoutMillis, SSLSocketFactory tls,
                             CallDeadlines deadlines, Consumer<String> onRunId, Consumer<Boolean> onSkipsReplies) {
            super(address, config);
            this.address = address;
            this.config = config;
            this.timeoutMillis = timeoutMillis;
            this.tls = tls;
            this.deadlines = deadlines;
            this.onRunId = onRunId;
            this.onSkipsReplies = onSkipsReplies;
        }

        @Override
        public PooledObject<Jedis> makeObject() throws Exception {
            ChannelSocket socket = new ChannelSocket(address.getHost(), address.getPort(), timeoutMillis, tls);
            QuietConnection c = new QuietConnection(socket, config); // connects, authenticates, selects
            Jedis jedis = new Jedis(c);
            try {
                onRunId.accept(RedisConnector.runId(jedis.info("server")));
                c.skipsReplies = QuietConnection.probe(c);
                c.setSoTimeout(0);
            } catch (RuntimeException e) {
                c.close();
                throw e;
            }
            c.watched = deadlines.watch(socket);
            onSkipsReplies.accept(c.skipsReplies);
            return new DefaultPooledObject<>(jedis);
        }

        @Override
        public void destroyObject(PooledObject<Jedis> pooled) throws Exception {
            if (pooled.getObject().getConnection() instanceof QuietConnection c && c.watched != null) {
                c.watched.close();
            }
            super.destroyObject(pooled);
        }
    }

    /**
     * A connection that can also write commands without reading their replies. {@code flush} is
     * protected in Jedis: every public way to send reads a reply too.
     */
    static final class QuietConnection extends Connection {
        private static final byte[] REPLY = bytes("REPLY");
        private static final byte[] SKIP = bytes("SKIP");
        /** Whether the server answered the probe as a Redis that skips replies; set once, when made. */
        volatile boolean skipsReplies;
        /** Its calls' deadlines; set once, when made. */
        volatile CallDeadlines.Watched watched;

        QuietConnection(JedisSocketFactory sockets, JedisClientConfig config) {
            super(sockets, config);
        }

        void sendSkippingReply(ProtocolCommand command, byte[]... args) {
            sendCommand(Protocol.Command.CLIENT, REPLY, SKIP);
            sendCommand(command, args);
        }

        /** Writes what was sent to the socket. */
        void send() {
            flush();
        }

        /**
         * {@code CLIENT REPLY SKIP}, then a {@code PING} whose answer it skips, then one it does
         * not: a server that skips replies answers the second {@code PING} only. Any other first
         * answer (an error: unknown command, no permission) is followed by the others, which are
         * read up to the second {@code PING}'s, so nothing is left pending either way.
         */
        static boolean probe(QuietConnection c) {
            byte[] skipped = bytes("skipped");
            byte[] answered = bytes("answered");
            c.sendCommand(Protocol.Command.CLIENT, REPLY, SKIP);
            c.sendCommand(Protocol.Command.PING, skipped);
            c.sendCommand(Protocol.Command.PING, answered);
            for (int i = 0; i < 3; i++) {
                Object reply;
                try {
                    reply = c.getOne();
                } catch (JedisDataException e) {
                    reply = e;
                }
                if (reply instanceof byte[] b && Arrays.equals(b, answered)) {
                    return i == 0;
                }
            }
            throw new IllegalStateException("unexpected answers to CLIENT REPLY SKIP and PING");
        }
    }

}
