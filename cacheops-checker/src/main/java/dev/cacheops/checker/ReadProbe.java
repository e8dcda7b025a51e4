package dev.cacheops.checker;

import dev.cacheops.CacheopsListener;
import dev.cacheops.PassReason;

/**
 * Listens to the cache's events to tell, for the read just made, whether it was a hit, a miss or
 * a pass-through (the listener is called synchronously on the reading thread). Single-threaded.
 */
final class ReadProbe implements CacheopsListener {
    /** What happened to one read. */
    enum Kind { HIT, MISS, PASS, UNKNOWN }

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

    @Override
    public void passedThrough(String sql, PassReason reason) {
        last = Kind.PASS;
        lastReason = reason;
    }
}
