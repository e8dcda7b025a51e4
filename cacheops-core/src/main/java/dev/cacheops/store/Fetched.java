package dev.cacheops.store;

import java.util.List;

/**
 * The answer to {@link Store#fetch}: the entry (if it may be valid) and the current value of every
 * stamp, in {@link Lookup#stampKeys()} order.
 *
 * @param entry  the stored bytes, or {@code null} when absent, when a stamp had to be created, or
 *               when a stamp is locked (in all three cases the entry cannot be valid)
 * @param stamps the stamp values after the call; never null elements
 * @param locked true when some stamp holds {@link Store#LOCKED}: a writer is committing, so the
 *               caller must read the database and must not store
 * @param quiet  what the fetch also saw after reading the stamps, letting a store of the result
 *               skip its own checks ({@link Store#putQuiet}); null when it did not look, or saw a
 *               write in progress
 */
public record Fetched(byte[] entry, List<byte[]> stamps, boolean locked, Quiet quiet) {

    /** An answer of a fetch that looked no further than the stamps. */
    public Fetched(byte[] entry, List<byte[]> stamps, boolean locked) {
        this(entry, stamps, locked, null);
    }

    /**
     * Read in the same transaction as the stamps, after them: no write in progress on a table of
     * the lookup could change its result (every writer in a {@link Keys#wip} set knew the lookup's
     * schemes and locked none of its stamps, usually none at all), and how long each stamp had
     * left to live.
     *
     * @param stampTtls per stamp, in {@link Lookup#stampKeys()} order, its remaining time to live
     *                  in milliseconds as {@code PTTL} answers it (-1: no expiry); not copied, so
     *                  not to be changed
     */
    public record Quiet(long[] stampTtls) { }
}
