package dev.cacheops.protocol;

import dev.cacheops.Consistency;
import dev.cacheops.PassReason;
import dev.cacheops.store.Fetched;
import dev.cacheops.store.KeyWatch;
import dev.cacheops.store.Keys;
import dev.cacheops.store.Lookup;
import dev.cacheops.store.Recorded;
import dev.cacheops.store.Store;
import dev.cacheops.store.StoreException;
import dev.cacheops.store.TableInvalidation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stamp protocol (DESIGN §3, §6, §7) on top of a {@link Store}.
 *
 * <p>Reads: {@link #fetch} returns a hit only when every stamp the entry was written with still
 * holds the same value; on a miss the stamps are fixed before the database is read, and
 * {@link #fill} stores the result only if they still hold those values and no writer of a table it
 * reads is committing, so a write that commits while the query runs can never leave a stale entry.
 *
 * <p>Writes: {@link #beforeCommit} (strict consistency only) replaces the affected stamps with a
 * short-lived lock marker and marks the tables as being written; {@link #afterCommit} deletes the
 * stamps and the marker. An invalidation that cannot be delivered sets a flag, and before the next
 * hit the epoch (part of every checksum) is deleted, so nothing cached before the failure is
 * served after it.
 *
 * <p>Thread-safe. Never throws {@link StoreException}: store failures degrade to database reads.
 */
public final class StampProtocol {
    private static final Logger LOG = LoggerFactory.getLogger(StampProtocol.class);
    private static final long SCHEMES_REFRESH_NANOS = 1_000_000_000L;
    /** A stored entry starts with the checksum of its stamps and its expiry time. */
    private static final int ENTRY_HEADER = Hashing.CHECKSUM_BYTES + 8;

    private final Store store;
    private final Keys keys;
    private final Consistency consistency;
    private final long lockTtlMillis;
    private final Counters counters;
    private final Map<String, KnownSchemes> knownSchemes = new ConcurrentHashMap<>();
    private final boolean failWrites;
    /** Set when an invalidation may have been lost; cleared once the epoch has been replaced. */
    private volatile boolean epochStale;
    /** The store's generation last seen: a change means another server, maybe without our deletions. */
    private volatile long seenGeneration;
    /** Retries the epoch replacement in the background while Redis is away. */
    private final java.util.concurrent.ScheduledExecutorService recovery =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "cacheops-epoch-recovery");
                t.setDaemon(true);
                return t;
            });
    private final java.util.concurrent.atomic.AtomicBoolean recoveryScheduled =
            new java.util.concurrent.atomic.AtomicBoolean();
    /** Entries validated before, kept in process; null without a near cache. */
    private final NearCache near;
    /** The store's reports of stamp changes that keep {@link #near} fresh; null without it. */
    private final KeyWatch watch;
    /** The stamps this JVM deleted lately: which read a lookup seen before starts with. */
    private final InvalidationLog invalidated = new InvalidationLog();

    /**
     * @param failWrites when true, a pre-commit lock that cannot be delivered fails the commit
     *                   ({@link #beforeCommit} throws) instead of degrading
     */
    public StampProtocol(Store store, Keys keys, Consistency consistency, long lockTtlMillis, Counters counters,
                         boolean failWrites) {
        this(store, keys, consistency, lockTtlMillis, counters, failWrites, 0);
    }

    /**
     * @param nearCacheBytes when positive, keep validated entries in process up to about this
     *                       many bytes, dropped when the store reports a change of one of their
     *                       stamps (DESIGN §11); needs relaxed consistency and a store that can
     *                       {@linkplain Store#watch watch} keys
     * @throws IllegalArgumentException when a near cache is asked for in strict mode or of a store
     *                                  that cannot watch keys
     */
    public StampProtocol(Store store, Keys keys, Consistency consistency, long lockTtlMillis, Counters counters,
                         boolean failWrites, long nearCacheBytes) {
        this.store = store;
        this.keys = keys;
        this.consistency = consistency;
        this.lockTtlMillis = lockTtlMillis;
        this.counters = counters;
        this.failWrites = failWrites;
        this.seenGeneration = store.generation();
        if (nearCacheBytes > 0) {
            if (consistency != Consistency.RELAXED) {
                throw new IllegalArgumentException("a near cache needs consistency RELAXED: a near hit asks no one, "
                        + "so it cannot see another instance's commit before Redis' report of it arrives");
            }
            NearCache n = new NearCache(nearCacheBytes);
            KeyWatch w = store.watch(n);
            if (w == null) {
                throw new IllegalArgumentException("a near cache needs a Redis store (the in-process store is near already)");
            }
            this.near = n;
            this.watch = w;
        } else {
            this.near = null;
            this.watch = null;
        }
    }

    /** The key schema. */
    public Keys keys() {
        return keys;
    }

    /** The consistency mode. */
    public Consistency consistency() {
        return consistency;
    }

    /**
     * Looks an entry up in one round trip, establishing its stamps if it is not there.
     *
     * @param entryHash  the result's hash ({@link Hashing.KeyBuilder})
     * @param tables     every table the result depends on, bound
     * @param ttlMillis  how long the entry would be kept, to size the stamps' TTL
     */
    public Attempt fetch(String entryHash, List<BoundTable> tables, long ttlMillis) {
        return fetch(lookup(entryHash, tables), ttlMillis, false);
    }

    /**
     * The keys an entry is looked up, stored and checked with. A pure function of its arguments
     * and this protocol's key schema, so callers may memoise it per entry hash for as long as the
     * binding that produced {@code tables} stays valid.
     */
    public Lookup lookup(String entryHash, List<BoundTable> tables) {
        return Dependencies.lookup(keys, entryHash, tables);
    }

    /**
     * {@link #fetch(Lookup, long, boolean)} of a memoised lookup, {@code last} being when it was
     * fetched before: it counts as seen before only when it was fetched and this JVM has deleted
     * none of its stamps since (DESIGN §3, "Own invalidations"), so that the first read after an
     * invalidation sent from here goes to the creating read at once, one round trip instead of a
     * plain {@code MGET} that finds a stamp missing first. Advances {@code last}. Both reads are
     * correct for any lookup: the choice costs round trips, never freshness, and another
     * instance's invalidations are not seen here (their first read after still costs two).
     */
    public Attempt fetch(Lookup lookup, long ttlMillis, LastFetch last) {
        // Read before the fetch is sent: a deletion recorded after this counts as newer next time.
        long now = invalidated.sequence();
        long before = last.sequence();
        boolean seenBefore = last.seen() && !invalidated.touchedSince(lookup, before);
        last.fetchedAt(now);
        return fetch(lookup, ttlMillis, seenBefore);
    }

    /**
     * {@link #fetch(String, List, long)} with the keys already computed by {@link #lookup}.
     *
     * @param seenBefore whether this lookup was fetched before, making its stamps likely to exist
     *                   (a hint for the store, see {@link Store#fetch(Lookup, String, long, boolean)})
     */
    public Attempt fetch(Lookup lookup, long ttlMillis, boolean seenBefore) {
        checkGeneration();
        if (epochStale && !recoverEpoch()) {
            return Attempt.Miss.unfillable(PassReason.STORE_UNAVAILABLE);
        }
        long mark = -1;
        if (near != null) {
            NearCache.Near n = near.get(lookup.entryKey());
            if (n != null && n.stampKeys().equals(lookup.stampKeys())) {
                return new Attempt.Hit(n.payload(), new Attempt.Miss(lookup, n.stamps(), true, null), n);
            }
            mark = near.mark();
        }
        Fetched fetched;
        long start = System.nanoTime();
        try {
            fetched = store.fetch(lookup, stampBase(), stampTtl(ttlMillis), seenBefore);
            counters.storeCall("fetch", start, false);
        } catch (StoreException e) {
            counters.storeCall("fetch", start, true);
            counters.storeError();
            LOG.debug("store fetch failed, reading the database", e);
            return Attempt.Miss.unfillable(PassReason.STORE_UNAVAILABLE);
        }
        if (fetched.locked()) {
            forgetNear(lookup);
            return Attempt.Miss.unfillable(PassReason.WRITE_IN_PROGRESS);
        }
        byte[] entry = fetched.entry();
        if (entry != null && entry.length >= ENTRY_HEADER) {
            byte[] sum = Hashing.checksum(fetched.stamps());
            if (Arrays.equals(sum, 0, Hashing.CHECKSUM_BYTES, entry, 0, Hashing.CHECKSUM_BYTES)) {
                byte[] payload = payload(entry);
                NearCache.Near kept = near == null ? null
                        : near.put(lookup.entryKey(), lookup.stampKeys(), lookup.stampKeys(), fetched.stamps(),
                                payload, expiresAt(entry), mark);
                return new Attempt.Hit(payload, new Attempt.Miss(lookup, fetched.stamps(), true, null), kept);
            }
        } else if (entry == null) {
            noteSchemes(lookup);
        }
        forgetNear(lookup);
        return new Attempt.Miss(lookup, fetched.stamps(), true, null, fetched.quiet());
    }

    /** A store call may have registered the lookup's schemes: writers in this JVM should know at once. */
    private void noteSchemes(Lookup lookup) {
        for (Lookup.SchemeRef ref : lookup.schemes()) {
            KnownSchemes k = knownSchemes.get(ref.schemesKey());
            if (k != null) {
                k.add(ref.scheme());
            }
        }
    }

    /**
     * After a fetch that found no valid entry (absent, locked, or stored under other stamp
     * values): a copy kept here is stale and its report may still be on the way. Dropped now, so
     * that this JVM does not read an older result after the one this miss is about to read.
     */
    private void forgetNear(Lookup lookup) {
        if (near != null) {
            near.remove(lookup.entryKey());
        }
    }

    /**
     * Stores a result after a miss, without making the caller wait. The store refuses (and the
     * result is simply not cached) if a stamp changed or a writer is committing meanwhile.
     *
     * @return completes, never exceptionally, once the store has settled (stored or not)
     */
    public CompletionStage<Void> fill(Attempt.Miss miss, byte[] payload, long ttlMillis) {
        if (!miss.fillable()) {
            return CompletableFuture.completedFuture(null);
        }
        long expiresAt = System.currentTimeMillis() + ttlMillis;
        byte[] value = withChecksum(miss.stamps(), payload, expiresAt);
        if (near == null) {
            return count(() -> miss.quiet() != null
                    ? store.putQuiet(miss.lookup(), miss.stamps(), miss.quiet(), value, ttlMillis, stampTtl(ttlMillis))
                    : store.put(miss.lookup(), miss.stamps(), value, ttlMillis, stampTtl(ttlMillis)));
        }
        // A kept copy that led to this fill (one that did not decode) must not be hit again.
        near.remove(miss.lookup().entryKey());
        // Taken after that removal and before the store checks the stamps: see keepFilled.
        long mark = near.mark();
        return count(() -> store.put(miss.lookup(), miss.stamps(), value, ttlMillis, stampTtl(ttlMillis))
                .thenApply(stored -> {
                    if (Boolean.TRUE.equals(stored)) {
                        keepFilled(miss, payload, expiresAt, mark);
                    }
                    return stored;
                }));
    }

    /**
     * Keeps a result this JVM has just stored near, so that its next read here is not a Redis hit
     * first (DESIGN §11, "Fills"). Under the rule of a copy from a hit: {@code mark} was taken
     * before the store compared the stamps with those the query ran under, and it stored only if
     * they were equal; so a later change of one of them is reported after the mark, and the
     * near cache refuses the copy or drops it, also when that report arrives between the store's
     * answer and this insert. Hence the checked {@link Store#put} with a near cache, never
     * {@link Store#putQuiet}: a quiet store compares nothing, and the fetch's own mark cannot
     * stand in for the comparison, because the fetch that created a stamp is itself reported
     * after that mark (Redis reports the creation too), which would refuse nearly every first
     * read's copy.
     */
    private void keepFilled(Attempt.Miss miss, byte[] payload, long expiresAt, long mark) {
        Lookup lookup = miss.lookup();
        near.put(lookup.entryKey(), lookup.stampKeys(), lookup.stampKeys(), miss.stamps(), payload, expiresAt, mark);
    }

    /** Whether {@link #fillDerived} can store anything in this store. */
    public boolean fillsDerived() {
        return store.storesDerived();
    }

    /**
     * Stores results derived from the result {@code source} has just read (DESIGN §3, "Rows of a
     * result"), without making the caller wait: stored only where the source's own fill would be
     * ({@link Store#putDerived}).
     *
     * @param derived each entry's lookup and its payload (a result, as for {@link #fill})
     * @return completes, never exceptionally, with the number stored
     */
    public CompletionStage<Integer> fillDerived(Attempt.Miss source, Map<Lookup, byte[]> derived, long ttlMillis) {
        if (!source.fillable() || derived.isEmpty()) {
            return CompletableFuture.completedFuture(0);
        }
        long expiresAt = System.currentTimeMillis() + ttlMillis;
        List<Store.Derived> entries = new ArrayList<>(derived.size());
        derived.forEach((lookup, payload) -> entries.add(new Store.Derived(lookup, stampBase(),
                stamps -> withChecksum(stamps, payload, expiresAt))));
        long start = System.nanoTime();
        try {
            return store.putDerived(source.lookup(), source.stamps(), entries, ttlMillis, stampTtl(ttlMillis))
                    .handle((stored, error) -> {
                        counters.storeCall("putDerived", start, error != null);
                        if (error != null) {
                            counters.storeError();
                            return 0;
                        }
                        derived.keySet().forEach(this::noteSchemes);
                        counters.derived(stored);
                        return stored;
                    });
        } catch (StoreException | IllegalArgumentException e) {
            counters.storeError();
            return CompletableFuture.completedFuture(0);
        }
    }

    /** Starts an asynchronous store and counts its outcome; never throws. */
    private CompletionStage<Void> count(java.util.function.Supplier<CompletionStage<Boolean>> put) {
        long start = System.nanoTime();
        try {
            return put.get().handle((stored, error) -> {
                counters.storeCall("put", start, error != null);
                if (error != null) {
                    counters.storeError();
                } else {
                    counters.stored(stored);
                }
                return null;
            });
        } catch (StoreException e) {
            counters.storeError();
            return CompletableFuture.completedFuture(null);
        }
    }

    /**
     * Looks up a captured function result: its stamp keys were recorded beside it, so one round
     * trip reads the entry, the keys and their values.
     */
    public Attempt fetchRecorded(String entryHash) {
        checkGeneration();
        if (epochStale && !recoverEpoch()) {
            return Attempt.Miss.unfillable(PassReason.STORE_UNAVAILABLE);
        }
        String entryKey = keys.entry(entryHash);
        long mark = -1;
        if (near != null) {
            NearCache.Near n = near.get(entryKey);
            if (n != null) {
                return new Attempt.Hit(n.payload(), null);
            }
            mark = near.mark();
        }
        Recorded r;
        long start = System.nanoTime();
        try {
            r = store.fetchRecorded(entryKey, keys.deps(entryHash));
            counters.storeCall("fetch", start, false);
        } catch (StoreException e) {
            counters.storeCall("fetch", start, true);
            counters.storeError();
            return Attempt.Miss.unfillable(PassReason.STORE_UNAVAILABLE);
        }
        byte[] entry = r.entry();
        if (entry != null && entry.length >= ENTRY_HEADER && !r.stampKeys().isEmpty()
                && r.stampKeys().get(0).equals(keys.epoch())) {
            byte[] sum = Hashing.checksum(r.stamps());
            if (Arrays.equals(sum, 0, Hashing.CHECKSUM_BYTES, entry, 0, Hashing.CHECKSUM_BYTES)) {
                byte[] payload = payload(entry);
                if (near != null) {
                    // Also dropped when its recorded dependencies are replaced or deleted.
                    List<String> watched = new java.util.ArrayList<>(r.stampKeys());
                    watched.add(keys.deps(entryHash));
                    near.put(entryKey, r.stampKeys(), watched, r.stamps(), payload, expiresAt(entry), mark);
                }
                return new Attempt.Hit(payload, null);
            }
        }
        // The stamps to store under are only known once the function has run (Capture).
        return new Attempt.Miss(null, List.of(), true, null);
    }

    /**
     * Stores a captured function result under everything the capture recorded, refused if any of
     * it changed since. A capture that recorded no read depends on the epoch alone.
     */
    public CompletionStage<Void> fillCaptured(String entryHash, Capture capture, byte[] payload, long ttlMillis) {
        if (capture.failure() != null) {
            return CompletableFuture.completedFuture(null);
        }
        if (!capture.hasEpoch(keys.epoch())) {
            Attempt a = fetch(entryHash, List.of(), ttlMillis);
            Attempt.Miss m = a instanceof Attempt.Hit h ? h.fallback() : (Attempt.Miss) a;
            if (!m.fillable()) {
                return CompletableFuture.completedFuture(null);
            }
            capture.read(m.lookup(), m.stamps());
        }
        Lookup lookup = capture.lookup(keys.entry(entryHash), keys.epoch());
        List<byte[]> expected = capture.expected(lookup);
        byte[] value = withChecksum(expected, payload, System.currentTimeMillis() + ttlMillis);
        if (near != null) {
            near.remove(keys.entry(entryHash));
        }
        return count(() -> store.putRecorded(lookup, expected, value, ttlMillis, stampTtl(ttlMillis), keys.deps(entryHash)));
    }

    /** Deletes one entry (and what was recorded beside it). */
    public void delete(String entryHash) {
        if (near != null) {
            near.remove(keys.entry(entryHash));
        }
        try {
            store.delete(keys.entry(entryHash), keys.deps(entryHash));
        } catch (StoreException e) {
            counters.storeError();
        }
    }

    /** Takes the dog-pile lock of an entry; false when another caller holds it or the store is down. */
    public boolean tryLock(String entryHash, String owner, long ttlMillis) {
        try {
            return store.tryLock(keys.lock(entryHash), owner, ttlMillis);
        } catch (StoreException e) {
            counters.storeError();
            return false;
        }
    }

    /**
     * Releases the dog-pile lock of an entry if {@code owner} holds it, once {@code filled} (the
     * holder's {@link #fill}) has settled: released earlier, a caller arriving between the release
     * and the store would find neither lock nor entry and read the database again. Never waits.
     */
    public void unlockAfter(CompletionStage<Void> filled, String entryHash, String owner) {
        filled.thenCompose(done -> store.unlockAsync(keys.lock(entryHash), owner))
                .whenComplete((done, error) -> {
                    if (error != null) {
                        counters.storeError();
                    }
                });
    }

    /**
     * Before a writing commit (strict mode): locks the affected stamps and marks the tables as
     * being written. Returns the writer id to pass to {@link #afterCommit}.
     */
    public String beforeCommit(Collection<TableInvalidation> tables) {
        String writer = writerId();
        if (consistency != Consistency.STRICT || tables.isEmpty()) {
            return writer;
        }
        // Awaited at once, with nothing to overlap it with: the store's awaited call, which a
        // standalone Redis answers on the calling thread (no hand-off to an event loop and back).
        long start = System.nanoTime();
        try {
            store.invalidate(tables, Store.Phase.LOCK, writer, lockTtlMillis);
            counters.storeCall("lock", start, false);
        } catch (StoreException e) {
            counters.storeCall("lock", start, true);
            lockLost(e);
        }
        return writer;
    }

    /**
     * Sends the pre-commit lock of {@link #beforeCommit} without waiting, so that the caller can
     * overlap it with the write itself; {@link #awaitLock} must be called before the commit.
     */
    public PendingLock sendLock(Collection<TableInvalidation> tables) {
        String writer = writerId();
        long start = System.nanoTime();
        CompletableFuture<Void> sent = consistency == Consistency.STRICT && !tables.isEmpty()
                ? store.invalidateAsync(tables, Store.Phase.LOCK, writer, lockTtlMillis).toCompletableFuture()
                        .whenComplete((v, e) -> counters.storeCall("lock", start, e != null))
                : CompletableFuture.completedFuture(null);
        return new PendingLock(writer, sent);
    }

    /**
     * Waits until a lock sent by {@link #sendLock} is in place; returns the writer id to pass to
     * {@link #afterCommit}. An undelivered lock degrades (the epoch is replaced before the next
     * hit) or, in fail-writes mode, throws so that the commit does not happen.
     *
     * @throws StoreException in fail-writes mode when the lock could not be delivered
     */
    public String awaitLock(PendingLock lock) {
        try {
            lock.sent.join();
        } catch (CompletionException | CancellationException e) {
            lockLost(asStoreException(e));
        }
        return lock.writer;
    }

    /** An undelivered lock degrades, or in fail-writes mode is thrown so that the commit does not happen. */
    private void lockLost(StoreException e) {
        lost(e);
        if (failWrites) {
            throw e;
        }
    }

    /** A pre-commit lock on its way to the store. */
    public static final class PendingLock {
        private final String writer;
        private final CompletableFuture<Void> sent;

        private PendingLock(String writer, CompletableFuture<Void> sent) {
            this.writer = writer;
            this.sent = sent;
        }
    }

    private static StoreException asStoreException(Throwable e) {
        Throwable cause = e;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause instanceof StoreException se ? se : new StoreException("store command failed: " + cause, cause);
    }

    /**
     * Before a commit that may have written anything: in fail-writes mode the epoch must be
     * deletable now, else the commit must not happen.
     *
     * @throws StoreException in fail-writes mode when the store cannot be reached
     */
    public void beforeCommitOfEverything() {
        if (failWrites) {
            try {
                invalidated.everything();
                store.invalidateAll();
            } catch (StoreException e) {
                lost(e);
                throw e;
            }
        }
    }

    /**
     * After a commit (also after a commit that failed, whose outcome is unknown): deletes the
     * affected stamps and the writer's markers. {@code writer} may be null when nothing was
     * locked before.
     *
     * <p>In strict mode the caller does not wait: the stamps are {@code LOCKED} meanwhile, so
     * every other reader reads the database, and every later read of this JVM reaches the store
     * after the release (one ordered connection). In relaxed mode the release is the
     * invalidation itself, and the commit returns only once it is done, so that a read anywhere
     * that starts after the commit returned is fresh (bar the documented in-flight race).
     */
    public void afterCommit(Collection<TableInvalidation> tables, String writer) {
        if (tables.isEmpty()) {
            return;
        }
        if (consistency == Consistency.STRICT && writer != null) {
            recordDeletions(tables);
            long start = System.nanoTime();
            store.invalidateAsync(tables, Store.Phase.RELEASE, writer, lockTtlMillis).whenComplete((v, e) -> {
                counters.storeCall("invalidate", start, e != null);
                if (e != null) {
                    lost(asStoreException(e));
                } else {
                    countInvalidated(tables);
                }
            });
            return;
        }
        release(tables, writer == null ? writerId() : writer);
    }

    private void release(Collection<TableInvalidation> tables, String writer) {
        recordDeletions(tables);
        long start = System.nanoTime();
        try {
            store.invalidate(tables, Store.Phase.RELEASE, writer, lockTtlMillis);
            counters.storeCall("invalidate", start, false);
            countInvalidated(tables);
        } catch (StoreException e) {
            counters.storeCall("invalidate", start, true);
            lost(e);
            return;
        }
        awaitOwnReports();
    }

    /**
     * With a near cache: returns once this JVM's near cache has heard of every change the store
     * made so far, so that the thread that just invalidated (and every thread after it) reads
     * the change; one round trip on the watch connection. If that fails, everything kept is
     * forgotten instead.
     */
    private void awaitOwnReports() {
        if (watch == null) {
            return;
        }
        try {
            watch.fence();
        } catch (StoreException e) {
            near.flush();
            LOG.debug("near cache flushed: its reports could not be awaited", e);
        }
    }

    /** Invalidates immediately, outside any transaction (the manual API); waits for the store. */
    public void invalidateNow(Collection<TableInvalidation> tables) {
        if (tables.isEmpty()) {
            return;
        }
        // No commit to wait for: deleting the stamps is the whole invalidation (one round trip).
        release(tables, writerId());
    }

    /**
     * Notes the stamps a release is about to delete, for {@link #fetch(Lookup, long, LastFetch)}:
     * computed from the schemes this JVM knows of the table ({@link #schemes}, which every writer
     * reads), the whole table when it knows none. Recorded before the release is sent, so that a
     * read sent after it (strict mode does not wait for it) already goes to the creating read; a
     * fetch that overtakes the deletion in Redis only loses the hint. Never calls the store.
     */
    private void recordDeletions(Collection<TableInvalidation> tables) {
        try {
            for (TableInvalidation t : tables) {
                KnownSchemes k = t.wholeTable() ? null : knownSchemes.get(keys.schemes(t.table()));
                if (k == null) {
                    invalidated.wholeTable(keys.wip(t.table()));
                } else {
                    invalidated.deleted(keys.affected(t, k.schemes));
                }
            }
        } catch (RuntimeException e) {
            // A hint must never stand between a commit and its invalidation; without it, the next
            // reads of these lookups pay the plain MGET first, as before.
            LOG.debug("could not record the stamps an invalidation deletes", e);
        }
    }

    private void countInvalidated(Collection<TableInvalidation> tables) {
        for (TableInvalidation t : tables) {
            counters.invalidated(t.table(), t.wholeTable(), t.rows().size());
        }
    }


    /** Invalidates every cached result by deleting the epoch. */
    public void invalidateAll() {
        invalidated.everything();
        try {
            store.invalidateAll();
        } catch (StoreException e) {
            lost(e);
            return;
        }
        awaitOwnReports();
    }

    /**
     * The schemes a table's cached results use, as last seen (refreshed about once a second), or
     * an empty set when the store cannot say. Only an optimisation for writers: reading fewer
     * columns than needed makes the store invalidate whole schemes, never too little.
     */
    public Set<String> schemes(String table) {
        String key = keys.schemes(table);
        KnownSchemes k = knownSchemes.get(key);
        long now = System.nanoTime();
        if (k == null || now - k.loadedAt > SCHEMES_REFRESH_NANOS) {
            try {
                k = new KnownSchemes(store.schemes(table), now);
            } catch (StoreException e) {
                counters.storeError();
                return Set.of();
            }
            knownSchemes.put(key, k);
        }
        return k.snapshot();
    }

    /** True while an invalidation may have been lost and the epoch is not yet replaced. */
    public boolean epochStale() {
        return epochStale;
    }

    private void checkGeneration() {
        long g = store.generation();
        if (g != seenGeneration) {
            seenGeneration = g;
            epochStale = true;
        }
    }

    private void lost(StoreException e) {
        counters.storeError();
        if (near != null) {
            // What it keeps may be exactly what the lost invalidation was to drop.
            near.flush();
        }
        boolean first = !epochStale;
        epochStale = true;
        scheduleRecovery();
        // One warning per outage; the rest would only repeat it.
        if (first) {
            LOG.warn("invalidation could not be delivered ({}); the epoch will be replaced before the next hit",
                    e.getMessage());
        } else {
            LOG.debug("invalidation could not be delivered", e);
        }
    }

    /**
     * Keeps trying to replace the epoch while it is stale, so that an idle instance does not
     * leave old entries valid for the others once Redis answers again.
     */
    private void scheduleRecovery() {
        if (!recoveryScheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            recovery.schedule(() -> {
                recoveryScheduled.set(false);
                if (epochStale && !recoverEpoch()) {
                    scheduleRecovery();
                }
            }, 100, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            recoveryScheduled.set(false);
        }
    }

    /** Stops the background recovery and the near cache's watch (the store is closing). */
    public void close() {
        recovery.shutdownNow();
        if (watch != null) {
            watch.close();
        }
    }

    /** The near cache, or null when there is none. */
    public NearCache nearCache() {
        return near;
    }

    private boolean recoverEpoch() {
        synchronized (this) {
            if (!epochStale) {
                return true;
            }
            try {
                invalidated.everything();
                store.invalidateAll();
                epochStale = false;
                LOG.info("store reachable again; epoch replaced, everything cached before is invalid");
                return true;
            } catch (StoreException e) {
                counters.storeError();
                return false;
            }
        }
    }

    /**
     * A stored entry: the checksum of its stamps, when it expires (epoch milliseconds, so that a
     * copy kept in process expires with the stored one, whenever it was read) and the payload.
     */
    private static byte[] withChecksum(List<byte[]> stamps, byte[] payload, long expiresAt) {
        byte[] sum = Hashing.checksum(stamps);
        byte[] value = new byte[ENTRY_HEADER + payload.length];
        System.arraycopy(sum, 0, value, 0, sum.length);
        for (int i = 0; i < 8; i++) {
            value[Hashing.CHECKSUM_BYTES + i] = (byte) (expiresAt >>> (56 - 8 * i));
        }
        System.arraycopy(payload, 0, value, ENTRY_HEADER, payload.length);
        return value;
    }

    private static long expiresAt(byte[] entry) {
        long t = 0;
        for (int i = 0; i < 8; i++) {
            t = (t << 8) | (entry[Hashing.CHECKSUM_BYTES + i] & 0xFF);
        }
        return t;
    }

    private static byte[] payload(byte[] entry) {
        return Arrays.copyOfRange(entry, ENTRY_HEADER, entry.length);
    }

    private static long stampTtl(long ttlMillis) {
        // Stamps must outlive every entry that uses them.
        return 2 * ttlMillis + 60_000;
    }

    private static String stampBase() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return HexFormat.of().toHexDigits(r.nextLong()) + HexFormat.of().toHexDigits(r.nextLong());
    }

    private static String writerId() {
        return stampBase();
    }

    /** A table's schemes as last loaded, plus those this JVM registered since. */
    private static final class KnownSchemes {
        private final Set<String> schemes;
        private final long loadedAt;

        KnownSchemes(Set<String> schemes, long loadedAt) {
            this.schemes = ConcurrentHashMap.newKeySet();
            this.schemes.addAll(schemes);
            this.loadedAt = loadedAt;
        }

        void add(String scheme) {
            schemes.add(scheme);
        }

        Set<String> snapshot() {
            return new HashSet<>(schemes);
        }
    }
}
