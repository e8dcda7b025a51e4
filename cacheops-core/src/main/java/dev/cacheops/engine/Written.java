package dev.cacheops.engine;

import dev.cacheops.protocol.Canonical;
import dev.cacheops.sql.ValueRef;

/**
 * The values a write puts into a row, as far as the statement reveals them: Java values from
 * parameters and result sets, literals and column defaults kept until the column's kind is known,
 * and {@link #UNKNOWN} for everything else (an expression, a stream).
 */
final class Written {
    /** A value the statement does not reveal. */
    static final Object UNKNOWN = new Object();

    private Written() {
    }

    /** A literal, canonicalised by the column's kind when the image is built. */
    record LiteralValue(ValueRef.Literal literal) {
        /** The literal as SQL text the database coerces to the column's type. */
        String sql() {
            return literal.type() == ValueRef.LiteralType.NUMBER || literal.type() == ValueRef.LiteralType.BOOLEAN
                    ? literal.text() : "'" + literal.text().replace("'", "''") + "'";
        }
    }

    /** A value already in canonical form (a column default). */
    record CanonicalValue(String canonical) { }

    /** The value {@code ref} writes into {@code col}, or {@link #UNKNOWN}. */
    static Object of(ValueRef ref, TableInfo.Column col, Params p) {
        if (ref instanceof ValueRef.Literal lit) {
            return lit.type() == ValueRef.LiteralType.NULL ? null : new LiteralValue(lit);
        }
        if (ref instanceof ValueRef.Parameter param && p != null) {
            Params.Param v = p.get(param.index());
            return v == null || !v.keyable() ? UNKNOWN : v.value();
        }
        if (ref instanceof ValueRef.Default) {
            return defaultOf(col);
        }
        return UNKNOWN;
    }

    /** What an omitted column (or {@code DEFAULT}) holds, or {@link #UNKNOWN}. */
    static Object defaultOf(TableInfo.Column col) {
        if (col.generated() || col.defaultValue() == null) {
            return UNKNOWN;
        }
        if (col.defaultValue().equals(TableInfo.Column.NO_DEFAULT) || col.defaultValue().equals(Canonical.NULL)) {
            return null;
        }
        return new CanonicalValue(col.defaultValue());
    }

    /** The canonical form of a written value in {@code col}, or null when it has none. */
    static String canonical(TableInfo.Column col, Object v) {
        if (v instanceof CanonicalValue c) {
            return c.canonical();
        }
        if (v instanceof LiteralValue l) {
            return Canonical.of(col.kind(), l.literal());
        }
        return Canonical.of(col.kind(), v);
    }
}
