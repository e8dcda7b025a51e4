package dev.cacheops.protocol;

import dev.cacheops.store.Lookup;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The stamps this JVM has invalidated lately, numbered by a sequence, so that a lookup one of
 * whose stamps it deleted since the lookup's last fetch is fetched by the creating read at once,
 * instead of a plain {@code MGET} that would find the stamp missing and then the creating read
 * (DESIGN §3, "Own invalidations").
 *
 * <p>Only a hint: both reads are correct for every lookup (the creating one is the general
 * path), so a wrong answer either way costs a round trip, never a stale read. Hence it is bounded
 * crudely: past {@link #MAX_KEYS} recorded keys it forgets them all, and lookups touched before
 * that are fetched as if untouched (the two round trips of before). It sees only this JVM's own
 * invalidations; another instance's deletions keep costing the second round trip.
 *
 * <p>Thread-safe. The check on the hit path is a sequence comparison, and when something was
 * invalidated since, one hash lookup per table and per stamp key of the lookup; it allocates
 * nothing.
 */
final class InvalidationLog {
    /** About 100 bytes a key: some 10 MB at most. */
    static final int MAX_KEYS = 100_000;

    private final AtomicLong sequence = new AtomicLong();
    /** Stamp key -> the sequence of its last deletion by this JVM. */
    private final ConcurrentHashMap<String, Long> stamps = new ConcurrentHashMap<>();
    /** {@code wip} key of a table -> the sequence of its last whole-table invalidation. */
    private final ConcurrentHashMap<String, Long> tables = new ConcurrentHashMap<>();
    /** The sequence of the last deletion of the epoch. */
    private volatile long everything = LastFetch.NEVER;

    /** The current sequence: a fetch reads it before it is sent. */
    long sequence() {
        return sequence.get();
    }

    /** Records the deletion of these stamp keys. */
    void deleted(Collection<String> keys) {
        if (keys.isEmpty()) {
            return;
        }
        if (stamps.size() + keys.size() > MAX_KEYS) {
            stamps.clear();
        }
        Long s = sequence.incrementAndGet();
        for (String k : keys) {
            stamps.put(k, s);
        }
    }

    /** Records the deletion of every stamp of the table whose {@code wip} key is {@code wipKey}. */
    void wholeTable(String wipKey) {
        tables.put(wipKey, sequence.incrementAndGet());
    }

    /** Records the deletion of the epoch (every stamp then counts as deleted). */
    void everything() {
        everything = sequence.incrementAndGet();
    }

    /** Whether this JVM deleted a stamp of {@code lookup} after {@code since}. */
    boolean touchedSince(Lookup lookup, long since) {
        if (since >= sequence.get()) {
            return false;
        }
        if (everything > since) {
            return true;
        }
        if (!tables.isEmpty() && newer(tables, lookup.wipKeys(), since)) {
            return true;
        }
        return !stamps.isEmpty() && newer(stamps, lookup.stampKeys(), since);
    }

    private static boolean newer(ConcurrentHashMap<String, Long> map, List<String> keys, long since) {
        for (int i = 0, n = keys.size(); i < n; i++) {
            Long s = map.get(keys.get(i));
            if (s != null && s > since) {
                return true;
            }
        }
        return false;
    }
}
