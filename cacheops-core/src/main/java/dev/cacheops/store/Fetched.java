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
 */
public record Fetched(byte[] entry, List<byte[]> stamps, boolean locked) { }
