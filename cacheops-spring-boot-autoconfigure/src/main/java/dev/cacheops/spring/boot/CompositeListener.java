package dev.cacheops.spring.boot;

import dev.cacheops.CacheopsListener;
import dev.cacheops.PassReason;
import java.util.List;

/** Forwards each event to several listeners in order. Immutable and thread-safe. */
final class CompositeListener implements CacheopsListener {
    private final List<CacheopsListener> listeners;

    CompositeListener(List<CacheopsListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    @Override
    public void cacheRead(String sql, String table, boolean hit) {
        for (CacheopsListener l : listeners) {
            l.cacheRead(sql, table, hit);
        }
    }

    @Override
    public void invalidated(String table, boolean wholeTable, int rowImages) {
        for (CacheopsListener l : listeners) {
            l.invalidated(table, wholeTable, rowImages);
        }
    }

    @Override
    public void passedThrough(String sql, PassReason reason) {
        for (CacheopsListener l : listeners) {
            l.passedThrough(sql, reason);
        }
    }
}
