package dev.cacheops.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which stamps a write to one table invalidates, given the table's schemes: the Java twin of the
 * key computation in {@code lua/invalidate.lua}, used by {@link LocalStore}. Both must stay in
 * step; the contract suite runs the same cases against both.
 */
final class AffectedKeys {
    private AffectedKeys() {
    }

    /**
     * @return the affected stamp keys, without duplicates: for a whole-table write every scheme
     *         version; otherwise per row and scheme the conjunction when the row has all of the
     *         scheme's columns, else the scheme version (an unknown value is never guessed). A
     *         scheme the write does not {@linkplain TableInvalidation#affects affect} (its column
     *         set and condition columns are disjoint from the changed columns) is skipped.
     */
    static Set<String> of(Keys keys, TableInvalidation write, Collection<String> registered) {
        Set<String> out = new LinkedHashSet<>();
        List<String> schemes = new ArrayList<>(registered.size());
        for (String s : registered) {
            if (write.affects(s)) {
                schemes.add(s);
            }
        }
        String table = write.table();
        if (write.wholeTable()) {
            for (String s : schemes) {
                out.add(keys.schemeVersion(table, s));
            }
            return out;
        }
        List<List<String>> schemeColumns = new ArrayList<>(schemes.size());
        for (String s : schemes) {
            schemeColumns.add(columns(s));
        }
        for (Map<String, String> row : write.rows()) {
            int i = 0;
            for (String s : schemes) {
                List<String> cols = schemeColumns.get(i++);
                List<String> values = new ArrayList<>(cols.size());
                for (String col : cols) {
                    String v = row.get(col);
                    if (v == null) {
                        break;
                    }
                    values.add(v);
                }
                out.add(values.size() == cols.size() ? conj(keys, table, cols, values, s) : keys.schemeVersion(table, s));
            }
        }
        return out;
    }

    /** The conjunction key of a row under a scheme: with the scheme's column set, if it has one. */
    private static String conj(Keys keys, String table, List<String> cols, List<String> values, String scheme) {
        String conj = keys.conj(table, cols, values);
        int colon = scheme.indexOf(':');
        return colon < 0 ? conj : conj + scheme.substring(colon);
    }

    /**
     * The condition columns of a scheme (before its column set, if any); like Lua's
     * {@code gmatch('[^,]+')}, empty segments are skipped.
     */
    private static List<String> columns(String scheme) {
        List<String> cols = new ArrayList<>();
        int colon = scheme.indexOf(':');
        for (String c : (colon < 0 ? scheme : scheme.substring(0, colon)).split(",")) {
            if (!c.isEmpty()) {
                cols.add(c);
            }
        }
        return cols;
    }
}
