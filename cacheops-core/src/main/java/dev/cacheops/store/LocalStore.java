package dev.cacheops.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The {@link Store} inside this JVM, for a single process, tests and demos: the same semantics as
 * {@link RedisStore}, script for script.
 *
 * <p>Entries live in a Caffeine cache bounded by weight (their bytes) with a per-entry expiry, so
 * they may be evicted like in Redis with {@code volatile-lru}. Stamps, schemes and
 * write-in-progress markers live in plain maps that only their TTLs empty: evicting a stamp
 * would be safe, but evicting a schemes set would lose invalidations, exactly the Redis
 * {@code allkeys-*} hazard.
 *
 * <p>Every method is atomic as a whole: a read-write lock guards the maps; the hit path takes only
 * the read lock, so readers never wait for each other. Time comes from a {@link Ticker} that
 * tests can advance. Thread-safe. After {@link #close()} every operation throws
 * {@link StoreException}.
 */
public final class LocalStore implements Store {
    private static final int SWEEP_EVERY = 4096;

    private final Keys keys;
    private final Ticker ticker;
    private final Cache<String, Timed> entries;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    // All guarded by lock. Keys are the full Redis-style keys, so a Lookup reads the same here.
    private final Map<String, Timed> stamps = new HashMap<>();
    private final Map<String, Set<String>> schemes = new HashMap<>();
    // wip key -> writer id -> the writer: its expiry, the table's schemes its lock read, what it locked.
    private final Map<String, Map<String, Writer>> wip = new HashMap<>();
    /** Writers released per table ({@code <wip key> <writer>}), until the lock TTL: see {@link Store#invalidate}. */
    private final Map<String, Long> released = new HashMap<>();
    private final Map<String, Timed> recorded = new HashMap<>();
    private final Map<String, Timed> locks = new HashMap<>();
    private int writesSinceSweep;
    private volatile boolean closed;

    private LocalStore(Builder b) {
        this.keys = b.keys;
        this.ticker = b.ticker;
        this.entries = Caffeine.newBuilder()
                .ticker(ticker)
                // Maintenance on the calling thread: no background pool, deterministic under a test clock.
                .executor(Runnable::run)
                .maximumWeight(b.maximumWeight)
                .weigher((String k, Timed v) -> k.length() + v.value.length)
                .expireAfter(new Expiry<String, Timed>() {
                    @Override
                    public long expireAfterCreate(String key, Timed v, long now) {
                        return Math.max(0, v.expiresAt - now);
                    }

                    @Override
                    public long expireAfterUpdate(String key, Timed v, long now, long currentDuration) {
                        return Math.max(0, v.expiresAt - now);
                    }

                    @Override
                    public long expireAfterRead(String key, Timed v, long now, long currentDuration) {
                        return currentDuration;
                    }
                })
                .build();
    }

    /** A store with the default settings: prefix {@code cacheops:}, 64 MB of entries, system time. */
    public static LocalStore create() {
        return builder().build();
    }

    /** Starts building a store; see {@link Builder} for the settings and their defaults. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Fetched fetch(Lookup lookup, String stampBase, long stampTtlMillis) {
        // Hit path: everything exists, nothing to write, the read lock suffices.
        lock.readLock().lock();
        try {
            Fetched f = fetchLocked(lookup, null, 0);
            if (f != null) {
                return f;
            }
        } finally {
            lock.readLock().unlock();
        }
        lock.writeLock().lock();
        try {
            return fetchLocked(lookup, stampBase, stampTtlMillis);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** With {@code stampBase == null}: returns null instead of creating a stamp. */
    private Fetched fetchLocked(Lookup lookup, String stampBase, long stampTtlMillis) {
        open();
        long now = ticker.read();
        List<String> keys = lookup.stampKeys();
        byte[][] values = new byte[keys.size()][];
        boolean created = false;
        boolean locked = false;
        for (int i = 0; i < values.length; i++) {
            Timed s = live(stamps, keys.get(i), now);
            if (s == null) {
                if (stampBase == null) {
                    return null;
                }
                s = new Timed(bytes(stampBase + ":" + (i + 1)), now + nanos(stampTtlMillis));
                stamps.put(keys.get(i), s);
                created = true;
            } else if (Arrays.equals(s.value, LOCKED)) {
                locked = true;
            }
            values[i] = s.value.clone();
        }
        if (created) {
            for (Lookup.SchemeRef ref : lookup.schemes()) {
                schemes.computeIfAbsent(ref.schemesKey(), k -> new HashSet<>()).add(ref.scheme());
            }
            maybeSweep(now);
        }
        byte[] entry = null;
        if (!created && !locked) {
            Timed e = entries.getIfPresent(lookup.entryKey());
            entry = e == null ? null : e.value.clone();
        }
        return new Fetched(entry, Collections.unmodifiableList(Arrays.asList(values)), locked);
    }

    /**
     * {@inheritDoc} Runs synchronously; the stage is already complete.
     *
     * @throws IllegalArgumentException when {@code expected} and the stamps differ in number
     */
    @Override
    public CompletionStage<Boolean> put(Lookup lookup, List<byte[]> expected, byte[] value,
                                        long ttlMillis, long stampTtlMillis) {
        return put(lookup, expected, value, ttlMillis, stampTtlMillis, null);
    }

    /** {@inheritDoc} Runs synchronously; the stage is already complete. */
    @Override
    public CompletionStage<Boolean> putRecorded(Lookup lookup, List<byte[]> expected, byte[] value,
                                                long ttlMillis, long stampTtlMillis, String depsKey) {
        return put(lookup, expected, value, ttlMillis, stampTtlMillis, depsKey);
    }

    private CompletionStage<Boolean> put(Lookup lookup, List<byte[]> expected, byte[] value,
                                         long ttlMillis, long stampTtlMillis, String depsKey) {
        lookup.checkStampValues(expected);
        lock.writeLock().lock();
        try {
            if (closed) {
                return CompletableFuture.failedFuture(new StoreException("the local store is closed"));
            }
            long now = ticker.read();
            List<String> keys = lookup.stampKeys();
            Timed[] current = checked(lookup, expected, now);
            if (current == null) {
                return CompletableFuture.completedFuture(false);
            }
            entries.put(lookup.entryKey(), new Timed(value.clone(), now + nanos(ttlMillis)));
            if (depsKey != null) {
                recorded.put(depsKey, new Timed(bytes(String.join("\n", keys)), now + nanos(ttlMillis)));
            }
            long stampExpiry = now + nanos(stampTtlMillis);
            for (int i = 0; i < current.length; i++) {
                if (current[i].expiresAt - stampExpiry < 0) {
                    stamps.put(keys.get(i), new Timed(current[i].value, stampExpiry));
                }
            }
            return CompletableFuture.completedFuture(true);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * The stamps of {@code lookup} when they all hold {@code expected} and no live writer may change
     * its result (the checks of {@link #put}); else null. Under the write lock.
     */
    private Timed[] checked(Lookup lookup, List<byte[]> expected, long now) {
        List<String> keys = lookup.stampKeys();
        Timed[] current = new Timed[keys.size()];
        for (int i = 0; i < current.length; i++) {
            current[i] = live(stamps, keys.get(i), now);
            if (current[i] == null || Arrays.equals(current[i].value, LOCKED)
                    || !Arrays.equals(current[i].value, expected.get(i))) {
                return null;
            }
        }
        for (String w : lookup.wipKeys()) {
            Map<String, Writer> writers = wip.get(w);
            if (writers != null) {
                List<WriterRecord> live = new ArrayList<>(writers.size());
                for (Writer writer : writers.values()) {
                    if (writer.expiresAt - now > 0) {
                        live.add(writer.record);
                    }
                }
                if (!WriterRecord.harmless(this.keys, lookup, w, live.size(), live)) {
                    return null;
                }
            }
        }
        return current;
    }

    @Override
    public boolean storesDerived() {
        return true;
    }

    /** {@inheritDoc} Runs synchronously, all of it under one lock; the stage is already complete. */
    @Override
    public CompletionStage<Integer> putDerived(Lookup source, List<byte[]> expected, List<Derived> derived,
                                               long ttlMillis, long stampTtlMillis) {
        source.checkStampValues(expected);
        lock.writeLock().lock();
        try {
            if (closed) {
                return CompletableFuture.failedFuture(new StoreException("the local store is closed"));
            }
            List<Fetched> fetched = new ArrayList<>(derived.size());
            for (Derived d : derived) {
                fetched.add(fetchLocked(d.lookup(), d.stampBase(), stampTtlMillis));
            }
            long now = ticker.read();
            if (checked(source, expected, now) == null) {
                return CompletableFuture.completedFuture(0);
            }
            int stored = 0;
            for (int i = 0; i < derived.size(); i++) {
                if (!fetched.get(i).locked()) {
                    byte[] value = derived.get(i).value().apply(fetched.get(i).stamps());
                    entries.put(derived.get(i).lookup().entryKey(), new Timed(value, now + nanos(ttlMillis)));
                    stored++;
                }
            }
            return CompletableFuture.completedFuture(stored);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public Recorded fetchRecorded(String entryKey, String depsKey) {
        lock.readLock().lock();
        try {
            open();
            long now = ticker.read();
            Timed deps = live(recorded, depsKey, now);
            if (deps == null) {
                return new Recorded(null, List.of(), List.of());
            }
            List<String> keys = List.of(new String(deps.value, StandardCharsets.UTF_8).split("\n"));
            List<byte[]> values = new ArrayList<>(keys.size());
            boolean valid = true;
            for (String k : keys) {
                Timed s = live(stamps, k, now);
                if (s == null || Arrays.equals(s.value, LOCKED)) {
                    valid = false;
                    values.add(new byte[0]);
                } else {
                    values.add(s.value.clone());
                }
            }
            Timed e = valid ? entries.getIfPresent(entryKey) : null;
            return new Recorded(e == null ? null : e.value.clone(), keys, Collections.unmodifiableList(values));
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void delete(String... keys) {
        lock.writeLock().lock();
        try {
            open();
            for (String k : keys) {
                entries.invalidate(k);
                recorded.remove(k);
                stamps.remove(k);
                locks.remove(k);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public boolean tryLock(String key, String owner, long ttlMillis) {
        lock.writeLock().lock();
        try {
            open();
            long now = ticker.read();
            if (live(locks, key, now) != null) {
                return false;
            }
            locks.put(key, new Timed(bytes(owner), now + nanos(ttlMillis)));
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void unlock(String key, String owner) {
        lock.writeLock().lock();
        try {
            open();
            Timed t = locks.get(key);
            if (t != null && Arrays.equals(t.value, bytes(owner))) {
                locks.remove(key);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void invalidate(Collection<TableInvalidation> tables, Phase phase, String writerId, long lockTtlMillis) {
        lock.writeLock().lock();
        try {
            open();
            long now = ticker.read();
            long lockExpiry = now + nanos(lockTtlMillis);
            for (TableInvalidation t : tables) {
                Set<String> registered = schemes.getOrDefault(keys.schemes(t.table()), Set.of());
                Set<String> affected = AffectedKeys.of(keys, t, registered);
                String wipKey = keys.wip(t.table());
                String releasedKey = wipKey + ' ' + writerId;
                if (phase == Phase.LOCK) {
                    Long releasedUntil = released.remove(releasedKey);
                    if (releasedUntil != null && releasedUntil - now > 0) {
                        continue;
                    }
                    for (String k : affected) {
                        stamps.put(k, new Timed(LOCKED, lockExpiry));
                    }
                    wip.computeIfAbsent(wipKey, k -> new HashMap<>())
                            .put(writerId, new Writer(lockExpiry, new WriterRecord(Set.copyOf(registered), affected)));
                } else {
                    stamps.keySet().removeAll(affected);
                    removeWriter(wipKey, writerId, now);
                    released.put(releasedKey, lockExpiry);
                }
            }
            maybeSweep(now);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void abandon(Collection<String> tables, String writerId) {
        lock.writeLock().lock();
        try {
            open();
            long now = ticker.read();
            for (String t : tables) {
                removeWriter(keys.wip(t), writerId, now);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public Set<String> schemes(String table) {
        lock.readLock().lock();
        try {
            open();
            return Set.copyOf(schemes.getOrDefault(keys.schemes(table), Set.of()));
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void invalidateAll() {
        lock.writeLock().lock();
        try {
            open();
            stamps.remove(keys.epoch());
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void ping() {
        open();
    }

    /** Drops everything; later calls throw {@link StoreException}. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            closed = true;
            entries.invalidateAll();
            stamps.clear();
            recorded.clear();
            locks.clear();
            schemes.clear();
            wip.clear();
            released.clear();
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void open() {
        if (closed) {
            throw new StoreException("the local store is closed");
        }
    }

    private void removeWriter(String wipKey, String writerId, long now) {
        Map<String, Writer> writers = wip.get(wipKey);
        if (writers != null) {
            writers.remove(writerId);
            writers.values().removeIf(w -> w.expiresAt - now <= 0);
            if (writers.isEmpty()) {
                wip.remove(wipKey);
            }
        }
    }

    /** The stamp if it exists and has not expired (an expired one is left for the sweep). */
    private static Timed live(Map<String, Timed> map, String key, long now) {
        Timed t = map.get(key);
        return t == null || t.expiresAt - now <= 0 ? null : t;
    }

    /**
     * Expired stamps are ignored when read; this reclaims their memory now and then. A sweep
     * visits every stamp, so it runs only after a number of writes proportional to their count:
     * a fixed interval made each invalidation cost grow with the number of live entries (3 x
     * slower at a million, in the invalidation benchmark); this way a write pays for a constant
     * number of visits.
     */
    private void maybeSweep(long now) {
        if (++writesSinceSweep < Math.max(SWEEP_EVERY, stamps.size() / 4)) {
            return;
        }
        writesSinceSweep = 0;
        stamps.values().removeIf(t -> t.expiresAt - now <= 0);
        recorded.values().removeIf(t -> t.expiresAt - now <= 0);
        locks.values().removeIf(t -> t.expiresAt - now <= 0);
        for (Map<String, Writer> writers : wip.values()) {
            writers.values().removeIf(w -> w.expiresAt - now <= 0);
        }
        wip.values().removeIf(Map::isEmpty);
        released.values().removeIf(expiresAt -> expiresAt - now <= 0);
    }

    private static long nanos(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A value with its expiry on the ticker's time line (nanoseconds). */
    private record Timed(byte[] value, long expiresAt) { }

    /** A write in progress: its lock's expiry, the table's schemes it read and the stamps it locked. */
    private record Writer(long expiresAt, WriterRecord record) { }

    /** Settings of a {@link LocalStore}; validated by {@link #build()}. Not thread-safe. */
    public static final class Builder {
        private Keys keys = new Keys("cacheops");
        private long maximumWeight = 64L << 20;
        private Ticker ticker = Ticker.systemTicker();

        private Builder() {
        }

        /** The key schema (prefix); default prefix {@code cacheops:}. */
        public Builder keys(Keys keys) {
            this.keys = Objects.requireNonNull(keys, "keys");
            return this;
        }

        /** The most bytes of entries (keys and values) kept; default 64 MB. Stamps are not counted. */
        public Builder maximumWeight(long bytes) {
            this.maximumWeight = bytes;
            return this;
        }

        /** The clock of every TTL, in nanoseconds; default {@link Ticker#systemTicker()}. */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /** @throws IllegalArgumentException naming the setting when one is invalid */
        public LocalStore build() {
            if (maximumWeight <= 0) {
                throw new IllegalArgumentException("maximumWeight must be positive, was " + maximumWeight);
            }
            return new LocalStore(this);
        }
    }
}
