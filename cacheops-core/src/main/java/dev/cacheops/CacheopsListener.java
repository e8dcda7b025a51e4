package dev.cacheops;

/**
 * Receives cache events, the way django-cacheops sends its {@code cache_read} and
 * {@code cache_invalidated} signals. Methods are called synchronously on the thread that caused
 * the event, so they must be quick; an exception thrown by a listener is logged and otherwise
 * ignored. All methods have empty defaults.
 */
public interface CacheopsListener {

    /**
     * A cacheable read was looked up.
     *
     * @param sql   the statement
     * @param table the table whose profile applied (the first table of the outermost FROM)
     * @param hit   whether it was served from the cache
     */
    default void cacheRead(String sql, String table, boolean hit) {
    }

    /**
     * Cached results were invalidated after a write (or by the manual API).
     *
     * @param table      the canonical table name
     * @param wholeTable true when every result reading the table was invalidated
     * @param rowImages  how many row images decided a granular invalidation (0 when whole)
     */
    default void invalidated(String table, boolean wholeTable, int rowImages) {
    }

    /** A read went to the database without the cache. */
    default void passedThrough(String sql, PassReason reason) {
    }

    /**
     * A call to the store has finished, successfully or not. Called on the calling thread for
     * the calls it waits for, and on the store's I/O thread for asynchronous ones, so it must be
     * quicker still than the other methods.
     *
     * @param operation {@code fetch} (a read's lookup, which the reader waits for), {@code put}
     *                  (a result stored after a miss, asynchronous), {@code lock} (the strict
     *                  pre-commit lock) or {@code invalidate} (the invalidation after a commit or
     *                  by the API)
     * @param nanos     from the call to its completion
     * @param failed    whether it failed (then also counted in {@link CacheStats#storeErrors()})
     */
    default void storeCalled(String operation, long nanos, boolean failed) {
    }
}
