package dev.cacheops.checker;

import dev.cacheops.CacheopsListener;
import dev.cacheops.PassReason;
import java.util.ArrayList;
import java.util.List;

/**
 * Listens to the cache's events to tell, for the read just made, whether it was a hit, a miss or
 * a pass-through (the listener is called synchronously on the reading thread), and keeps the
 * invalidations the cache reported, in order. The read state is single-threaded; the
 * invalidations may be reported from the store client's thread once a release is answered.
 */
final class ReadProbe implements CacheopsListener {
    /** What happened to one read. */
    enum Kind { HIT, MISS, PASS, UNKNOWN }

    /**
     * One invalidation the cache reported.
     *
     * @param table  the canonical table name
     * @param whole  the whole table rather than rows
     * @param manual asked for by the checker itself ({@code invalidateTable}/{@code invalidateRow},
     *               as an application does for writes the cache does not see)
     */
    record Invalidation(String table, boolean whole, boolean manual) {
    }

    private final List<Invalidation> invalidations = new ArrayList<>();
    /** The thread inside a manual invalidation call, or null: its reports are manual ones. */
    private volatile Thread manualCaller;

    private Kind last = Kind.UNKNOWN;
    private PassReason lastReason;

    void reset() {
        last = Kind.UNKNOWN;
        lastReason = null;
    }

    Kind last() {
        return last;
    }

    PassReason lastReason() {
        return lastReason;
    }

    @Override
    public void cacheRead(String sql, String table, boolean hit) {
        last = hit ? Kind.HIT : Kind.MISS;
    }

    /** Marks the calling thread's invalidations as manual until {@link #manualDone()}. */
    void manualStart() {
        manualCaller = Thread.currentThread();
    }

    void manualDone() {
        manualCaller = null;
    }

    /** How many invalidations have been reported so far. */
    int invalidationCount() {
        synchronized (invalidations) {
            return invalidations.size();
        }
    }

    /** The invalidations reported since the count was {@code from}. */
    List<Invalidation> invalidationsSince(int from) {
        synchronized (invalidations) {
            return List.copyOf(invalidations.subList(Math.min(from, invalidations.size()), invalidations.size()));
        }
    }

    @Override
    public void invalidated(String table, boolean wholeTable, int rowImages) {
        Invalidation i = new Invalidation(table, wholeTable, Thread.currentThread() == manualCaller);
        synchronized (invalidations) {
            invalidations.add(i);
        }
    }

    @Override
    public void passedThrough(String sql, PassReason reason) {
        last = Kind.PASS;
        lastReason = reason;
    }
}
