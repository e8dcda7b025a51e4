package dev.cacheops.sql;

/**
 * The right-hand side of an equality term, or a value written by an {@code INSERT}/{@code UPDATE}:
 * a literal, a bound JDBC parameter, or something the analysis cannot evaluate.
 */
public sealed interface ValueRef {

    /** Literal kinds as written in SQL; the engine converts them by the column's type. */
    enum LiteralType { STRING, NUMBER, BOOLEAN, NULL, DATE, TIME, TIMESTAMP, OTHER }

    /**
     * A constant written in the statement. {@code text} is the literal's value without quotes
     * (for strings, with doubled quotes undone), e.g. {@code 5}, {@code -3.50}, {@code abc},
     * {@code true}, {@code 2024-01-31}; for {@code NULL} it is {@code null}.
     */
    record Literal(LiteralType type, String text) implements ValueRef {
        public static final Literal NULL = new Literal(LiteralType.NULL, null);
    }

    /** A JDBC {@code ?} parameter; {@code index} is its 1-based position in the whole statement. */
    record Parameter(int index) implements ValueRef { }

    /**
     * A JDBC array parameter used as {@code col = any(?)} (Hibernate's rendering of an
     * {@code IN} over a collection): the term is a disjunction over the array's elements.
     */
    record ArrayParameter(int index) implements ValueRef { }

    /** {@code DEFAULT} in an {@code INSERT} or {@code UPDATE ... SET col = DEFAULT}. */
    record Default() implements ValueRef {
        public static final Default INSTANCE = new Default();
    }

    /** An expression the analysis cannot evaluate ({@code x + 1}, a function, a subquery). */
    record Opaque(String sql) implements ValueRef { }
}
