package dev.cacheops.store;

/**
 * A running watch on store keys ({@link Store#watch}): reports changes to a {@link KeyChanges}
 * until closed. Thread-safe.
 */
public interface KeyWatch extends AutoCloseable {

    /**
     * Returns once every change the store made before this call has been handed to the listener
     * (a round trip on the watch's own connection, whose answer the store sends after those
     * reports). Used by a writer so that its own reads after a commit see its invalidation.
     *
     * @throws StoreException when the watch is not connected or the store does not answer in time
     */
    void fence();

    /** Stops watching; the listener is told {@link KeyChanges#lost()}. */
    @Override
    void close();
}
