package dev.cacheops.protocol;

import dev.cacheops.sql.ValueRef;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;

/**
 * Canonical string forms of column values, one per value, by {@link ValueKind}.
 *
 * <p>Both sides of the protocol go through here: the reader with SQL literals and bound
 * parameters, the writer with values read back from result sets and statement parameters. Every
 * method returns {@code null} when the value cannot be put in canonical form with certainty; the
 * caller then drops the term (reader) or treats the column as unknown (writer), both of which only
 * ever widen what is invalidated. The results are not yet escaped for keys.
 */
public final class Canonical {
    /** The canonical form of SQL NULL; no non-null value of any kind produces it. */
    public static final String NULL = "\u0000";

    private static final DateTimeFormatter SQL_LOCAL_DATE_TIME = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart().appendLiteral(' ').optionalEnd()
            .optionalStart().appendLiteral('T').optionalEnd()
            .append(DateTimeFormatter.ISO_LOCAL_TIME)
            .toFormatter(Locale.ROOT);

    private static final DateTimeFormatter SQL_OFFSET_DATE_TIME = new DateTimeFormatterBuilder()
            .append(SQL_LOCAL_DATE_TIME)
            .optionalStart().appendLiteral(' ').optionalEnd()
            .appendOffset("+HH:mm", "Z")
            .toFormatter(Locale.ROOT);

    private static final DateTimeFormatter SQL_OFFSET_DATE_TIME_SHORT = new DateTimeFormatterBuilder()
            .append(SQL_LOCAL_DATE_TIME)
            .optionalStart().appendLiteral(' ').optionalEnd()
            .appendOffset("+HH", "Z")
            .toFormatter(Locale.ROOT);

    private Canonical() {
    }

    /** The canonical form of a Java value (parameter or result-set value) in a column of {@code kind}. */
    public static String of(ValueKind kind, Object value) {
        if (value == null) {
            return NULL;
        }
        try {
            return switch (kind) {
                case INTEGER -> integer(value);
                case DECIMAL -> decimal(value);
                case BOOLEAN -> bool(value);
                case TEXT -> value instanceof String || value instanceof Character ? value.toString() : null;
                case DATE -> date(value);
                case TIME -> time(value);
                case TIMESTAMP -> timestamp(value);
                case TIMESTAMPTZ -> timestampTz(value);
                case UUID -> uuid(value);
                case BYTES -> value instanceof byte[] b ? "x" + HexFormat.of().formatHex(b) : null;
                case INEXACT -> null;
            };
        } catch (ArithmeticException | DateTimeParseException | IllegalArgumentException e) {
            // A value that does not convert cleanly cannot narrow anything.
            return null;
        }
    }

    /** The canonical form of a SQL literal in a column of {@code kind}. */
    public static String of(ValueKind kind, ValueRef.Literal literal) {
        return switch (literal.type()) {
            case NULL -> NULL;
            case NUMBER -> {
                try {
                    yield of(kind, new BigDecimal(literal.text().trim()));
                } catch (NumberFormatException e) {
                    yield null;
                }
            }
            case BOOLEAN -> of(kind, Boolean.valueOf(literal.text().trim().toLowerCase(Locale.ROOT)));
            case STRING, DATE, TIME, TIMESTAMP -> of(kind, literal.text());
            case OTHER -> null;
        };
    }

    private static String integer(Object v) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return Long.toString(((Number) v).longValue());
        }
        if (v instanceof BigInteger b) {
            return b.toString();
        }
        if (v instanceof BigDecimal d) {
            return d.toBigIntegerExact().toString();
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            return Double.isFinite(d) ? new BigDecimal(d).toBigIntegerExact().toString() : null;
        }
        if (v instanceof String s) {
            return new BigDecimal(s.trim()).toBigIntegerExact().toString();
        }
        return null;
    }

    private static String decimal(Object v) {
        BigDecimal d;
        if (v instanceof BigDecimal b) {
            d = b;
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            d = BigDecimal.valueOf(((Number) v).longValue());
        } else if (v instanceof BigInteger b) {
            d = new BigDecimal(b);
        } else if (v instanceof String s) {
            d = new BigDecimal(s.trim());
        } else {
            // Floating-point parameters against a numeric column compare as floats in some
            // databases: no exact canonical value.
            return null;
        }
        return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
    }

    private static String bool(Object v) {
        if (v instanceof Boolean b) {
            return b ? "t" : "f";
        }
        if (v instanceof Number n && !(v instanceof Double) && !(v instanceof Float)) {
            long l = n.longValue();
            return l == 1 ? "t" : l == 0 ? "f" : null;
        }
        if (v instanceof String s) {
            return switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "t", "true", "1", "y", "yes", "on" -> "t";
                case "f", "false", "0", "n", "no", "off" -> "f";
                default -> null;
            };
        }
        return null;
    }

    private static String date(Object v) {
        if (v instanceof java.sql.Date d) {
            return d.toLocalDate().toString();
        }
        if (v instanceof LocalDate d) {
            return d.toString();
        }
        if (v instanceof String s) {
            return LocalDate.parse(s.trim()).toString();
        }
        return null;
    }

    private static String time(Object v) {
        LocalTime t;
        if (v instanceof java.sql.Time s) {
            t = s.toLocalTime();
        } else if (v instanceof LocalTime l) {
            t = l;
        } else if (v instanceof String s) {
            t = LocalTime.parse(s.trim());
        } else {
            return null;
        }
        return micros(t.getNano()) ? t.format(DateTimeFormatter.ISO_LOCAL_TIME) : null;
    }

    private static String timestamp(Object v) {
        LocalDateTime t;
        if (v instanceof Timestamp ts) {
            t = ts.toLocalDateTime();
        } else if (v instanceof LocalDateTime l) {
            t = l;
        } else if (v instanceof java.sql.Date d) {
            t = d.toLocalDate().atStartOfDay();
        } else if (v instanceof LocalDate d) {
            t = d.atStartOfDay();
        } else if (v instanceof String s) {
            String x = s.trim();
            t = x.length() == 10 ? LocalDate.parse(x).atStartOfDay() : LocalDateTime.parse(x, SQL_LOCAL_DATE_TIME);
        } else {
            return null;
        }
        // Databases round sub-microsecond parts; such a value has no certain stored form.
        return micros(t.getNano()) ? t.format(DateTimeFormatter.ISO_LOCAL_DATE_TIME) : null;
    }

    private static String timestampTz(Object v) {
        Instant i;
        if (v instanceof OffsetDateTime o) {
            i = o.toInstant();
        } else if (v instanceof Instant x) {
            i = x;
        } else if (v instanceof ZonedDateTime z) {
            i = z.toInstant();
        } else if (v instanceof Timestamp ts) {
            i = ts.toInstant();
        } else if (v instanceof String s) {
            i = parseOffset(s.trim());
        } else {
            // A local date-time against a zoned column depends on the session's time zone.
            return null;
        }
        return micros(i.getNano()) ? i.toString() : null;
    }

    private static Instant parseOffset(String s) {
        try {
            return OffsetDateTime.parse(s, SQL_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return OffsetDateTime.parse(s, SQL_OFFSET_DATE_TIME_SHORT).toInstant();
        }
    }

    private static String uuid(Object v) {
        if (v instanceof UUID u) {
            return u.toString();
        }
        if (v instanceof String s) {
            return UUID.fromString(s.trim()).toString();
        }
        if (v instanceof byte[] b && b.length == 16) {
            ByteBuffer buf = ByteBuffer.wrap(b);
            return new UUID(buf.getLong(), buf.getLong()).toString();
        }
        return null;
    }

    private static boolean micros(int nanos) {
        return nanos % 1000 == 0;
    }
}
