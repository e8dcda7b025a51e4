package dev.cacheops.protocol;

/**
 * How a column's values compare in the database, which decides their canonical form. A value
 * written by the reader ({@code col = 5}) and one read back by the writer ({@code getObject})
 * must produce the same string; this is the type that makes them agree.
 */
public enum ValueKind {
    /** Integral numbers of any width: {@code 5}, {@code 5L}, {@code 5.0} are one value. */
    INTEGER,
    /** Exact decimals: {@code 5.5} equals {@code 5.50}. */
    DECIMAL,
    BOOLEAN,
    /** Text compared exactly (binary or deterministic, case-sensitive collation). */
    TEXT,
    DATE,
    TIME,
    /** Timestamp without time zone: a local date-time. */
    TIMESTAMP,
    /** Timestamp with time zone: an instant. */
    TIMESTAMPTZ,
    UUID,
    BYTES,
    /**
     * Equality in the database is not exact (floating point, {@code char(n)} padding,
     * case-insensitive collations, unknown types): the column never makes a granular condition.
     */
    INEXACT
}
