package dev.cacheops.protocol;

/**
 * When a memoised lookup was last fetched, in this JVM's invalidation sequence: kept beside the
 * lookup by its memo and handed to {@link StampProtocol#fetch(dev.cacheops.store.Lookup, long, LastFetch)},
 * which reads and advances it. It decides only which of two always-correct reads the store makes
 * (DESIGN §3, "Own invalidations"), so its updates need no ordering: a lost or raced update costs
 * at most one round trip.
 *
 * <p>Thread-safe (a plain volatile field).
 */
public final class LastFetch {
    /** Never fetched: its stamps may not exist yet. */
    static final long NEVER = Long.MIN_VALUE;

    private volatile long sequence = NEVER;

    /** A lookup not fetched yet. */
    public LastFetch() {
    }

    /** Whether it was fetched before (then its stamps likely exist, bar invalidations). */
    public boolean seen() {
        return sequence != NEVER;
    }

    long sequence() {
        return sequence;
    }

    void fetchedAt(long s) {
        sequence = s;
    }
}
