package dev.cacheops.result;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.UUID;

/**
 * The conversions a getter applies to a stored value, modelled on what the PostgreSQL driver
 * does (it reads most types through their text form, so numeric conversions here go through the
 * same text). Where drivers disagree, the more permissive answer is chosen: code that works
 * against the database must keep working against the cache; the reverse does not matter.
 *
 * <p>Values arrive as stored: possibly a {@link DriverText}, which only {@code getString} looks
 * inside. Stateless.
 */
final class Conversions {
    private Conversions() {
    }

    static boolean toBoolean(Object stored) throws SQLException {
        Object v = DriverText.unwrap(stored);
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Number n) {
            return n.doubleValue() != 0;
        }
        if (v instanceof String s) {
            switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "t", "true", "yes", "on", "1", "y": return true;
                case "f", "false", "no", "off", "0", "n", "": return false;
                default:
                    try {
                        return Double.parseDouble(s.trim()) != 0;
                    } catch (NumberFormatException e) {
                        // PgJDBC throws here, MariaDB's driver says true: the permissive answer
                        return true;
                    }
            }
        }
        throw bad(stored, "boolean");
    }

    /** An integral value within [min, max]; decimals are truncated toward zero as drivers do. */
    static long toLong(Object stored, long min, long max, String typeName) throws SQLException {
        Object v = DriverText.unwrap(stored);
        if (v == null) {
            return 0;
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        BigInteger i;
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            i = BigInteger.valueOf(((Number) v).longValue());
        } else if (v instanceof BigInteger b) {
            i = b;
        } else if (v instanceof BigDecimal d) {
            i = d.toBigInteger();
        } else if (v instanceof Number || v instanceof String) {
            i = parseDecimal(v instanceof String s ? s : Texts.string(stored), stored, typeName).toBigInteger();
        } else {
            throw bad(stored, typeName);
        }
        if (i.compareTo(BigInteger.valueOf(min)) < 0 || i.compareTo(BigInteger.valueOf(max)) > 0) {
            throw new SQLException("Bad value for type " + typeName + " : " + Texts.string(stored), "22003");
        }
        return i.longValue();
    }

    static double toDouble(Object stored) throws SQLException {
        Object v = DriverText.unwrap(stored);
        if (v == null) {
            return 0;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (v instanceof String s) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                throw bad(stored, "double");
            }
        }
        throw bad(stored, "double");
    }

    /** PostgreSQL parses a float from the printed text, so a real 1.1 gives the double 1.1. */
    static double toDoubleViaText(Object stored) throws SQLException {
        Object v = DriverText.unwrap(stored);
        if (v instanceof Float || v instanceof BigDecimal) {
            try {
                return Double.parseDouble(Texts.string(stored).trim());
            } catch (NumberFormatException e) {
                return ((Number) v).doubleValue();
            }
        }
        return toDouble(stored);
    }

    static float toFloat(Object stored) throws SQLException {
        Object v = DriverText.unwrap(stored);
        if (v instanceof Float f) {
            return f;
        }
        if (v instanceof Double || v instanceof BigDecimal) {
            try {
                return Float.parseFloat(Texts.string(stored).trim());
            } catch (NumberFormatException e) {
                return ((Number) v).floatValue();
            }
        }
        return (float) toDouble(stored);
    }

    static BigDecimal toBigDecimal(Object stored) throws SQLException {
        Object v = DriverText.unwrap(stored);
        if (v == null) {
            return null;
        }
        if (v instanceof BigDecimal d) {
            return d;
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return BigDecimal.valueOf(((Number) v).longValue());
        }
        if (v instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        if (v instanceof Boolean b) {
            return b ? BigDecimal.ONE : BigDecimal.ZERO;
        }
        if (v instanceof Number || v instanceof String) {
            // floats go through their printed form, so 1.1f gives 1.1 and not 1.100000023841858
            return parseDecimal(Texts.string(stored), stored, "BigDecimal");
        }
        throw bad(stored, "BigDecimal");
    }

    static BigDecimal toBigDecimal(Object stored, int scale) throws SQLException {
        BigDecimal d = toBigDecimal(stored);
        return d == null ? null : d.setScale(scale, RoundingMode.HALF_UP);
    }

    private static BigDecimal parseDecimal(String s, Object stored, String typeName) throws SQLException {
        try {
            return new BigDecimal(s.trim());
        } catch (NumberFormatException | NullPointerException e) {
            throw bad(stored, typeName);
        }
    }

    static byte[] toBytes(Object stored, boolean zoned) {
        Object v = DriverText.unwrap(stored);
        if (v == null) {
            return null;
        }
        if (v instanceof byte[] b) {
            return b.clone();
        }
        // PostgreSQL hands out the raw text for every non-bytea column
        return Texts.string(stored, zoned).getBytes(StandardCharsets.UTF_8);
    }

    static SQLException bad(Object stored, String typeName) {
        Object v = DriverText.unwrap(stored);
        return new SQLException("Bad value for type " + typeName + " : " + Texts.string(stored)
                + (v == null ? "" : " (" + v.getClass().getName() + ")"), "22018");
    }

    /** What {@code getObject(int)} returns: the driver's own type, as a fresh copy if mutable. */
    static Object object(Object stored) throws SQLException {
        Object v = DriverText.unwrap(stored);
        if (v instanceof byte[] b) {
            return b.clone();
        }
        if (v instanceof java.util.Date d) {
            return d.clone();
        }
        if (v instanceof PgValue p) {
            return p.rebuild();
        }
        return v;
    }

    /**
     * {@code getObject(int, Class)}. SQL NULL is {@code null} for every class.
     *
     * @param zoned whether the column is a {@code timestamp with time zone}
     */
    static <T> T to(Object stored, Class<T> type, boolean zoned) throws SQLException {
        if (type == null) {
            throw new SQLException("type is null");
        }
        if (stored == null) {
            return null;
        }
        Object v = DriverText.unwrap(stored);
        Object out;
        if (type == String.class) {
            out = Texts.string(stored, zoned);
        } else if (type == Integer.class || type == int.class) {
            out = (int) toLong(stored, Integer.MIN_VALUE, Integer.MAX_VALUE, "int");
        } else if (type == Long.class || type == long.class) {
            out = toLong(stored, Long.MIN_VALUE, Long.MAX_VALUE, "long");
        } else if (type == Short.class || type == short.class) {
            out = (short) toLong(stored, Short.MIN_VALUE, Short.MAX_VALUE, "short");
        } else if (type == Byte.class || type == byte.class) {
            out = (byte) toLong(stored, Byte.MIN_VALUE, Byte.MAX_VALUE, "byte");
        } else if (type == Boolean.class || type == boolean.class) {
            out = toBoolean(stored);
        } else if (type == Double.class || type == double.class) {
            out = toDoubleViaText(stored);
        } else if (type == Float.class || type == float.class) {
            out = toFloat(stored);
        } else if (type == BigDecimal.class) {
            out = toBigDecimal(stored);
        } else if (type == BigInteger.class) {
            out = v instanceof BigInteger ? v : toBigInteger(stored);
        } else if (type == byte[].class) {
            out = toBytes(stored, zoned);
        } else if (type == java.sql.Date.class) {
            out = Temporals.toDate(stored, null, zoned);
        } else if (type == java.sql.Time.class) {
            out = Temporals.toTime(stored, null, zoned);
        } else if (type == java.sql.Timestamp.class) {
            out = Temporals.toTimestamp(stored, null, zoned);
        } else if (type == java.time.LocalDate.class) {
            out = Temporals.toLocalDate(stored);
        } else if (type == java.time.LocalTime.class) {
            out = Temporals.toLocalTime(stored);
        } else if (type == java.time.LocalDateTime.class) {
            out = Temporals.toLocalDateTime(stored);
        } else if (type == java.time.OffsetDateTime.class) {
            out = Temporals.toOffsetDateTime(stored, zoned);
        } else if (type == java.time.OffsetTime.class) {
            out = Temporals.toOffsetTime(stored);
        } else if (type == java.time.Instant.class) {
            out = Temporals.toInstant(stored, zoned);
        } else if (type == java.time.ZonedDateTime.class) {
            out = Temporals.toZonedDateTime(stored, zoned);
        } else if (type == java.util.UUID.class) {
            out = toUuid(stored);
        } else {
            out = object(stored);
            if (!type.isInstance(out)) {
                throw new SQLException("cannot convert " + out.getClass().getName() + " to " + type.getName(),
                        "22018");
            }
        }
        @SuppressWarnings("unchecked")
        T t = (T) out;
        return t;
    }

    private static BigInteger toBigInteger(Object stored) throws SQLException {
        // truncated toward zero, like the integral getters
        return toBigDecimal(stored).toBigInteger();
    }

    static UUID toUuid(Object stored) throws SQLException {
        Object v = DriverText.unwrap(stored);
        if (v instanceof UUID u) {
            return u;
        }
        if (v instanceof String s) {
            try {
                return UUID.fromString(s.trim());
            } catch (IllegalArgumentException e) {
                throw bad(stored, "uuid");
            }
        }
        throw bad(stored, "uuid");
    }
}
