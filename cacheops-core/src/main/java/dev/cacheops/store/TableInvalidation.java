package dev.cacheops.store;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a write did to one table, for invalidation.
 *
 * @param table      the escaped canonical table name
 * @param wholeTable true to invalidate every scheme of the table (row images unknown)
 * @param rows       the old and new images of the written rows: escaped column to escaped
 *                   canonical value. A scheme whose columns are not all present in an image is
 *                   invalidated as a whole for that image (its {@code sv} stamp), never guessed.
 * @param changed    the escaped columns whose value the write may have changed in some row, or
 *                   {@code null} when any column may have changed (an insert, a delete, a trigger,
 *                   anything not known). A scheme with a column set (DESIGN §3, "Column sets")
 *                   that shares no column with it, its condition columns included, is not
 *                   affected: the write changed no value that any result under it depends on.
 */
public record TableInvalidation(String table, boolean wholeTable, List<Map<String, String>> rows,
                                Set<String> changed) {
    public TableInvalidation {
        rows = List.copyOf(rows);
        changed = changed == null ? null : Set.copyOf(changed);
    }

    /** A write that may have changed any column (every scheme affected, as before column sets). */
    public TableInvalidation(String table, boolean wholeTable, List<Map<String, String>> rows) {
        this(table, wholeTable, rows, null);
    }

    /** Invalidate every cached result that reads {@code table}. */
    public static TableInvalidation wholeTable(String table) {
        return new TableInvalidation(table, true, List.of());
    }

    /** This invalidation under another table name (the cluster store's hash-tagged form). */
    public TableInvalidation named(String name) {
        return new TableInvalidation(name, wholeTable, rows, changed);
    }

    /**
     * Whether this write can change a result under {@code scheme} (a member of the table's
     * schemes set): always for a scheme without a column set and for a write whose changed
     * columns are unknown; else only when a changed column is among the scheme's condition
     * columns or its column set.
     */
    public boolean affects(String scheme) {
        if (changed == null) {
            return true;
        }
        int colon = scheme.indexOf(':');
        if (colon < 0) {
            return true;
        }
        for (String c : scheme.split("[,:]")) {
            if (!c.isEmpty() && changed.contains(c)) {
                return true;
            }
        }
        return false;
    }
}
