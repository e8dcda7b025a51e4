package dev.cacheops.engine;

import dev.cacheops.protocol.ValueKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the catalog says about one table: its canonical name, columns with their value kinds,
 * keys, and the foreign keys that make a write to it a write to other tables. Immutable.
 *
 * @param schema     the schema (or catalog, for databases without schemas) as the catalog stores it
 * @param name       the table name as the catalog stores it
 * @param type       the catalog's table type ({@code TABLE}, {@code VIEW}, ...)
 * @param columns    columns in table order, keyed by their stored name
 * @param primaryKey stored names of the primary key columns, empty when there is none
 * @param uniqueKeys unique keys (the primary key included)
 * @param children   foreign keys in other tables that reference this one with a cascading action
 * @param triggers   whether a write to it may run code that writes other tables (triggers or
 *                   rewrite rules; true when the catalog cannot tell), or has row-level security:
 *                   either way its writes' changed columns are unknown (DESIGN §4)
 */
record TableInfo(String schema, String name, String type, Map<String, Column> columns,
                 List<String> primaryKey, List<List<String>> uniqueKeys, List<ChildKey> children,
                 boolean triggers) {

    TableInfo {
        columns = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(columns));
        primaryKey = List.copyOf(primaryKey);
        uniqueKeys = uniqueKeys.stream().map(List::copyOf).toList();
        children = List.copyOf(children);
    }

    /** The name used in keys: {@code schema.table}, exactly as the catalog stores it. */
    String canonical() {
        return schema == null || schema.isEmpty() ? name : schema + "." + name;
    }

    /** Plain base tables are the only ones cached; views, temporary and system tables are not. */
    boolean cacheable() {
        String t = type == null ? "" : type.toUpperCase(Locale.ROOT);
        return t.equals("TABLE") || t.equals("BASE TABLE") || t.equals("PARTITIONED TABLE");
    }

    /** A view (or materialized view): a write through it writes tables the catalog does not name. */
    boolean view() {
        return type != null && type.toUpperCase(Locale.ROOT).contains("VIEW");
    }

    /**
     * Finds a column by the name the analysis uses (unquoted identifiers lower-cased): the exact
     * stored name first, then a case-insensitive match when it is unique.
     */
    Column column(String analysed) {
        Column c = columns.get(analysed);
        if (c != null) {
            return c;
        }
        Column found = null;
        for (Column x : columns.values()) {
            if (x.name().equalsIgnoreCase(analysed)) {
                if (found != null) {
                    return null;
                }
                found = x;
            }
        }
        return found;
    }

    /**
     * A column of the table.
     *
     * @param name          the stored name
     * @param kind          how its values compare
     * @param defaultValue  the canonical value of a constant default, {@link #NO_DEFAULT} when the
     *                      column has no default (an omitted column is then NULL), or {@code null}
     *                      when the default is an expression (unknown until read back)
     * @param generated     auto-increment / identity / generated column
     */
    record Column(String name, ValueKind kind, String defaultValue, boolean generated) {
        static final String NO_DEFAULT = "\u0001no default";
    }

    /**
     * A foreign key in {@code child} referencing this table with {@code ON DELETE} or
     * {@code ON UPDATE} actions that change the child's rows.
     *
     * @param child          the referencing table's canonical name
     * @param childColumns   its FK columns
     * @param parentColumns  the referenced columns of this table, in the same order
     * @param onDelete       the delete action ({@link java.sql.DatabaseMetaData#importedKeyCascade} etc.)
     * @param onUpdate       the update action
     */
    record ChildKey(String childSchema, String child, List<String> childColumns, List<String> parentColumns,
                    int onDelete, int onUpdate) {
        String childCanonical() {
            return childSchema == null || childSchema.isEmpty() ? child : childSchema + "." + child;
        }
    }
}
