package dev.cacheops.engine;

import dev.cacheops.sql.Analysis;
import dev.cacheops.store.Keys;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The columns an {@code UPDATE} may have changed (DESIGN §4, "Changed columns"), which decide the
 * schemes with column sets it leaves alone (§3, "Column sets"). Stateless; the methods return
 * {@code null} for "any column".
 */
final class ChangedColumns {
    private ChangedColumns() {
    }

    /**
     * The stored names of the columns an UPDATE of {@code target} assigns or the database may
     * change by itself, or null (any): with a trigger, rule or row-level security on the table,
     * more than one target, no readable assignment, or an assignment to a column the catalog does
     * not know. The database's own changes are its generated columns and expression defaults
     * (but for the primary key, which only an assignment or a cascade changes).
     */
    static Set<String> assigned(Analysis.Write write, TableInfo target) {
        if (write.kind() != Analysis.WriteKind.UPDATE || target == null || target.triggers()
                || write.tables().size() != 1 || write.assignments().isEmpty()) {
            return null;
        }
        Set<String> out = new LinkedHashSet<>();
        for (String a : write.assignments().keySet()) {
            TableInfo.Column col = target.column(a);
            if (col == null) {
                return null;
            }
            out.add(col.name());
        }
        for (TableInfo.Column c : target.columns().values()) {
            if (recomputed(target, c)) {
                out.add(c.name());
            }
        }
        return out;
    }

    /**
     * Whether the database may give {@code c} a new value by itself when it updates a row of
     * {@code target}: a generated column ({@code GENERATED ... STORED}) or one with an expression
     * default (MariaDB's {@code ON UPDATE CURRENT_TIMESTAMP}), but never the primary key, which
     * only an assignment or a cascade changes. Neither the old row nor the assignments give its
     * new value.
     */
    static boolean recomputed(TableInfo target, TableInfo.Column c) {
        return (c.generated() || c.defaultValue() == null) && !target.primaryKey().contains(c.name());
    }

    /** {@link #assigned}, escaped as keys carry column names. */
    static Set<String> escaped(Set<String> columns) {
        if (columns == null) {
            return null;
        }
        Set<String> out = new LinkedHashSet<>();
        columns.forEach(c -> out.add(Keys.escape(c)));
        return out;
    }

    /**
     * The escaped columns an UPDATE changed: {@link #assigned}, less those whose old and new
     * values are canonically equal in every written row (an ORM's rewrite of unchanged values).
     *
     * @param olds the old images, as read before the write
     * @param news the new images: the old ones with known values applied, in the same order, or
     *             re-read by primary key after the write
     */
    static Set<String> of(Analysis.Write write, TableInfo target, List<Map<String, Object>> olds,
                          List<Map<String, Object>> news) {
        Set<String> assigned = assigned(write, target);
        if (assigned == null) {
            return null;
        }
        boolean keyAssigned = false;
        for (String a : write.assignments().keySet()) {
            keyAssigned |= target.primaryKey().contains(target.column(a).name());
        }
        Set<String> out = new LinkedHashSet<>();
        for (String c : assigned) {
            if (keyAssigned || !unchanged(target, target.columns().get(c), olds, news)) {
                out.add(Keys.escape(c));
            }
        }
        return out;
    }

    /**
     * Whether every old image has a new image (the same position when they were computed, else
     * the same primary key) holding the same canonical value of {@code col}. Anything unknown
     * (a column missing from an image, a value without a canonical form, no key to pair by)
     * counts as changed.
     */
    private static boolean unchanged(TableInfo target, TableInfo.Column col, List<Map<String, Object>> olds,
                                     List<Map<String, Object>> news) {
        if (col == null || olds.isEmpty()) {
            return false;
        }
        Map<List<String>, Map<String, Object>> byKey = null;
        if (olds.size() != news.size() || !sameKeys(target, olds, news)) {
            if (target.primaryKey().isEmpty()) {
                return false;
            }
            byKey = new HashMap<>();
            for (Map<String, Object> n : news) {
                List<String> k = canonicalKey(target, n);
                if (k == null) {
                    return false;
                }
                byKey.put(k, n);
            }
        }
        for (int i = 0; i < olds.size(); i++) {
            Map<String, Object> o = olds.get(i);
            Map<String, Object> n = byKey == null ? news.get(i) : byKey.get(canonicalKey(target, o));
            if (n == null || !o.containsKey(col.name()) || !n.containsKey(col.name())) {
                return false;
            }
            String a = Written.canonical(col, o.get(col.name()));
            String b = Written.canonical(col, n.get(col.name()));
            if (a == null || !a.equals(b)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the i-th new image has the i-th old image's primary key (computed new images). */
    private static boolean sameKeys(TableInfo target, List<Map<String, Object>> olds, List<Map<String, Object>> news) {
        for (int i = 0; i < olds.size(); i++) {
            List<String> a = canonicalKey(target, olds.get(i));
            if (a == null || !a.equals(canonicalKey(target, news.get(i)))) {
                return false;
            }
        }
        return true;
    }

    private static List<String> canonicalKey(TableInfo target, Map<String, Object> image) {
        List<String> pk = target.primaryKey();
        if (pk.isEmpty()) {
            return null;
        }
        List<String> out = new ArrayList<>(pk.size());
        for (String c : pk) {
            TableInfo.Column col = target.columns().get(c);
            String v = col == null || !image.containsKey(c) ? null : Written.canonical(col, image.get(c));
            if (v == null) {
                return null;
            }
            out.add(v);
        }
        return out;
    }
}
