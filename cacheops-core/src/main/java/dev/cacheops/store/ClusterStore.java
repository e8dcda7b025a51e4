package dev.cacheops.store;

import static dev.cacheops.store.InvalidationArgs.bytes;

import io.lettuce.core.KeyValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * The {@link Store} on Redis Cluster, through Lettuce's cluster client (one connection per node,
 * multi-key commands split by slot and sent in parallel, redirections followed). It needs the
 * cluster key layout ({@link Keys#forCluster}): each table's schemes set, stamps and {@code wip}
 * set share a slot, so the scripts that must see them together run on one node, while entries
 * spread by their own hash and the epoch has a slot of its own (DESIGN §8).
 *
 * <p>How each step keeps the invariant "an entry is served only while every stamp it was written
 * with is unchanged" when its keys live on several nodes:
 * <ul>
 *   <li>Hit: one {@code MGET} per slot of entry and stamps, sent in parallel: one round trip of
 *       latency. Done on the calling thread over blocking connections ({@link ClusterReads}),
 *       through Lettuce when that cannot (a redirection, a node down, the slot map out of date) or
 *       an unawaited invalidation of a table read is still in flight. Not atomic, and it need not
 *       be: the caller serves the entry only when its checksum matches the stamps it came with,
 *       and stamps are never reused.</li>
 *   <li>Creating fetch: per slot, {@code lua/establish.lua} creates the missing stamps and
 *       registers the schemes of that slot atomically (a table's stamps and schemes share its
 *       slot), so a stamp never exists without its scheme; the epoch gets its own call.</li>
 *   <li>Fill: {@link ClusterFill}, compare then set, the entry checked again at every read.</li>
 *   <li>Invalidation: {@code lua/invalidate.lua} once per slot, for the tables of that slot,
 *       the slots in parallel.</li>
 * </ul>
 * A resharding or failover under way makes some commands fail ({@code TRYAGAIN}, a node down, a
 * script touching a key that has just migrated): that is a {@link StoreException}, which the
 * protocol turns into a database read, or for an invalidation into an epoch replacement.
 *
 * <p>Failure behaviour is {@link RedisStore}'s (DESIGN §7): connects in the background, never waits
 * longer than the command timeout, rejects commands while a node is disconnected. Its
 * {@link #generation()} moves on when a node restarted or a replica was promoted.
 *
 * <p>Thread-safe. Create it with {@link #builder(String)} and {@link #close()} it when done.
 */
public final class ClusterStore implements Store {
    private final Keys keys;
    private final Duration commandTimeout;
    private final LuaScript establishScript = LuaScript.load("establish");
    private final LuaScript invalidateScript = LuaScript.load("invalidate");
    private final LuaScript unlockScript = LuaScript.load("unlock");
    private final ClusterConnector connector;
    private final String where;
    private final Waiting waiting;
    /** Unawaited invalidations still in flight: reads of their tables follow them, close lets them land. */
    private final InFlightInvalidations inFlight = new InFlightInvalidations();
    /** Fills under way in this JVM, by entry key: a fetch of that entry waits for its fill. */
    private final ConcurrentHashMap<String, CompletableFuture<Boolean>> filling = new ConcurrentHashMap<>();
    /** The hit read on the calling thread; null when turned off ({@link Builder#blockingReads}). */
    private final ClusterReads reads;

    private ClusterStore(Builder b, ClusterUri uri, RedisTls tls) {
        this.keys = b.keys;
        this.commandTimeout = b.commandTimeout;
        this.where = uri.where();
        this.waiting = new Waiting(where, commandTimeout);
        this.connector = new ClusterConnector(uri.seeds(), where, b.commandTimeout, b.connectTimeout,
                b.reconnectInterval, b.refuseUnsafeEviction,
                List.of(establishScript, invalidateScript, unlockScript), tls);
        this.reads = b.blockingReads
                ? new ClusterReads(connector, uri.seeds().get(0), b.commandTimeout, b.poolSize, tls)
                : null;
    }

    /**
     * Starts building a store for a cluster URI: {@code redis-cluster://host:port,host:port} (any
     * reachable node is enough; the others are discovered), {@code rediss-cluster://...} for TLS,
     * with optional {@code user:password@} before the first host.
     */
    public static Builder builder(String uri) {
        return new Builder(uri);
    }

    /** Whether a URI names a Redis Cluster ({@code redis-cluster://} or {@code rediss-cluster://}). */
    public static boolean isClusterUri(String uri) {
        return ClusterUri.isCluster(uri);
    }

    /**
     * The seed nodes of a cluster URI as Lettuce URIs (credentials and TLS included), for tools
     * that open their own cluster client (the CLI's {@code stats}).
     *
     * @throws IllegalArgumentException when {@code uri} is not a valid cluster URI
     */
    public static List<io.lettuce.core.RedisURI> seeds(String uri, Duration timeout) {
        return ClusterUri.parse(uri, timeout, null, null).seeds();
    }

    /** Whether the store has connected to the cluster (a node may still be down). */
    public boolean isConnected() {
        return connector.isConnected();
    }

    @Override
    public long generation() {
        return connector.generation();
    }

    @Override
    public Fetched fetch(Lookup lookup, String stampBase, long stampTtlMillis) {
        return fetch(lookup, stampBase, stampTtlMillis, false);
    }

    /** {@inheritDoc} The pure read is one {@code MGET}, split by slot; a missing stamp costs a second round trip. */
    @Override
    public Fetched fetch(Lookup lookup, String stampBase, long stampTtlMillis, boolean stampsLikelyExist) {
        awaitFill(lookup.entryKey());
        Fetched read = stampsLikelyExist ? read(lookup) : null;
        return read != null ? read : establish(lookup, stampBase, stampTtlMillis);
    }

    /**
     * Waits, within the command timeout, for this JVM's fill of the same entry if one is under way:
     * the fill's second step is sent only when its first has answered, so the read right after a
     * miss would otherwise overtake it and read the database again.
     */
    private void awaitFill(String entryKey) {
        CompletableFuture<Boolean> fill = filling.get(entryKey);
        if (fill == null) {
            return;
        }
        try {
            fill.get(commandTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // The fill's own caller hears of it; this fetch just goes on.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The entry and stamps by one {@code MGET} per slot, or null when a stamp is missing. */
    private Fetched read(Lookup lookup) {
        List<String> stamps = lookup.stampKeys();
        String[] k = new String[1 + stamps.size()];
        k[0] = lookup.entryKey();
        for (int i = 0; i < stamps.size(); i++) {
            k[1 + i] = stamps.get(i);
        }
        byte[][] got = null;
        if (blocking(lookup)) {
            commands(); // fails at once while not connected, closed or refusing, as every operation does
            long start = System.nanoTime();
            got = reads.read(k);
            if (got == null && System.nanoTime() - start >= commandTimeout.toNanos()) {
                // A node that did not answer in time: reading again through Lettuce would double the wait.
                throw new StoreException("Redis fetch timed out on " + where);
            }
        }
        if (got == null) {
            List<KeyValue<String, byte[]>> reply = await(() -> commands().mget(k).toCompletableFuture(), "fetch");
            if (reply == null || reply.size() != k.length) {
                throw new StoreException("unexpected reply of MGET from " + where);
            }
            got = new byte[k.length][];
            for (int i = 0; i < k.length; i++) {
                got[i] = reply.get(i).getValueOrElse(null);
            }
        }
        byte[][] values = new byte[stamps.size()][];
        boolean locked = false;
        for (int i = 0; i < values.length; i++) {
            byte[] v = got[1 + i];
            if (v == null) {
                return null;
            }
            locked |= Arrays.equals(v, LOCKED);
            values[i] = v;
        }
        return new Fetched(locked ? null : got[0], Collections.unmodifiableList(Arrays.asList(values)), locked);
    }

    /** How many hit reads were answered on the calling thread ({@link ClusterReads}); for tests. */
    long blockingReadsServed() {
        return reads == null ? 0 : reads.served();
    }

    /**
     * Whether a read may go over {@link ClusterReads}: not while an unawaited invalidation of a
     * table it reads is in flight, so a read sent after a strict commit returned reaches the table's
     * node after that commit's release, on Lettuce's connection to it (DESIGN §6), and finds its
     * stamps deleted (a miss it may fill) rather than {@code LOCKED} (a pass-through).
     */
    private boolean blocking(Lookup lookup) {
        return reads != null && !inFlight.touches(lookup);
    }

    /**
     * The creating fetch: {@code establish.lua} per slot of the stamps (in parallel), and a
     * {@code GET} of the entry beside them, served only when no stamp was created or locked.
     */
    private Fetched establish(Lookup lookup, String stampBase, long stampTtlMillis) {
        List<String> stamps = lookup.stampKeys();
        Map<Integer, List<Integer>> stampsBySlot = new LinkedHashMap<>();
        for (int i = 0; i < stamps.size(); i++) {
            stampsBySlot.computeIfAbsent(slot(stamps.get(i)), s -> new ArrayList<>()).add(i);
        }
        Map<Integer, List<Lookup.SchemeRef>> schemesBySlot = new LinkedHashMap<>();
        List<Lookup.SchemeRef> strayed = new ArrayList<>();
        for (Lookup.SchemeRef ref : lookup.schemes()) {
            int slot = slot(ref.schemesKey());
            if (stampsBySlot.containsKey(slot)) {
                schemesBySlot.computeIfAbsent(slot, s -> new ArrayList<>()).add(ref);
            } else {
                strayed.add(ref);
            }
        }
        if (!strayed.isEmpty()) {
            // A scheme in a slot without stamps of this lookup (not built by Keys.forCluster):
            // registered first, so it is known before any stamp exists.
            await(() -> CompletableFuture.allOf(strayed.stream()
                    .map(r -> commands().sadd(r.schemesKey(), bytes(r.scheme())).toCompletableFuture())
                    .toArray(CompletableFuture[]::new)), "fetch");
        }
        CompletableFuture<byte[]> entry;
        Map<Integer, CompletableFuture<List<Object>>> sent = new LinkedHashMap<>();
        try {
            RedisAdvancedClusterAsyncCommands<String, byte[]> redis = commands();
            entry = redis.get(lookup.entryKey()).toCompletableFuture();
            for (Map.Entry<Integer, List<Integer>> group : stampsBySlot.entrySet()) {
                sent.put(group.getKey(), establish(redis, stamps, group.getValue(),
                        schemesBySlot.getOrDefault(group.getKey(), List.of()), stampBase, stampTtlMillis));
            }
        } catch (RuntimeException e) {
            throw failure("fetch", e);
        }
        List<CompletableFuture<?>> all = new ArrayList<>(sent.values());
        all.add(entry);
        await(() -> CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)), "fetch");
        byte[][] values = new byte[stamps.size()][];
        boolean created = false;
        boolean locked = false;
        for (Map.Entry<Integer, List<Integer>> group : stampsBySlot.entrySet()) {
            List<Object> reply = sent.get(group.getKey()).join();
            List<Integer> positions = group.getValue();
            if (reply == null || reply.size() != positions.size() + 1 || !(reply.get(0) instanceof Long)) {
                throw new StoreException("unexpected reply of the establish script from " + where);
            }
            created |= (Long) reply.get(0) == 1L;
            for (int i = 0; i < positions.size(); i++) {
                byte[] v = (byte[]) reply.get(1 + i);
                locked |= Arrays.equals(v, LOCKED);
                values[positions.get(i)] = v;
            }
        }
        return new Fetched(created || locked ? null : entry.join(), Collections.unmodifiableList(Arrays.asList(values)), locked);
    }

    /** Sends {@code establish.lua} for the stamps at {@code positions}, all in one slot, and that slot's schemes. */
    private CompletableFuture<List<Object>> establish(RedisAdvancedClusterAsyncCommands<String, byte[]> redis,
                                                      List<String> stamps, List<Integer> positions,
                                                      List<Lookup.SchemeRef> schemes, String stampBase,
                                                      long stampTtlMillis) {
        int n = positions.size();
        String[] k = new String[n + schemes.size()];
        byte[][] a = new byte[2 + n + schemes.size()][];
        a[0] = bytes(Integer.toString(n));
        a[1] = bytes(Long.toString(stampTtlMillis));
        for (int i = 0; i < n; i++) {
            int position = positions.get(i);
            k[i] = stamps.get(position);
            // The value the standalone fetch would give it: unique per fetch and position.
            a[2 + i] = bytes(stampBase + ":" + (position + 1));
        }
        for (int j = 0; j < schemes.size(); j++) {
            k[n + j] = schemes.get(j).schemesKey();
            a[2 + n + j] = bytes(schemes.get(j).scheme());
        }
        return establishScript.eval(redis, ScriptOutputType.MULTI, k, a);
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

    private CompletionStage<Boolean> put(Lookup lookup, List<byte[]> expected, byte[] value,
                                         long ttlMillis, long stampTtlMillis, String depsKey) {
        lookup.checkStampValues(expected);
        CompletableFuture<Boolean> fill;
        try {
            fill = ClusterFill.start(commands(), keys, lookup, expected, value, ttlMillis, stampTtlMillis, depsKey);
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

    /**
     * {@inheritDoc} Two round trips: the entry and its recorded stamp keys (in parallel), then the
     * stamps. The entry is served only when every recorded stamp exists and is not locked.
     */
    @Override
    public Recorded fetchRecorded(String entryKey, String depsKey) {
        awaitFill(entryKey);
        CompletableFuture<byte[]> entry;
        CompletableFuture<byte[]> recorded;
        try {
            RedisAdvancedClusterAsyncCommands<String, byte[]> redis = commands();
            entry = redis.get(entryKey).toCompletableFuture();
            recorded = redis.get(depsKey).toCompletableFuture();
        } catch (RuntimeException e) {
            throw failure("fetch", e);
        }
        await(() -> CompletableFuture.allOf(entry, recorded), "fetch");
        byte[] deps = recorded.join();
        if (deps == null || deps.length == 0) {
            return new Recorded(null, List.of(), List.of());
        }
        List<String> stampKeys = List.of(new String(deps, StandardCharsets.UTF_8).split("\n"));
        List<KeyValue<String, byte[]>> reply = await(
                () -> commands().mget(stampKeys.toArray(String[]::new)).toCompletableFuture(), "fetch");
        if (reply == null || reply.size() != stampKeys.size()) {
            throw new StoreException("unexpected reply of MGET from " + where);
        }
        List<byte[]> values = new ArrayList<>(reply.size());
        boolean valid = true;
        for (KeyValue<String, byte[]> kv : reply) {
            byte[] v = kv.getValueOrElse(null);
            if (v == null || Arrays.equals(v, LOCKED)) {
                valid = false;
                v = new byte[0];
            }
            values.add(v);
        }
        return new Recorded(valid ? entry.join() : null, stampKeys, Collections.unmodifiableList(values));
    }

    @Override
    public void delete(String... keys) {
        if (keys.length > 0) {
            await(() -> commands().del(keys).toCompletableFuture(), "delete");
        }
    }

    @Override
    public boolean tryLock(String key, String owner, long ttlMillis) {
        String ok = await(() -> commands().set(key, bytes(owner), SetArgs.Builder.nx().px(ttlMillis))
                .toCompletableFuture(), "lock");
        return "OK".equals(ok);
    }

    @Override
    public void unlock(String key, String owner) {
        await(() -> sendUnlock(key, owner), "unlock");
    }

    /** {@inheritDoc} Sent on the lock's node connection, after every fill sent there before it. */
    @Override
    public CompletionStage<Void> unlockAsync(String key, String owner) {
        try {
            return sendUnlock(key, owner).handle((n, e) -> {
                if (e != null) {
                    throw new CompletionException(failure("unlock", e));
                }
                return null;
            });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(failure("unlock", e));
        }
    }

    private CompletableFuture<Long> sendUnlock(String key, String owner) {
        return unlockScript.eval(commands(), ScriptOutputType.INTEGER, new String[] {key}, new byte[][] {bytes(owner)});
    }

    /** {@inheritDoc} One script per slot of the tables' keys, the slots in parallel. */
    @Override
    public void invalidate(Collection<TableInvalidation> tables, Phase phase, String writerId, long lockTtlMillis) {
        if (!tables.isEmpty()) {
            await(() -> sendInvalidations(tables, phase, writerId, lockTtlMillis), "invalidate");
        }
    }

    /**
     * {@inheritDoc} Each table's script goes over the connection to its node, so a read of that
     * table's stamps sent afterwards from this JVM is applied after it (a redirection during a
     * resharding may reorder them: the read then finds the stamps {@code LOCKED}, a miss).
     */
    @Override
    public CompletionStage<Void> invalidateAsync(Collection<TableInvalidation> tables, Phase phase, String writerId,
                                                 long lockTtlMillis) {
        if (tables.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        // Lettuce's command timeout (TimeoutOptions) ends every command of it; see RedisStore.
        return inFlight.track(keys, tables, () -> sendInvalidations(tables, phase, writerId, lockTtlMillis),
                e -> failure("invalidate", e));
    }

    /**
     * Sends {@code invalidate.lua} once per slot, naming each table as it appears in its keys
     * ({@code {table}}), so the script builds the same keys as {@link Keys}; the schemes,
     * {@code wip} and {@code wips} keys are passed as {@code KEYS} only to route the script to its node.
     */
    private CompletableFuture<Void> sendInvalidations(Collection<TableInvalidation> tables, Phase phase,
                                                      String writerId, long lockTtlMillis) {
        Map<Integer, List<TableInvalidation>> bySlot = new LinkedHashMap<>();
        for (TableInvalidation t : tables) {
            TableInvalidation tagged = t.named(keys.tableInKeys(t.table()));
            bySlot.computeIfAbsent(slot(keys.schemes(t.table())), s -> new ArrayList<>()).add(tagged);
        }
        RedisAdvancedClusterAsyncCommands<String, byte[]> redis = commands();
        List<CompletableFuture<Long>> sent = new ArrayList<>(bySlot.size());
        for (List<TableInvalidation> group : bySlot.values()) {
            String[] k = new String[group.size() * 3];
            for (int i = 0; i < group.size(); i++) {
                String inKeys = group.get(i).table();
                k[3 * i] = keys.prefix() + "schemes:" + inKeys;
                k[3 * i + 1] = keys.prefix() + "wip:" + inKeys;
                k[3 * i + 2] = keys.prefix() + "wips:" + inKeys;
            }
            byte[][] a = InvalidationArgs.encode(keys, group, phase, writerId, lockTtlMillis);
            sent.add(invalidateScript.eval(redis, ScriptOutputType.INTEGER, k, a));
        }
        return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
    }

    @Override
    public void abandon(Collection<String> tables, String writerId) {
        if (tables.isEmpty()) {
            return;
        }
        await(() -> {
            RedisAdvancedClusterAsyncCommands<String, byte[]> redis = commands();
            return CompletableFuture.allOf(tables.stream()
                    .flatMap(t -> Stream.of(
                            redis.zrem(keys.wip(t), bytes(writerId)).toCompletableFuture(),
                            redis.hdel(keys.wipRecords(t), writerId).toCompletableFuture()))
                    .toArray(CompletableFuture[]::new));
        }, "abandon");
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

    @Override
    public void invalidateAll() {
        await(() -> commands().del(keys.epoch()).toCompletableFuture(), "invalidateAll");
    }

    @Override
    public void ping() {
        await(() -> commands().ping().toCompletableFuture(), "ping");
    }

    /**
     * Lets invalidations still in flight land, within the command timeout; then closes the
     * connections and stops the client's threads. Later calls throw {@link StoreException}.
     */
    @Override
    public void close() {
        inFlight.awaitAll(commandTimeout);
        if (reads != null) {
            reads.close();
        }
        connector.close();
    }

    private static int slot(String key) {
        return SlotHash.getSlot(bytes(key));
    }

    private RedisAdvancedClusterAsyncCommands<String, byte[]> commands() {
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
     * Settings of a {@link ClusterStore}; validated by {@link #build()}. Not thread-safe; the store
     * it builds is.
     */
    public static final class Builder {
        private final String uri;
        private Keys keys = Keys.forCluster("cacheops");
        private Duration commandTimeout = Duration.ofMillis(100);
        private Duration connectTimeout = Duration.ofSeconds(1);
        private Duration reconnectInterval = Duration.ofSeconds(1);
        private boolean refuseUnsafeEviction;
        private String username;
        private char[] password;
        private Path trustedCa;
        private int poolSize = 32;
        private boolean blockingReads = true;

        private Builder(String uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
        }

        /** The key schema; must be the cluster layout ({@link Keys#forCluster}), default prefix {@code cacheops:}. */
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
         * The most blocking connections to one node for the hit read ({@link ClusterReads}); callers
         * beyond it wait up to the command timeout. Default 32.
         */
        public Builder poolSize(int size) {
            this.poolSize = size;
            return this;
        }

        /**
         * Whether the hit read goes over blocking connections on the calling thread (default) or,
         * with {@code false}, through Lettuce's event loop like every other command (slower on a busy
         * machine; kept to compare the two and as a way out should the blocking path misbehave).
         */
        public Builder blockingReads(boolean blocking) {
            this.blockingReads = blocking;
            return this;
        }

        /** Refuse to serve (every operation throws) when a master may evict keys without TTL. */
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
         * For {@code rediss-cluster://}: the PEM file of the certificates (a private CA) that sign
         * the nodes' certificates, trusted instead of the JVM's default trust store. Each node's
         * certificate must name the address the cluster announces for it. Default: none.
         */
        public Builder trustedCa(Path pemFile) {
            this.trustedCa = pemFile;
            return this;
        }

        /**
         * Builds the store and starts connecting in the background; never waits for Redis.
         *
         * @throws IllegalArgumentException naming the setting when one is invalid
         */
        public ClusterStore build() {
            positive("commandTimeout", commandTimeout);
            positive("connectTimeout", connectTimeout);
            positive("reconnectInterval", reconnectInterval);
            if (poolSize < 1) {
                throw new IllegalArgumentException("poolSize must be at least 1, was " + poolSize);
            }
            if (!keys.tagsTables()) {
                throw new IllegalArgumentException("keys must be the cluster layout (Keys.forCluster), was the "
                        + "standalone one: a table's keys would spread over slots no script can reach together");
            }
            ClusterUri parsed = ClusterUri.parse(uri, connectTimeout, username, password);
            if (trustedCa != null && !parsed.tls()) {
                throw new IllegalArgumentException("trustedCa is set (" + trustedCa + ") but the URI is not rediss-cluster://");
            }
            return new ClusterStore(this, parsed, parsed.tls() ? RedisTls.trusting(trustedCa) : null);
        }

        private static void positive(String name, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
        }
    }
}
