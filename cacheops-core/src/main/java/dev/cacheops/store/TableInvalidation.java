package dev.cacheops.store;

import java.util.List;
import java.util.Map;

/**
 * What a write did to one table, for invalidation.
 *
 * @param table      the escaped canonical table name
 * @param wholeTable true to invalidate every scheme of the table (row images unknown)
 * @param rows       the old and new images of the written rows: escaped column to escaped
 *                   canonical value. A scheme whose columns are not all present in an image is
 *                   invalidated as a whole for that image (its {@code sv} stamp), never guessed.
 */
public record TableInvalidation(String table, boolean wholeTable, List<Map<String, String>> rows) {
    public TableInvalidation {
        rows = List.copyOf(rows);
    }

    /** Invalidate every cached result that reads {@code table}. */
    public static TableInvalidation wholeTable(String table) {
        return new TableInvalidation(table, true, List.of());
    }
}
