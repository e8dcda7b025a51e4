package dev.cacheops.store;

import static dev.cacheops.store.InvalidationArgs.bytes;

import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.StaticCredentialsProvider;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The {@link Store} in Redis. The reads and invalidations a caller waits for, and quiet fills
 * written with their replies skipped, go over a pool of blocking Jedis connections on the calling thread
 * ({@link BlockingReads}; not for Sentinel or socket URIs); everything else over one shared
 * Lettuce connection (one connection serves many threads: commands are pipelined), the writes as
 * Lua scripts run by SHA.
 *
 * <p>Failure behaviour (DESIGN §7): the constructor never waits for Redis; it connects in the
 * background and retries every {@link Builder#reconnectInterval reconnect interval} until it
 * succeeds, and Lettuce reconnects by itself after a connection is lost. While there is no
 * connection every operation fails at once (commands are rejected, not queued), and no operation
 * waits longer than the command timeout. Every failure is a {@link StoreException}.
 *
 * <p>At connect the store reads {@code maxmemory-policy}: an {@code allkeys-*} policy may evict
 * schemes sets and stamps without TTL and so lose invalidations; it is logged as an error, and
 * with {@link Builder#refuseUnsafeEviction} the store refuses to serve.
 *
 * <p>Thread-safe. Create it with {@link #builder(String)} and {@link #close()} it when done.
 */
public final class RedisStore implements Store {
    /**
     * The largest value a quiet fill defers to the pool ({@link BlockingReads#defer}). The call
     * that carries it waits for its socket write, up to the timeout when a stalled server stops
     * reading ({@link CallDeadlines}): larger values go to the shared connection, whose writes
     * never block a caller.
     */
    static final int UNANSWERED_FILL_MAX_BYTES = 64 * 1024;

    private final Keys keys;
    private final Duration commandTimeout;
    private final LuaScript fetchScript = LuaScript.load("fetch");
    private final LuaScript fetchRecordedScript = LuaScript.load("fetch_recorded");
    private final LuaScript unlockScript = LuaScript.load("unlock");
    private final LuaScript invalidateScript = LuaScript.load("invalidate");
    private final LuaScript invalidateAllScript = LuaScript.load("invalidate_all");
    private final LuaScript abandonScript = LuaScript.load("abandon");
    private final RedisConnector connector;
    /** Unawaited invalidations still in flight: reads of their tables follow them, close lets them land. */
    private final InFlightInvalidations inFlight = new InFlightInvalidations();
    /** Fills under way in this JVM, by entry key: a fetch of that entry waits for its fill. */
    private final ConcurrentHashMap<String, CompletableFuture<Boolean>> filling = new ConcurrentHashMap<>();
    /** The awaited reads on the calling thread; null where Jedis cannot go (Sentinel, sockets). */
    private final BlockingReads reads;
    private final String where;
    private final Waiting waiting;
    /** Watches this store started, closed with it. */
    private final Set<KeyWatch> watches = ConcurrentHashMap.newKeySet();

    private RedisStore(Builder b, RedisURI uri, RedisTls tls) {
        this.keys = b.keys;
        this.commandTimeout = b.commandTimeout;
        this.connector = new RedisConnector(uri, b.commandTimeout, b.connectTimeout, b.reconnectInterval,
                b.refuseUnsafeEviction, List.of(fetchScript, invalidateScript, invalidateAllScript, abandonScript,
                        fetchRecordedScript, unlockScript), tls);
        this.where = connector.where();
        this.waiting = new Waiting(where, commandTimeout);
        this.reads = BlockingReads.supports(uri)
                ? new BlockingReads(uri, where, b.commandTimeout, b.poolSize, connector::noteRunId, tls)
                : null;
    }

    /**
     * Starts building a store for a Lettuce URI such as {@code redis://127.0.0.1:6379/0},
     * {@code redis://user:password@host:6379/2} or {@code rediss://host:6380} (TLS).
     */
    public static Builder builder(String uri) {
        return new Builder(uri);
    }

    /** Whether the store currently has a live connection (it may still refuse to serve). */
    public boolean isConnected() {
        return connector.isConnected();
    }

    @Override
    public long generation() {
        return connector.generation();
    }

    @Override
    public Fetched fetch(Lookup lookup, String stampBase, long stampTtlMillis) {
        return fetchCreating(lookup, stampBase, stampTtlMillis, blocking(lookup));
    }

    /**
     * {@inheritDoc} The pure read is a plain {@code MGET} of the entry and its stamps: when every
     * stamp exists the script would write nothing and return exactly that, and an {@code MGET}
     * hit measured some 40 µs faster end to end than the script's. A missing stamp (first read,
     * or the first read after an invalidation deleted it) costs a second round trip, the script.
     */
    @Override
    public Fetched fetch(Lookup lookup, String stampBase, long stampTtlMillis, boolean stampsLikelyExist) {
        awaitFill(lookup.entryKey());
        boolean blocking = blocking(lookup);
        Fetched read = stampsLikelyExist ? read(lookup, blocking) : null;
        return read != null ? read : fetchCreating(lookup, stampBase, stampTtlMillis, blocking);
    }

    /**
     * Waits, within the command timeout, for this JVM's fill of the same entry if one is under way,
     * and writes it first if it is deferred and still waits. A fill takes two round trips on the
     * shared connection, or waits to be carried by a pooled call, and a fetch goes over the pool,
     * so without this the read right after a miss would overtake the store of that miss and read
     * the database again; through one connection it used to queue behind the store. Also keeps
     * concurrent misses of one entry in this JVM from all reading the database.
     */
    private void awaitFill(String entryKey) {
        CompletableFuture<Boolean> fill = filling.get(entryKey);
        if (fill == null || fill.isDone()) {
            return;
        }
        if (fill instanceof DeferredFills.Pending) {
            // Still waiting to be carried: written now, else the fetch's own call could carry it
            // only if no other call took it first, and could overtake that call's write.
            reads.writeDeferred();
        }
        try {
            fill.get(commandTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // The fill's own caller hears of it; this fetch just goes on.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Whether a fetch may go over the pool: not while an unawaited invalidation of a table it reads
     * is in flight, so that a read sent after a strict commit returned still reaches Redis after
     * that commit's release, on the one ordered connection (DESIGN §6), and finds its stamps
     * deleted (a miss it may fill) rather than {@code LOCKED} (a pass-through).
     */
    private boolean blocking(Lookup lookup) {
        return reads != null && !inFlight.touches(lookup);
    }

    /** The entry and stamps by one {@code MGET}, or null when a stamp is missing. */
    private Fetched read(Lookup lookup, boolean blocking) {
        List<String> stamps = lookup.stampKeys();
        byte[][] values = new byte[stamps.size()][];
        byte[] entry;
        if (blocking) {
            byte[][] k = new byte[1 + stamps.size()][];
            k[0] = bytes(lookup.entryKey());
            for (int i = 0; i < stamps.size(); i++) {
                k[1 + i] = bytes(stamps.get(i));
            }
            connector.checkServing(); // fails at once while disconnected or refusing, as every operation does
            List<byte[]> reply = reads.call("fetch", jedis -> jedis.mget(k));
            if (reply == null || reply.size() != k.length) {
                throw new StoreException("unexpected reply of MGET from " + where);
            }
            for (int i = 0; i < values.length; i++) {
                values[i] = reply.get(1 + i);
            }
            entry = reply.get(0);
        } else {
            String[] k = new String[1 + stamps.size()];
            k[0] = lookup.entryKey();
            for (int i = 0; i < stamps.size(); i++) {
                k[1 + i] = stamps.get(i);
            }
            List<KeyValue<String, byte[]>> reply = await(() -> commands().mget(k).toCompletableFuture(), "fetch");
            if (reply == null || reply.size() != k.length) {
                throw new StoreException("unexpected reply of MGET from " + where);
            }
            for (int i = 0; i < values.length; i++) {
                values[i] = reply.get(1 + i).getValueOrElse(null);
            }
            entry = reply.get(0).getValueOrElse(null);
        }
        boolean locked = false;
        for (byte[] v : values) {
            if (v == null) {
                return null;
            }
            locked |= Arrays.equals(v, LOCKED);
        }
        return new Fetched(locked ? null : entry, Collections.unmodifiableList(Arrays.asList(values)), locked);
    }

    private Fetched fetchCreating(Lookup lookup, String stampBase, long stampTtlMillis, boolean blocking) {
        if (blocking) {
            connector.checkServing(); // fails at once while disconnected or refusing
            return reads.call("fetch", jedis -> BlockingReads.createAndRead(jedis, keys, lookup, stampBase, stampTtlMillis));
        }
        return await(() -> fetchScript(lookup, stampBase, stampTtlMillis), "fetch");
    }

    /** {@code fetch.lua} on the shared connection: reads the entry, creating missing stamps and registering schemes. */
    private CompletableFuture<Fetched> fetchScript(Lookup lookup, String stampBase, long stampTtlMillis) {
        List<String> stamps = lookup.stampKeys();
        List<Lookup.SchemeRef> schemes = lookup.schemes();
        int n = stamps.size();
        String[] k = new String[1 + n + schemes.size()];
        byte[][] a = new byte[3 + schemes.size()][];
        k[0] = lookup.entryKey();
        for (int i = 0; i < n; i++) {
            k[1 + i] = stamps.get(i);
        }
        a[0] = bytes(Integer.toString(n));
        a[1] = bytes(stampBase);
        a[2] = bytes(Long.toString(stampTtlMillis));
        for (int j = 0; j < schemes.size(); j++) {
            k[1 + n + j] = schemes.get(j).schemesKey();
            a[3 + j] = bytes(schemes.get(j).scheme());
        }
        return fetchScript.<List<Object>>eval(commands(), ScriptOutputType.MULTI, k, a).thenApply(reply -> {
            if (reply == null || reply.size() != n + 2 || !(reply.get(0) instanceof Long)) {
                throw new StoreException("unexpected reply of the fetch script from " + where);
            }
            byte[][] values = new byte[n][];
            for (int i = 0; i < n; i++) {
                values[i] = (byte[]) reply.get(2 + i);
            }
            return new Fetched((byte[]) reply.get(1), Collections.unmodifiableList(Arrays.asList(values)),
                    (Long) reply.get(0) == 1L);
        });
    }

    @Override
    public boolean storesDerived() {
        return true;
    }

    /**
     * {@inheritDoc} Does not wait for Redis. The derived entries' {@code fetch.lua} runs come first,
     * and the source's check ({@link Fill#startDerived}) is sent only once they have all answered,
     * so a writer that locks after the check reads schemes sets that hold the derived entries'
     * schemes (one more round trip, which nobody waits for).
     */
    @Override
    public CompletionStage<Integer> putDerived(Lookup source, List<byte[]> expected, List<Derived> derived,
                                               long ttlMillis, long stampTtlMillis) {
        source.checkStampValues(expected);
        if (derived.isEmpty()) {
            return CompletableFuture.completedFuture(0);
        }
        try {
            connector.checkServing();
            List<CompletableFuture<Fetched>> created = new ArrayList<>(derived.size());
            for (Derived d : derived) {
                created.add(fetchScript(d.lookup(), d.stampBase(), stampTtlMillis));
            }
            return CompletableFuture.allOf(created.toArray(CompletableFuture[]::new))
                    .thenCompose(ignored -> Fill.startDerived(connector.connection(), keys, source, expected, derived,
                            created.stream().map(CompletableFuture::join).toList(), ttlMillis))
                    .handle((stored, e) -> {
                        if (e != null) {
                            throw new CompletionException(failure("put", e));
                        }
                        return stored;
                    });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(failure("put", e));
        }
    }

    /**
     * {@inheritDoc} Does not wait for Redis: failures complete the stage with a
     * {@link StoreException}.
     *
     * @throws IllegalArgumentException when {@code expected} and the stamps differ in number
     */
    @Override
    public CompletionStage<Boolean> put(Lookup lookup, List<byte[]> expected, byte[] value,
                                        long ttlMillis, long stampTtlMillis) {
        return put(lookup, expected, value, ttlMillis, stampTtlMillis, null);
    }

    /** {@inheritDoc} Does not wait for Redis, like {@link #put}. */
    @Override
    public CompletionStage<Boolean> putRecorded(Lookup lookup, List<byte[]> expected, byte[] value,
                                                long ttlMillis, long stampTtlMillis, String depsKey) {
        return put(lookup, expected, value, ttlMillis, stampTtlMillis, depsKey);
    }

    /**
     * {@inheritDoc} One batch instead of two steps; without {@code quiet}, {@link #put}. Deferred
     * ({@link BlockingReads#defer}): the commands, their replies skipped ({@link Fill#sendQuiet}),
     * ride ahead of the next pooled call's command in its write, or are written within about a
     * millisecond by the pool's fill writer, so the caller of a miss writes nothing. Where the pool
     * cannot go, its server does not skip replies, or the value is over 64 KiB, one batch on the
     * shared connection ({@link Fill#startQuiet}). Does not wait for Redis, like {@link #put}.
     */
    @Override
    public CompletionStage<Boolean> putQuiet(Lookup lookup, List<byte[]> expected, Fetched.Quiet quiet,
                                             byte[] value, long ttlMillis, long stampTtlMillis) {
        if (quiet == null) {
            return put(lookup, expected, value, ttlMillis, stampTtlMillis, null);
        }
        lookup.checkStampValues(expected);
        if (reads != null && value.length <= UNANSWERED_FILL_MAX_BYTES) {
            try {
                connector.checkServing(); // fails at once while disconnected or refusing
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(failure("put", e));
            }
            CompletableFuture<Boolean> deferred = reads.defer(out -> Fill.sendQuiet(out, lookup, quiet, value,
                    ttlMillis, stampTtlMillis));
            if (deferred != null) {
                return track(lookup, () -> deferred);
            }
        }
        return track(lookup, () -> Fill.startQuiet(connector.connection(), lookup, quiet, value, ttlMillis,
                stampTtlMillis));
    }

    private CompletionStage<Boolean> put(Lookup lookup, List<byte[]> expected, byte[] value,
                                         long ttlMillis, long stampTtlMillis, String depsKey) {
        lookup.checkStampValues(expected);
        return track(lookup, () -> Fill.start(connector.connection(), keys, lookup, expected, value, ttlMillis,
                stampTtlMillis, depsKey));
    }

    /** Starts a fill and keeps it in {@link #filling} until it settles. */
    private CompletionStage<Boolean> track(Lookup lookup, Supplier<CompletableFuture<Boolean>> start) {
        CompletableFuture<Boolean> fill;
        try {
            fill = start.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(failure("put", e));
        }
        String entryKey = lookup.entryKey();
        filling.put(entryKey, fill);
        return fill.handle((stored, e) -> {
            filling.remove(entryKey, fill);
            if (e != null) {
                throw new CompletionException(failure("put", e));
            }
            return stored;
        });
    }

    @Override
    public Recorded fetchRecorded(String entryKey, String depsKey) {
        awaitFill(entryKey);
        String[] k = {entryKey, depsKey};
        List<Object> reply = await(() -> fetchRecordedScript.eval(commands(), ScriptOutputType.MULTI, k, new byte[0][]), "fetch");
        if (reply == null || reply.size() < 2) {
            throw new StoreException("unexpected reply of the fetch_recorded script from " + where);
        }
        if (reply.get(1) == null) {
            return new Recorded(null, List.of(), List.of());
        }
        List<String> stampKeys = List.of(new String((byte[]) reply.get(1), StandardCharsets.UTF_8).split("\n"));
        List<byte[]> values = new ArrayList<>(reply.size() - 2);
        for (int i = 2; i < reply.size(); i++) {
            values.add((byte[]) reply.get(i));
        }
        if (values.size() != stampKeys.size()) {
            throw new StoreException("unexpected reply of the fetch_recorded script from " + where);
        }
        return new Recorded((byte[]) reply.get(0), stampKeys, Collections.unmodifiableList(values));
    }

    @Override
    public void delete(String... keys) {
        if (keys.length > 0) {
            await(() -> commands().del(keys).toCompletableFuture(), "delete");
        }
    }

    @Override
    public boolean tryLock(String key, String owner, long ttlMillis) {
        String ok = await(() -> commands().set(key, bytes(owner),
                SetArgs.Builder.nx().px(ttlMillis)).toCompletableFuture(), "lock");
        return "OK".equals(ok);
    }

    @Override
    public void unlock(String key, String owner) {
        String[] k = {key};
        byte[][] a = {bytes(owner)};
        await(() -> unlockScript.<Long>eval(commands(), ScriptOutputType.INTEGER, k, a), "unlock");
    }

    /** {@inheritDoc} Sent on the shared connection, after every fill sent before it. */
    @Override
    public CompletionStage<Void> unlockAsync(String key, String owner) {
        String[] k = {key};
        byte[][] a = {bytes(owner)};
        try {
            return unlockScript.<Long>eval(commands(), ScriptOutputType.INTEGER, k, a).handle((n, e) -> {
                if (e != null) {
                    throw new CompletionException(failure("unlock", e));
                }
                return null;
            });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(failure("unlock", e));
        }
    }

    @Override
    public void invalidate(Collection<TableInvalidation> tables, Phase phase, String writerId, long lockTtlMillis) {
        if (tables.isEmpty()) {
            return;
        }
        byte[][] a = InvalidationArgs.encode(keys, tables, phase, writerId, lockTtlMillis);
        if (blocking(a)) {
            connector.checkServing();
            reads.evalScript("invalidate", invalidateScript, a);
            return;
        }
        await(() -> invalidateScript.<Long>eval(commands(), ScriptOutputType.INTEGER, new String[0], a), "invalidate");
    }

    /**
     * Whether an awaited invalidation may go over the pool, sent and answered on the calling
     * thread: through the shared connection it is handed to the event loop and its answer handed
     * back, two thread wake-ups per write (docs/PERFORMANCE.md, "Writes"). Not for arguments over
     * {@link #UNANSWERED_FILL_MAX_BYTES}: a blocking write has no timeout. Not while the shared
     * connection is down (Lettuce reconnecting after a restart): a {@code LOCK} the pool delivered
     * would then meet a {@code RELEASE} the shared connection refuses, and hold the table's fills
     * for the lock TTL ({@code FaultsIT} saw ten-second recoveries). The order of the two
     * connections is not needed (DESIGN §6, "Awaited invalidations over the pool"): another
     * instance's commands interleave with this one's anyway, and a {@code LOCK} that reaches Redis
     * after its own writer's {@code RELEASE} locks nothing ({@link Store#invalidate}).
     */
    private boolean blocking(byte[][] args) {
        if (reads == null || !connector.isConnected()) {
            return false;
        }
        long size = 0;
        for (byte[] arg : args) {
            size += arg.length;
        }
        return size <= UNANSWERED_FILL_MAX_BYTES;
    }

    /** {@inheritDoc} Sent on the one connection every command shares, so in order. */
    @Override
    public CompletionStage<Void> invalidateAsync(Collection<TableInvalidation> tables, Phase phase, String writerId,
                                                 long lockTtlMillis) {
        if (tables.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        byte[][] a = InvalidationArgs.encode(keys, tables, phase, writerId, lockTtlMillis);
        // No orTimeout here: Lettuce's own command timeout (TimeoutOptions, the same duration) ends
        // it, and orTimeout's scheduler thread cost a wake-up per write (DESIGN §6, PERFORMANCE).
        return inFlight.track(keys, tables,
                () -> invalidateScript.eval(commands(), ScriptOutputType.INTEGER, new String[0], a),
                e -> failure("invalidate", e));
    }

    @Override
    public void abandon(Collection<String> tables, String writerId) {
        if (tables.isEmpty()) {
            return;
        }
        String[] k = tables.stream().flatMap(t -> Stream.of(keys.wip(t), keys.wipRecords(t)))
                .toArray(String[]::new);
        byte[][] a = {bytes(writerId)};
        await(() -> abandonScript.<Long>eval(commands(), ScriptOutputType.INTEGER, k, a), "abandon");
    }

    @Override
    public Set<String> schemes(String table) {
        Set<byte[]> members = await(() -> commands().smembers(keys.schemes(table)).toCompletableFuture(), "schemes");
        List<String> out = new ArrayList<>(members.size());
        for (byte[] m : members) {
            out.add(new String(m, StandardCharsets.UTF_8));
        }
        return Set.copyOf(out);
    }

    /** {@inheritDoc} A script, so that it also tells the channel listeners when there are any. */
    @Override
    public void invalidateAll() {
        await(() -> invalidateAllScript.<Long>eval(commands(), ScriptOutputType.INTEGER, new String[0],
                new byte[][] {bytes(keys.prefix())}), "invalidateAll");
    }

    /**
     * {@inheritDoc} Through Redis' client tracking, or where Redis refuses it a channel the
     * invalidation scripts publish on ({@link Tracking}), on connections of its own.
     */
    @Override
    public KeyWatch watch(KeyChanges listener) {
        KeyWatch w = connector.watch(keys, listener);
        watches.add(w);
        return w;
    }

    @Override
    public void ping() {
        await(() -> commands().ping().toCompletableFuture(), "ping");
    }

    /**
     * Lets invalidations still in flight land (a strict release sent just before would otherwise be
     * cancelled, leaving its stamps locked until the lock timeout), within the command timeout;
     * then closes the connections and stops the client's threads. Later calls throw
     * {@link StoreException}.
     */
    @Override
    public void close() {
        inFlight.awaitAll(commandTimeout);
        if (reads != null) {
            reads.close();
        }
        watches.forEach(KeyWatch::close);
        connector.close();
    }

    private RedisAsyncCommands<String, byte[]> commands() {
        return connector.commands();
    }

    /** Runs an asynchronous command and waits for it, never longer than the command timeout. */
    private <T> T await(Supplier<CompletableFuture<T>> command, String op) {
        return waiting.await(command, op);
    }

    private StoreException failure(String op, Throwable e) {
        return waiting.failure(op, e);
    }

    /**
     * Settings of a {@link RedisStore}; validated by {@link #build()}. Not thread-safe; the store it
     * builds is.
     */
    public static final class Builder {
        private final String uri;
        private Keys keys = new Keys("cacheops");
        private Duration commandTimeout = Duration.ofMillis(100);
        private Duration connectTimeout = Duration.ofSeconds(1);
        private Duration reconnectInterval = Duration.ofSeconds(1);
        private boolean refuseUnsafeEviction;
        private String username;
        private char[] password;
        private Integer database;
        private int poolSize = 32;
        private Path trustedCa;

        private Builder(String uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
        }

        /** The key schema (prefix); default prefix {@code cacheops:}. */
        public Builder keys(Keys keys) {
            this.keys = Objects.requireNonNull(keys, "keys");
            return this;
        }

        /** The longest any operation waits for Redis; default 100 ms. */
        public Builder commandTimeout(Duration timeout) {
            this.commandTimeout = timeout;
            return this;
        }

        /** The longest a connection attempt waits; default 1 s. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /** The pause between connection attempts, and the longest reconnect delay; default 1 s. */
        public Builder reconnectInterval(Duration interval) {
            this.reconnectInterval = interval;
            return this;
        }

        /**
         * The most connections the calling threads' reads use at once (default 32); a reader
         * beyond it waits for one up to the command timeout. Writes and fills share one more.
         */
        public Builder poolSize(int size) {
            this.poolSize = size;
            return this;
        }

        /** Refuse to serve (every operation throws) when Redis may evict keys without TTL. */
        public Builder refuseUnsafeEviction(boolean refuse) {
            this.refuseUnsafeEviction = refuse;
            return this;
        }

        /** The ACL user and password, overriding those in the URI. */
        public Builder credentials(String username, char[] password) {
            this.username = username;
            this.password = password == null ? null : password.clone();
            return this;
        }

        /**
         * For {@code rediss://}: the PEM file of the certificates (a private CA) that sign the
         * server's certificate, trusted instead of the JVM's default trust store. The server's host
         * name is always checked against its certificate. Default: none (the JVM's trust store).
         */
        public Builder trustedCa(Path pemFile) {
            this.trustedCa = pemFile;
            return this;
        }

        /** The database number, overriding the one in the URI. */
        public Builder database(int database) {
            this.database = database;
            return this;
        }

        /**
         * Builds the store and starts connecting in the background; never waits for Redis.
         *
         * @throws IllegalArgumentException naming the setting when one is invalid
         */
        public RedisStore build() {
            positive("commandTimeout", commandTimeout);
            positive("connectTimeout", connectTimeout);
            positive("reconnectInterval", reconnectInterval);
            if (poolSize < 1) {
                throw new IllegalArgumentException("poolSize must be >= 1, was " + poolSize);
            }
            RedisURI parsed;
            try {
                parsed = RedisURI.create(uri);
            } catch (RuntimeException e) {
                // The message of the cause is left out: it may repeat the URI and its password.
                throw new IllegalArgumentException("uri: not a valid Redis URI (" + e.getClass().getSimpleName() + ")");
            }
            if (password != null) {
                parsed.setCredentialsProvider(new StaticCredentialsProvider(username, password.clone()));
            }
            if (database != null) {
                if (database < 0) {
                    throw new IllegalArgumentException("database must be >= 0, was " + database);
                }
                parsed.setDatabase(database);
            }
            // The handshake (HELLO/AUTH/SELECT) is part of connecting: give it the connect budget.
            parsed.setTimeout(connectTimeout);
            if (trustedCa != null && !parsed.isSsl()) {
                throw new IllegalArgumentException("trustedCa is set (" + trustedCa + ") but the URI is not rediss://");
            }
            return new RedisStore(this, parsed, parsed.isSsl() ? RedisTls.trusting(trustedCa) : null);
        }

        private static void positive(String name, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
        }
    }
}
