package dev.cacheops.spring.boot;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The first table named after {@code FROM} in a statement, for tagging pass-throughs, whose
 * listener event carries the SQL but no table. Best effort by design: a full parse on every
 * pass-through would cost more than the meter is worth; subqueries and functions give
 * {@code unknown}. Tables in different schemas with the same name share one name here.
 * Thread-safe.
 */
final class ReadTables {
    private static final Pattern FROM = Pattern.compile("(?is)\\bfrom\\s+\"?([a-z_][a-z0-9_$]*)\"?(?:\\s*\\.\\s*\"?([a-z_][a-z0-9_$]*)\"?)?");

    private ReadTables() {
    }

    /**
     * The bare, lower-case name of a table the engine names canonically ({@code schema.table}):
     * the tag value of the meters and the key of the endpoint's counters, the same whether the
     * event carried the table or the SQL.
     */
    static String bare(String table) {
        if (table == null) {
            return "unknown";
        }
        int dot = table.lastIndexOf('.');
        return (dot < 0 ? table : table.substring(dot + 1)).replace("\"", "").toLowerCase(Locale.ROOT);
    }

    /** The bare, lower-case table name, or {@code unknown}. */
    static String of(String sql) {
        if (sql == null) {
            return "unknown";
        }
        Matcher m = FROM.matcher(sql);
        if (!m.find()) {
            return "unknown";
        }
        String table = m.group(2) != null ? m.group(2) : m.group(1);
        return table.toLowerCase(Locale.ROOT);
    }
}
