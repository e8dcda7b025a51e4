package dev.cacheops.sql;

import java.util.Objects;

/**
 * A table as named in a statement, with identifiers normalised the SQL way: unquoted identifiers
 * lower-cased, quoted ones kept exactly (without the quotes). The engine resolves it against the
 * catalog (search path, the database's own case folding) before it becomes part of a key.
 *
 * @param schema the schema (or catalog.schema) qualifier, or {@code null} when unqualified
 * @param name   the table name
 */
public record TableName(String schema, String name) {
    public TableName {
        Objects.requireNonNull(name, "name");
    }

    /** An unqualified table name. */
    public static TableName of(String name) {
        return new TableName(null, name);
    }

    @Override
    public String toString() {
        return schema == null ? name : schema + "." + name;
    }
}
