package dev.cacheops;

/**
 * How close to a commit a cached read may be.
 *
 * <p>{@link #STRICT} (the default) guarantees that no read which starts after a write's commit has
 * returned is served a result older than that commit, at the price of one Redis round trip before
 * each writing commit. {@link #RELAXED} saves that round trip and allows a window of about one
 * Redis round trip after the commit during which another thread may still be served the old result.
 */
public enum Consistency {
    /** Lock the affected stamps before the commit; no stale read after the commit returns. */
    STRICT,
    /** Invalidate after the commit only; a window of about one Redis round trip. */
    RELAXED
}
