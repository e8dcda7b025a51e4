package dev.cacheops.protocol;

import dev.cacheops.store.TableInvalidation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The invalidations a transaction has collected and not yet carried out (DESIGN §6). They are
 * handed to the protocol at commit and dropped at rollback; a rollback to a savepoint drops only
 * those collected after it. Not thread-safe: one per connection, like the transaction itself.
 */
public final class Ledger {
    private final List<TableInvalidation> items = new ArrayList<>();
    /** Savepoints in the order they were set, each with the ledger size at that moment. */
    private final LinkedHashMap<Object, Integer> marks = new LinkedHashMap<>();
    private final int bulkRows;

    /**
     * @param bulkRows above this many row images for one table, the table is invalidated whole
     */
    public Ledger(int bulkRows) {
        this.bulkRows = bulkRows;
    }

    public void add(TableInvalidation invalidation) {
        items.add(invalidation);
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }

    /** Remembers where a savepoint was set. */
    public void mark(Object savepoint) {
        marks.remove(savepoint);
        marks.put(savepoint, items.size());
    }

    /** Drops what was collected after the savepoint, and the savepoints set after it. */
    public void rollbackTo(Object savepoint) {
        Integer at = marks.get(savepoint);
        if (at == null) {
            return;
        }
        items.subList(at, items.size()).clear();
        boolean after = false;
        for (Iterator<Map.Entry<Object, Integer>> it = marks.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Object, Integer> e = it.next();
            if (after) {
                it.remove();
            }
            after |= e.getKey() == savepoint || e.getKey().equals(savepoint);
        }
    }

    /** Forgets a savepoint (and those set after it); what was collected stays. */
    public void release(Object savepoint) {
        if (!marks.containsKey(savepoint)) {
            return;
        }
        boolean from = false;
        for (Iterator<Map.Entry<Object, Integer>> it = marks.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Object, Integer> e = it.next();
            from |= e.getKey().equals(savepoint);
            if (from) {
                it.remove();
            }
        }
    }

    /**
     * Everything collected, merged per table (a whole-table invalidation absorbs row images; too
     * many row images become whole-table), and clears the ledger.
     */
    public List<TableInvalidation> drain() {
        Map<String, List<Map<String, String>>> rows = new LinkedHashMap<>();
        Map<String, Boolean> whole = new LinkedHashMap<>();
        // Changed columns united per table; a table with any write of unknown reach maps to null.
        Map<String, Set<String>> changed = new HashMap<>();
        for (TableInvalidation t : items) {
            boolean w = whole.getOrDefault(t.table(), false) || t.wholeTable();
            whole.put(t.table(), w);
            if (!changed.containsKey(t.table())) {
                changed.put(t.table(), t.changed() == null ? null : new HashSet<>(t.changed()));
            } else if (changed.get(t.table()) != null) {
                if (t.changed() == null) {
                    changed.put(t.table(), null);
                } else {
                    changed.get(t.table()).addAll(t.changed());
                }
            }
            List<Map<String, String>> r = rows.computeIfAbsent(t.table(), k -> new ArrayList<>());
            if (!w) {
                for (Map<String, String> image : t.rows()) {
                    if (!r.contains(image)) {
                        r.add(image);
                    }
                }
            }
        }
        List<TableInvalidation> out = new ArrayList<>(whole.size());
        whole.forEach((table, w) -> {
            List<Map<String, String>> r = rows.get(table);
            boolean asWhole = w || r.size() > bulkRows;
            out.add(new TableInvalidation(table, asWhole, asWhole ? List.of() : r, changed.get(table)));
        });
        clear();
        return out;
    }

    /** Drops everything (rollback). */
    public void clear() {
        items.clear();
        marks.clear();
    }
}
