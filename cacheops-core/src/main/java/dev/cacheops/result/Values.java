package dev.cacheops.result;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Array;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.UUID;

/**
 * The closed set of value types a snapshot holds, and the turning of what a driver returned into
 * one of them. Anything else (Clob, Blob, SQLXML, Ref, RowId, Struct, driver-specific classes)
 * is {@link Unsupported}: such a result is simply not cached.
 */
final class Values {
    /** Array component classes a snapshot may hold, by {@link Class#getName()}. */
    static final Map<String, Class<?>> COMPONENTS = Map.ofEntries(
            entry(Object.class), entry(Boolean.class), entry(Byte.class), entry(Short.class),
            entry(Integer.class), entry(Long.class), entry(Float.class), entry(Double.class),
            entry(BigDecimal.class), entry(BigInteger.class), entry(String.class), entry(byte[].class),
            entry(java.sql.Date.class), entry(java.sql.Time.class), entry(java.sql.Timestamp.class),
            entry(LocalDate.class), entry(LocalTime.class), entry(LocalDateTime.class),
            entry(OffsetDateTime.class), entry(OffsetTime.class), entry(Instant.class),
            entry(ZonedDateTime.class), entry(UUID.class));

    /** Deepest array nesting accepted, so a crafted payload cannot recurse the stack away. */
    static final int MAX_DEPTH = 8;

    private Values() {
    }

    private static Map.Entry<String, Class<?>> entry(Class<?> c) {
        return Map.entry(c.getName(), c);
    }

    /** Thrown when a value cannot be represented faithfully; the message is the reason. */
    static final class Unsupported extends Exception {
        private static final long serialVersionUID = 1L;

        Unsupported(String reason) {
            super(reason, null, false, false);
        }
    }

    /** Whether {@code v} is one of the scalar (non-array, non-PGobject) snapshot types. */
    static boolean isScalar(Object v) {
        return v instanceof Boolean || v instanceof Byte || v instanceof Short || v instanceof Integer
                || v instanceof Long || v instanceof Float || v instanceof Double
                || v instanceof BigDecimal || v instanceof BigInteger || v instanceof String
                || v instanceof byte[] || v instanceof java.sql.Date || v instanceof java.sql.Time
                || v instanceof java.sql.Timestamp || v instanceof LocalDate || v instanceof LocalTime
                || v instanceof LocalDateTime || v instanceof OffsetDateTime || v instanceof OffsetTime
                || v instanceof Instant || v instanceof ZonedDateTime || v instanceof UUID;
    }

    /**
     * Turns what {@code getObject} returned into a snapshot value: scalars as they are, a
     * {@code java.sql.Array} into a {@link SnapshotArray}, a {@code PGobject} into a
     * {@link PgValue}.
     */
    static Object normalize(Object raw) throws SQLException, Unsupported {
        if (raw == null || isScalar(raw)) {
            // NOTE: java.sql.Date/Time/Timestamp subclasses (none of the tested drivers returns
            // one) would replay as the base class; exact classes only keeps getObject faithful.
            if (raw instanceof java.util.Date && !isExactSqlTemporal(raw)) {
                throw new Unsupported("driver-specific temporal class " + raw.getClass().getName());
            }
            return raw;
        }
        if (raw instanceof Array array) {
            Object elements = array.getArray();
            if (!(elements instanceof Object[] objects)) {
                throw new Unsupported("array of primitives " + elements.getClass().getName());
            }
            checkElements(objects, 1);
            return new SnapshotArray(array.getBaseType(), array.getBaseTypeName(), objects);
        }
        if (PgValue.isPgObject(raw)) {
            try {
                return PgValue.of(raw);
            } catch (ReflectiveOperationException e) {
                throw new Unsupported("cannot read " + raw.getClass().getName() + ": " + e);
            }
        }
        throw new Unsupported("value of " + raw.getClass().getName());
    }

    private static boolean isExactSqlTemporal(Object v) {
        Class<?> c = v.getClass();
        return c == java.sql.Date.class || c == java.sql.Time.class || c == java.sql.Timestamp.class;
    }

    private static void checkElements(Object[] elements, int depth) throws Unsupported {
        if (depth > MAX_DEPTH) {
            throw new Unsupported("array nested deeper than " + MAX_DEPTH);
        }
        Class<?> base = elements.getClass();
        while (base.getComponentType() != null && base.getComponentType().isArray()
                && base.getComponentType() != byte[].class) {
            base = base.getComponentType();
        }
        if (!COMPONENTS.containsKey(base.getComponentType().getName())) {
            throw new Unsupported("array of " + base.getComponentType().getName());
        }
        for (Object e : elements) {
            if (e instanceof Object[] nested) {
                checkElements(nested, depth + 1);
            } else if (e != null && (!isScalar(e) || e instanceof java.util.Date && !isExactSqlTemporal(e))) {
                throw new Unsupported("array element of " + e.getClass().getName());
            }
        }
    }
}
