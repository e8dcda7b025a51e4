package dev.cacheops.sql;

import java.util.List;

/**
 * The conditions under which a table's rows can affect a result, in disjunctive normal form: a
 * row matters if it satisfies every term of at least one conjunction. A conjunction with no terms
 * matches every row, so {@link #ALL} means "any row of the table".
 *
 * <p>Terms only ever narrow: anything that is not an equality the analysis understands (ranges,
 * {@code LIKE}, functions, negations) is left out, which widens the set of rows that matter and is
 * therefore always safe.
 *
 * @param conjunctions the disjuncts; never empty (a table that is read always matters somewhere)
 */
public record Dnf(List<List<Term>> conjunctions) {
    /** Every row of the table matters. */
    public static final Dnf ALL = new Dnf(List.of(List.of()));

    public Dnf {
        conjunctions = conjunctions.stream().map(List::copyOf).toList();
        if (conjunctions.isEmpty()) {
            throw new IllegalArgumentException("a DNF needs at least one conjunction; use Dnf.ALL");
        }
    }

    /** True when some conjunction has no terms, so the DNF matches every row. */
    public boolean matchesAll() {
        return conjunctions.stream().anyMatch(List::isEmpty);
    }
}
