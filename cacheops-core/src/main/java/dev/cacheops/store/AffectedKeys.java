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
     *         scheme's columns, else the scheme version (an unknown value is never guessed)
     */
    static Set<String> of(Keys keys, TableInvalidation write, Collection<String> schemes) {
        Set<String> out = new LinkedHashSet<>();
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
                out.add(values.size() == cols.size() ? keys.conj(table, cols, values) : keys.schemeVersion(table, s));
            }
        }
        return out;
    }

    /** The columns of a scheme; like Lua's {@code gmatch('[^,]+')}, empty segments are skipped. */
    private static List<String> columns(String scheme) {
        List<String> cols = new ArrayList<>();
        for (String c : scheme.split(",")) {
            if (!c.isEmpty()) {
                cols.add(c);
            }
        }
        return cols;
    }
}
