package dev.cacheops.store;

import java.util.List;

/**
 * Told by a {@link KeyWatch} which store keys changed. Called on the watch's own thread, one call
 * at a time and in the order the store reported the changes; implementations must be quick.
 */
public interface KeyChanges {

    /**
     * From now on every change of a watched key is reported. Called after every (re)connect once
     * the store has confirmed the watch, so changes made while nobody listened must be assumed.
     */
    void watching();

    /** These keys were modified, deleted, expired or evicted since the last call. */
    void changed(List<String> keys);

    /**
     * Changes may have been missed from now on (the connection was lost, the server flushed its
     * data, or the watch stopped): forget everything learned through it until {@link #watching()}.
     */
    void lost();
}
