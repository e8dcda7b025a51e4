package dev.cacheops.engine;

import dev.cacheops.protocol.BoundTable;
import dev.cacheops.protocol.Canonical;
import dev.cacheops.sql.ValueRef;
import java.sql.Array;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Binds a read plan's conditions to one execution's parameters: substitutes values, expands
 * array parameters into disjunctions, canonicalises by column kind, drops terms it cannot
 * canonicalise and conjunctions that contradict themselves. Whatever it cannot do exactly, it
 * widens (never narrows) the dependency.
 */
final class Binder {
    /** Beyond this many conjunctions for one table, depend on the whole table. */
    private static final int MAX_CONJUNCTIONS = 256;

    private Binder() {
    }

    static List<BoundTable> bind(Plan.Read plan, Params params, int inListLimit) {
        List<BoundTable> out = new ArrayList<>(plan.tables().size());
        for (Plan.PlannedTable t : plan.tables()) {
            BoundTable bound = bindTable(t, params, inListLimit);
            out.add(t.columnSet() == null ? bound : bound.withColumnSet(columnSet(t.columnSet())));
        }
        return out;
    }

    private static BoundTable bindTable(Plan.PlannedTable t, Params params, int inListLimit) {
        String table = t.table().canonical();
        List<Map<String, String>> conjunctions = new ArrayList<>();
        for (List<Plan.PlannedTerm> conj : t.conjunctions()) {
            List<Map<String, String>> expanded = new ArrayList<>();
            expanded.add(new HashMap<>());
            for (Plan.PlannedTerm term : conj) {
                List<String> values = values(term, params, inListLimit);
                if (values == null) {
                    continue; // narrows nothing
                }
                String column = term.column().name();
                List<Map<String, String>> next = new ArrayList<>(expanded.size() * values.size());
                for (Map<String, String> partial : expanded) {
                    for (String v : values) {
                        String existing = partial.get(column);
                        if (existing == null) {
                            Map<String, String> m = new HashMap<>(partial);
                            m.put(column, v);
                            next.add(m);
                        } else if (existing.equals(v)) {
                            next.add(partial);
                        }
                        // else: col = a and col = b can never hold; the conjunction is dropped.
                    }
                }
                expanded = next;
                if (expanded.size() > MAX_CONJUNCTIONS) {
                    return BoundTable.wholeTable(dev.cacheops.store.Keys.escape(table));
                }
            }
            conjunctions.addAll(expanded);
            if (conjunctions.size() > MAX_CONJUNCTIONS) {
                return BoundTable.wholeTable(dev.cacheops.store.Keys.escape(table));
            }
        }
        if (conjunctions.isEmpty()) {
            // Nothing can match; depending on the whole table is the simple safe answer.
            return BoundTable.wholeTable(dev.cacheops.store.Keys.escape(table));
        }
        return BoundTable.of(table, conjunctions);
    }

    /** The escaped, sorted, comma-joined form of a column set, as keys carry it. */
    static String columnSet(List<String> columns) {
        List<String> escaped = new ArrayList<>(columns.size());
        for (String c : columns) {
            escaped.add(dev.cacheops.store.Keys.escape(c));
        }
        escaped.sort(null);
        return String.join(",", escaped);
    }

    /** The canonical values a term allows, or null when it narrows nothing. */
    private static List<String> values(Plan.PlannedTerm term, Params params, int inListLimit) {
        var kind = term.column().kind();
        ValueRef v = term.value();
        if (v instanceof ValueRef.Literal lit) {
            String c = Canonical.of(kind, lit);
            return c == null ? null : List.of(c);
        }
        if (v instanceof ValueRef.Parameter p) {
            Params.Param param = params.get(p.index());
            if (param == null || !param.keyable()) {
                return null;
            }
            String c = Canonical.of(kind, param.value());
            return c == null ? null : List.of(c);
        }
        if (v instanceof ValueRef.ArrayParameter p) {
            Params.Param param = params.get(p.index());
            if (param == null || !param.keyable()) {
                return null;
            }
            Object[] elements = elements(param.value());
            if (elements == null || elements.length > inListLimit) {
                return null;
            }
            List<String> out = new ArrayList<>(elements.length);
            for (Object e : elements) {
                if (e == null) {
                    continue; // col = any(array[null]) never matches a row
                }
                String c = Canonical.of(kind, e);
                if (c == null) {
                    return null;
                }
                if (!out.contains(c)) {
                    out.add(c);
                }
            }
            return out.isEmpty() ? null : out;
        }
        return null;
    }

    private static Object[] elements(Object value) {
        try {
            Object a = value instanceof Array arr ? arr.getArray() : value;
            if (a instanceof Object[] objects) {
                return objects;
            }
            if (a != null && a.getClass().isArray()) {
                int n = java.lang.reflect.Array.getLength(a);
                Object[] out = new Object[n];
                for (int i = 0; i < n; i++) {
                    out[i] = java.lang.reflect.Array.get(a, i);
                }
                return out;
            }
        } catch (SQLException e) {
            return null;
        }
        return null;
    }
}
