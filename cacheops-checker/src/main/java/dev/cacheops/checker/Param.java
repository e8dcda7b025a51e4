package dev.cacheops.checker;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One bound parameter: a value (null allowed) and the column type it is compared with or stored
 * in. Immutable.
 *
 * @param value the Java value given to {@code setObject}, or null for {@code setNull}
 * @param type  the column type, which gives the JDBC type of a null
 */
public record Param(Object value, ColType type) {

    /** The value as Java source, for pasting into a regression test. */
    public String javaSource() {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
        if (value instanceof BigDecimal b) {
            return "new java.math.BigDecimal(\"" + b.toPlainString() + "\")";
        }
        if (value instanceof LocalDate || value instanceof LocalDateTime || value instanceof OffsetDateTime
                || value instanceof UUID) {
            String cls = value instanceof UUID ? "java.util.UUID.fromString" : "java.time." + value.getClass().getSimpleName() + ".parse";
            return cls + "(\"" + value + "\")";
        }
        return String.valueOf(value);
    }

    /** {@code new Param(value, ColType.X)} as Java source. */
    public String constructorSource() {
        return "new Param(" + javaSource() + ", ColType." + type + ")";
    }

    @Override
    public String toString() {
        return value == null ? "NULL" : value instanceof String s ? "'" + s + "'" : String.valueOf(value);
    }
}
