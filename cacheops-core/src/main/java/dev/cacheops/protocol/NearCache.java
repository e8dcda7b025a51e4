package dev.cacheops.protocol;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.cacheops.store.KeyChanges;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Entries the store validated, kept in process beside the keys whose change makes them invalid
 * (their stamps), and dropped as soon as the store reports such a change (DESIGN §11). A near hit
 * does no I/O; it is as fresh as the last change report that arrived.
 *
 * <p>The race it must not lose: a reader validates an entry in the store, a writer then deletes
 * one of its stamps and the report of that is handled (finding nothing to drop), and only then
 * does the reader keep the entry, which nothing would ever drop. So every reader takes a
 * {@link #mark()} before it asks the store, and {@link #put} refuses the entry if a change of one
 * of its keys was reported after that mark, or if reports may have been missed since (a flush, or
 * too many changes to remember).
 *
 * <p>No lock: a report must never wait for a reader (a paused reader holding a lock delayed drops
 * by up to 94 ms under load). Instead each side writes first and reads second, on concurrent maps:
 * a put indexes the entry, stores it, then reads the report times of its keys; a report records
 * its keys' time, then reads the index and drops what it finds. Whichever comes second sees the
 * other's write, so either the report drops the entry or the put withdraws it.
 *
 * <p>Thread-safe.
 */
public final class NearCache implements KeyChanges {
    /** How many recently changed keys are remembered for {@link #put}'s check before a flush. */
    private static final int RECENT_LIMIT = 100_000;
    /** Bytes counted per entry beyond its payload, stamps and keys (objects, references, index). */
    private static final int OVERHEAD = 160;
    /**
     * The decoded form a caller may keep beside the payload ({@link Near#keepDecoded}), counted
     * per payload byte plus a fixed part: Java values of a result (strings, boxed numbers, row
     * arrays, column metadata) take several times their encoded size. Measured on the benchmark's
     * results (heap after GC, 20,000 copies): a 20-row page of 850 bytes held 4,365 bytes decoded,
     * a row of 362 bytes 1,544, a count of 55 bytes 423. Counted whether or not it is kept, since
     * a weight cannot change after the entry is stored.
     */
    private static final int DECODED_PER_PAYLOAD_BYTE = 5;
    private static final int DECODED_OVERHEAD = 200;

    private final Cache<String, Near> entries;
    /** Which entries each watched key invalidates; an entry is indexed before it can be hit. */
    private final ConcurrentHashMap<String, Set<Near>> byKey = new ConcurrentHashMap<>();
    /** Counts reports and flushes; a mark is a value of it. */
    private final AtomicLong sequence = new AtomicLong();
    /** Marks below this may have missed a report; written before {@link #recent} is cleared. */
    private volatile long floor;
    /** The sequence at which each recently changed key was reported. */
    private final ConcurrentHashMap<String, Long> recent = new ConcurrentHashMap<>();
    private volatile boolean watching;

    private final LongAdder hits = new LongAdder();
    private final LongAdder keysChanged = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder flushes = new LongAdder();

    /** @param maxBytes the bound of the payloads, stamps and keys kept, roughly in heap bytes */
    public NearCache(long maxBytes) {
        this.entries = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((String key, Near n) -> n.weight)
                .expireAfter(new Expiry<String, Near>() {
                    @Override
                    public long expireAfterCreate(String key, Near n, long now) {
                        return Math.max(0, n.expiresAtNanos - now);
                    }

                    @Override
                    public long expireAfterUpdate(String key, Near n, long now, long current) {
                        return Math.max(0, n.expiresAtNanos - now);
                    }

                    @Override
                    public long expireAfterRead(String key, Near n, long now, long current) {
                        return current;
                    }
                })
                // On the thread that removed it, so the index never names an entry long gone.
                .executor(Runnable::run)
                .removalListener((String key, Near n, RemovalCause cause) -> {
                    if (n != null) {
                        unindex(n);
                    }
                })
                .build();
    }

    /** A kept entry: what a hit returns. Identity matters: the index holds these objects. */
    public static final class Near {
        private final String key;
        private final List<String> stampKeys;
        private final List<String> watchKeys;
        private final List<byte[]> stamps;
        private final byte[] payload;
        private final long expiresAtNanos;
        private final int weight;
        /** The mark its validation started at: a copy validated later replaces it, never earlier. */
        private final long mark;
        /**
         * The payload decoded by a caller, so that later hits skip decoding (half of a near page
         * hit's CPU); null until the first. Must be immutable and thread-safe: every hit shares it.
         */
        private volatile Object decoded;

        private Near(String key, List<String> stampKeys, List<String> watchKeys, List<byte[]> stamps, byte[] payload,
                     long expiresAtNanos, long mark) {
            this.key = key;
            this.mark = mark;
            this.stampKeys = stampKeys;
            this.watchKeys = watchKeys;
            this.stamps = stamps;
            this.payload = payload;
            this.expiresAtNanos = expiresAtNanos;
            long w = OVERHEAD + DECODED_OVERHEAD + (long) payload.length * (1 + DECODED_PER_PAYLOAD_BYTE) + key.length();
            for (byte[] s : stamps) {
                w += s.length + 16;
            }
            for (String k : watchKeys) {
                w += k.length() + 48;
            }
            this.weight = (int) Math.min(Integer.MAX_VALUE, w);
        }

        /** The stamp keys the entry was validated with, in checksum order. */
        public List<String> stampKeys() {
            return stampKeys;
        }

        /** Their values at validation. */
        public List<byte[]> stamps() {
            return stamps;
        }

        /** The stored payload (without checksum and expiry); callers must not modify it. */
        public byte[] payload() {
            return payload;
        }

        /** What {@link #keepDecoded} was given, or null: the payload in the caller's form. */
        public Object decoded() {
            return decoded;
        }

        /**
         * Keeps the payload's decoded form for later hits of this copy. {@code value} must be
         * immutable and thread-safe (it is shared by every hit) and equal to decoding
         * {@link #payload()}; a race of two callers keeps either, both being equal.
         */
        public void keepDecoded(Object value) {
            decoded = value;
        }
    }

    /**
     * The position of the change reports, to take before asking the store for an entry that may
     * be {@link #put} afterwards; negative while changes are not being watched.
     */
    public long mark() {
        return watching ? sequence.get() : -1;
    }

    /** The kept entry of a key, or null; never while changes are not being watched. */
    public Near get(String entryKey) {
        if (!watching) {
            return null;
        }
        Near n = entries.getIfPresent(entryKey);
        if (n != null) {
            hits.increment();
        }
        return n;
    }

    /**
     * Keeps an entry the store has just validated, unless a key it depends on was reported changed
     * after {@code mark}, or reports may have been missed since.
     *
     * @param watchKeys        every key whose change invalidates the entry (its stamp keys, and for
     *                         a captured function the key its dependencies are recorded under)
     * @param expiresAtMillis  when the entry expires in the store (wall clock)
     * @param mark             {@link #mark()} taken before the store was asked
     * @return the copy kept, or null when refused (a copy kept may still be dropped at once)
     */
    public Near put(String entryKey, List<String> stampKeys, List<String> watchKeys, List<byte[]> stamps,
                    byte[] payload, long expiresAtMillis, long mark) {
        long ttlMillis = expiresAtMillis - System.currentTimeMillis();
        if (mark < 0 || ttlMillis <= 0) {
            return null;
        }
        if (refused(entryKey, watchKeys, mark)) {
            return null;
        }
        Near n = new Near(entryKey, stampKeys, watchKeys, stamps, payload,
                System.nanoTime() + ttlMillis * 1_000_000L, mark);
        // Indexed before it can be hit, so that a report from now on finds it.
        for (String k : watchKeys) {
            byKey.compute(k, (key, set) -> {
                Set<Near> s = set != null ? set : ConcurrentHashMap.newKeySet();
                s.add(n);
                return s;
            });
        }
        // Two readers may keep the same entry: the one whose validation started later wins, so
        // that a thread that saw the newer result never finds the older one here afterwards.
        Near kept = entries.asMap().compute(entryKey, (k, current) -> current != null && current.mark > mark ? current : n);
        if (kept != n) {
            unindex(n);
            return null;
        }
        // A report handled between the check above and the index missed it: withdraw it.
        if (refused(entryKey, watchKeys, mark)) {
            entries.asMap().remove(entryKey, n);
            unindex(n);
            return null;
        }
        return n;
    }

    /**
     * Whether a copy validated from {@code mark} on must not be kept: not watching, reports
     * possibly missed since, or a change reported since of one of its keys or of the entry itself
     * ({@link #remove}).
     */
    private boolean refused(String entryKey, List<String> watchKeys, long mark) {
        if (!watching || mark < floor) {
            return true;
        }
        Long removedAt = recent.get(entryKey);
        return (removedAt != null && removedAt > mark) || changedSince(watchKeys, mark);
    }

    private boolean changedSince(List<String> keys, long mark) {
        for (String k : keys) {
            Long changedAt = recent.get(k);
            if (changedAt != null && changedAt > mark) {
                return true;
            }
        }
        return false;
    }

    /** Forgets the entry of a key (it is being replaced in the store). */
    public void remove(String entryKey) {
        // Remembered like a reported change of the entry's own key: a reader that validated it
        // before this (its answer still on the way) must not keep it afterwards.
        long s = sequence.incrementAndGet();
        recent.merge(entryKey, s, Math::max); // two removers may write in either order
        entries.invalidate(entryKey);
    }

    /** Forgets everything kept so far; reports keep being watched. */
    public void flush() {
        floor = sequence.incrementAndGet();
        recent.clear();
        flushes.increment();
        entries.invalidateAll();
    }

    @Override
    public void watching() {
        flush();
        watching = true;
    }

    @Override
    public void lost() {
        watching = false;
        flush();
    }

    /** Called by one thread at a time (the watch's), never waiting for readers. */
    @Override
    public void changed(List<String> keys) {
        long s = sequence.incrementAndGet();
        keysChanged.add(keys.size());
        for (String k : keys) {
            recent.put(k, s);
        }
        if (recent.size() > RECENT_LIMIT) {
            // Remembering fewer only means refusing more puts under way; the floor first, so
            // that a put that no longer finds its key here finds the floor raised.
            floor = s;
            recent.clear();
        }
        for (String k : keys) {
            Set<Near> affected = byKey.get(k);
            if (affected == null) {
                continue;
            }
            for (Near n : affected) {
                // Only copies validated before this report: one validated after it (a reader that
                // indexed it while this report was being handled) is fresh and must stay indexed,
                // or the next report of the key would not find it.
                if (n.mark < s) {
                    if (entries.asMap().remove(n.key, n)) {
                        dropped.increment();
                    }
                    // Not in the map yet (its put is under way): unindexed here, withdrawn by the put.
                    unindex(n);
                }
            }
        }
    }

    private void unindex(Near n) {
        for (String k : n.watchKeys) {
            byKey.computeIfPresent(k, (key, set) -> {
                set.remove(n);
                return set.isEmpty() ? null : set;
            });
        }
    }

    /** Whether changes are being watched (hits are served only then). */
    public boolean isWatching() {
        return watching;
    }

    /** Hits served so far. */
    public long hits() {
        return hits.sum();
    }

    /** Entries kept now (approximate). */
    public long size() {
        return entries.estimatedSize();
    }

    /** The weight of the entries kept now, in the units of the bound. */
    public long weight() {
        return entries.policy().eviction().map(e -> e.weightedSize().orElse(0L)).orElse(0L);
    }

    /** Changed keys reported so far. */
    public long keysChanged() {
        return keysChanged.sum();
    }

    /** Entries dropped because a key they depend on changed. */
    public long dropped() {
        return dropped.sum();
    }

    /** Flushes so far (each connect, disconnect, server flush, or lost invalidation). */
    public long flushes() {
        return flushes.sum();
    }
}
