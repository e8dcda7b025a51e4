package dev.cacheops.sql;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Projects a block's {@link Condition} onto one of its sources: within each conjunction, column
 * equalities form equivalence classes that carry constants across tables ({@code p.category_id =
 * c.id and c.id = 5} gives {@code category_id=5} to {@code p}); conjunctions that can never match
 * are dropped; what remains on the source's own columns becomes its {@link Dnf}.
 */
final class Projection {
    private Projection() {
    }

    static Dnf project(Condition condition, int source, int cap) {
        Set<List<Term>> out = new LinkedHashSet<>();
        for (List<Condition.Atom> conjunction : condition.conjunctions) {
            List<Term> terms = projectConjunction(conjunction, source);
            if (terms == null) {
                continue; // can never match
            }
            if (terms.isEmpty()) {
                return Dnf.ALL; // this conjunction matches every row; it absorbs the others
            }
            out.add(terms);
            if (out.size() > cap) {
                return Dnf.ALL;
            }
        }
        // A condition that can never hold still reads the table (the engine may not know that);
        // depending on every row is the safe answer.
        return out.isEmpty() ? Dnf.ALL : new Dnf(List.copyOf(out));
    }

    /** The terms on {@code source}, sorted for a stable form, or null when the conjunction is impossible. */
    private static List<Term> projectConjunction(List<Condition.Atom> atoms, int source) {
        Map<Condition.ColRef, Condition.ColRef> parent = new HashMap<>();
        for (Condition.Atom atom : atoms) {
            if (atom instanceof Condition.Link link) {
                union(parent, link.a(), link.b());
            } else if (atom instanceof Condition.Eq eq) {
                find(parent, eq.column());
            }
        }
        Map<Condition.ColRef, List<ValueRef>> classValues = new HashMap<>();
        Set<Condition.ColRef> isNull = new LinkedHashSet<>();
        for (Condition.Atom atom : atoms) {
            if (atom instanceof Condition.Eq eq) {
                if (eq.value() == ValueRef.Literal.NULL) {
                    // IS NULL does not flow across an equality: x = y never holds when y is null
                    isNull.add(eq.column());
                } else {
                    List<ValueRef> vs = classValues.computeIfAbsent(find(parent, eq.column()), k -> new ArrayList<>());
                    if (!vs.contains(eq.value())) {
                        vs.add(eq.value());
                    }
                }
            }
        }
        for (List<ValueRef> vs : classValues.values()) {
            if (contradictory(vs)) {
                return null;
            }
        }
        for (Condition.ColRef col : isNull) {
            List<ValueRef> vs = classValues.get(find(parent, col));
            if (vs != null && vs.stream().anyMatch(v -> v instanceof ValueRef.Literal)) {
                return null; // col IS NULL and col = 5
            }
        }
        Set<Term> terms = new LinkedHashSet<>();
        for (Condition.ColRef col : parent.keySet().stream()
                .filter(c -> c.source() == source)
                .sorted(java.util.Comparator.comparing(Condition.ColRef::column)).toList()) {
            for (ValueRef v : classValues.getOrDefault(find(parent, col), List.of())) {
                terms.add(new Term(col.column(), v));
            }
            if (isNull.contains(col)) {
                terms.add(new Term(col.column(), ValueRef.Literal.NULL));
            }
        }
        return List.copyOf(terms);
    }

    /**
     * True when two literals of one class certainly differ. Only numbers and booleans are compared:
     * whether two strings or dates are equal depends on collation and format, which only the
     * engine knows, and wrongly dropping a conjunction would serve stale data.
     */
    private static boolean contradictory(List<ValueRef> values) {
        for (int i = 0; i < values.size(); i++) {
            for (int j = i + 1; j < values.size(); j++) {
                if (values.get(i) instanceof ValueRef.Literal a && values.get(j) instanceof ValueRef.Literal b
                        && differ(a, b)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean differ(ValueRef.Literal a, ValueRef.Literal b) {
        if (a.type() != b.type()) {
            return false;
        }
        if (a.type() == ValueRef.LiteralType.BOOLEAN) {
            return !a.text().equals(b.text());
        }
        if (a.type() == ValueRef.LiteralType.NUMBER) {
            try {
                return new BigDecimal(a.text()).compareTo(new BigDecimal(b.text())) != 0;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return false;
    }

    private static Condition.ColRef find(Map<Condition.ColRef, Condition.ColRef> parent, Condition.ColRef c) {
        Condition.ColRef root = c;
        parent.putIfAbsent(c, c);
        while (!parent.get(root).equals(root)) {
            root = parent.get(root);
        }
        // path compression keeps long join chains cheap
        Condition.ColRef x = c;
        while (!x.equals(root)) {
            Condition.ColRef next = parent.get(x);
            parent.put(x, root);
            x = next;
        }
        return root;
    }

    private static void union(Map<Condition.ColRef, Condition.ColRef> parent, Condition.ColRef a, Condition.ColRef b) {
        Condition.ColRef ra = find(parent, a);
        Condition.ColRef rb = find(parent, b);
        if (!ra.equals(rb)) {
            parent.put(ra, rb);
        }
    }
}
