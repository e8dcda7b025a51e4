package dev.cacheops.spring.boot;

import dev.cacheops.CacheopsListener;
import dev.cacheops.PassReason;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards each event to several listeners in order; one that throws is logged and the others
 * still get the event. Immutable and thread-safe.
 */
final class CompositeListener implements CacheopsListener {
    private static final Logger LOG = LoggerFactory.getLogger(CompositeListener.class);

    private final List<CacheopsListener> listeners;

    CompositeListener(List<CacheopsListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    @Override
    public void cacheRead(String sql, String table, boolean hit) {
        each(l -> l.cacheRead(sql, table, hit));
    }

    @Override
    public void invalidated(String table, boolean wholeTable, int rowImages) {
        each(l -> l.invalidated(table, wholeTable, rowImages));
    }

    @Override
    public void passedThrough(String sql, PassReason reason) {
        each(l -> l.passedThrough(sql, reason));
    }

    @Override
    public void storeCalled(String operation, long nanos, boolean failed) {
        each(l -> l.storeCalled(operation, nanos, failed));
    }

    private void each(Consumer<CacheopsListener> event) {
        for (CacheopsListener l : listeners) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                LOG.warn("cacheops listener {} failed", l.getClass().getName(), e);
            }
        }
    }
}
