package dev.cacheops.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * A condition of one {@code SELECT} block in disjunctive normal form over {@link Atom}s, before it
 * is projected onto single tables. Immutable. Every operation stays within a size cap: a DNF that
 * would grow past it becomes {@link #TRUE}, which narrows nothing and is therefore always safe.
 */
final class Condition {
    /** A column of one FROM source of the block (a source is one occurrence of a table). */
    record ColRef(int source, String column) {
    }

    /** The atoms the analysis understands. */
    sealed interface Atom {
    }

    /** {@code column = value}, or {@code column IS NULL} when the value is {@link ValueRef.Literal#NULL}. */
    record Eq(ColRef column, ValueRef value) implements Atom {
    }

    /** {@code a = b} between two columns: constants flow across it. */
    record Link(ColRef a, ColRef b) implements Atom {
    }

    /** No constraint: every row may match. */
    static final Condition TRUE = new Condition(List.of(List.of()));

    final List<List<Atom>> conjunctions;

    private Condition(List<List<Atom>> conjunctions) {
        this.conjunctions = conjunctions;
    }

    static Condition atom(Atom atom) {
        return new Condition(List.of(List.of(atom)));
    }

    boolean isTrue() {
        return conjunctions.stream().anyMatch(List::isEmpty);
    }

    /** Both hold: the product of the disjuncts. */
    Condition and(Condition other, int cap) {
        if (isTrue() && conjunctions.size() == 1) {
            return other;
        }
        if (other.isTrue() && other.conjunctions.size() == 1) {
            return this;
        }
        if ((long) conjunctions.size() * other.conjunctions.size() > cap) {
            return TRUE;
        }
        List<List<Atom>> product = new ArrayList<>();
        for (List<Atom> a : conjunctions) {
            for (List<Atom> b : other.conjunctions) {
                List<Atom> both = new ArrayList<>(a.size() + b.size());
                both.addAll(a);
                both.addAll(b);
                product.add(List.copyOf(both));
            }
        }
        return new Condition(List.copyOf(product));
    }

    /** Either holds: the union of the disjuncts; an empty conjunction absorbs the rest. */
    Condition or(Condition other, int cap) {
        if (isTrue() || other.isTrue()) {
            return TRUE;
        }
        if (conjunctions.size() + other.conjunctions.size() > cap) {
            return TRUE;
        }
        List<List<Atom>> union = new ArrayList<>(conjunctions);
        union.addAll(other.conjunctions);
        return new Condition(List.copyOf(union));
    }
}
