package dev.cacheops.sql;

import java.util.Objects;

/**
 * One equality condition {@code column = value} on a table; {@code column IS NULL} is a term whose
 * value is {@link ValueRef.Literal#NULL}. The column is normalised like {@link TableName}.
 *
 * @param column the column name
 * @param value  a {@link ValueRef.Literal}, {@link ValueRef.Parameter} or {@link ValueRef.ArrayParameter}
 */
public record Term(String column, ValueRef value) {
    public Term {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(value, "value");
    }
}
