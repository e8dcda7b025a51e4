package dev.cacheops.sql;

import java.util.Locale;
import net.sf.jsqlparser.schema.Table;

/** Normalises identifiers the SQL way: unquoted ones lower-cased, quoted ones kept exactly. */
final class Identifiers {
    private Identifiers() {
    }

    /** The identifier as the database would fold it, or {@code null} for {@code null}. */
    static String normalize(String identifier) {
        if (identifier == null) {
            return null;
        }
        String s = identifier.strip();
        if (s.length() >= 2) {
            char first = s.charAt(0);
            char last = s.charAt(s.length() - 1);
            if (first == '"' && last == '"') {
                return s.substring(1, s.length() - 1).replace("\"\"", "\"");
            }
            if (first == '`' && last == '`') {
                return s.substring(1, s.length() - 1).replace("``", "`");
            }
            if (first == '[' && last == ']') {
                return s.substring(1, s.length() - 1);
            }
        }
        return s.toLowerCase(Locale.ROOT);
    }

    /** True when the identifier was written in quotes (so it is not a keyword or function). */
    static boolean isQuoted(String identifier) {
        return identifier != null && !identifier.isEmpty()
                && (identifier.charAt(0) == '"' || identifier.charAt(0) == '`' || identifier.charAt(0) == '[');
    }

    /** The table as named in the statement; the schema keeps a catalog prefix if one was written. */
    static TableName tableName(Table table) {
        String schema = normalize(table.getSchemaName());
        String catalog = normalize(table.getDatabaseName());
        if (catalog != null && !catalog.isEmpty()) {
            schema = schema == null || schema.isEmpty() ? catalog + "." : catalog + "." + schema;
        }
        if (schema != null && schema.isEmpty()) {
            schema = null;
        }
        return new TableName(schema, normalize(table.getName()));
    }
}
