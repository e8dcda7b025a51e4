package dev.cacheops.result;

import java.math.BigDecimal;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;

/**
 * How values print: {@code getString} of a stored value. The derived text follows what
 * PostgreSQL's driver prints ({@code t}/{@code f}, {@code \\x} hex for bytea, timestamps without
 * a trailing {@code .0}, array literals in braces); where a driver printed something else the
 * recorder kept its text in a {@link DriverText}. Stateless.
 */
final class Texts {
    private Texts() {
    }

    /** The driver's text when recorded, else the derived text; null for SQL NULL. */
    static String string(Object stored) {
        return string(stored, false);
    }

    /** As {@link #string(Object)}, for a column that may be a {@code timestamptz}. */
    static String string(Object stored, boolean zoned) {
        if (stored == null) {
            return null;
        }
        return stored instanceof DriverText t ? t.text() : text(stored, zoned);
    }

    /**
     * The derived text of a value in a column that may be a {@code timestamptz}: PostgreSQL prints
     * those in the session zone with its offset, and PgJDBC sets the session zone to the JVM's.
     */
    static String text(Object v, boolean zoned) {
        if (zoned && v instanceof Timestamp t) {
            return text(t.toInstant().atZone(ZoneId.systemDefault()).toOffsetDateTime());
        }
        return text(v);
    }

    /** Whether a column holds fixed instants ({@code timestamp with time zone}). */
    static boolean isZoned(ColumnMeta c) {
        String name = c.typeName() == null ? "" : c.typeName().toLowerCase(Locale.ROOT);
        return c.type() == Types.TIMESTAMP_WITH_TIMEZONE || c.type() == Types.TIME_WITH_TIMEZONE
                || name.equals("timestamptz") || name.equals("timetz") || name.equals("_timestamptz")
                || name.equals("_timetz") || name.contains("with time zone");
    }

    /** The text PostgreSQL's driver would print for a value (the recorder checks it is so). */
    static String text(Object v) {
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Boolean b) {
            return b ? "t" : "f";
        }
        if (v instanceof Double d) {
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue()) : d.toString();
        }
        if (v instanceof Float f) {
            return f == Math.rint(f) && Math.abs(f) < 1e6 ? Long.toString(f.longValue()) : f.toString();
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof byte[] b) {
            return hex(b);
        }
        if (v instanceof Timestamp t) {
            return text(t.toLocalDateTime());
        }
        if (v instanceof Time t) {
            return time(t.toString(), (int) Math.floorMod(t.getTime(), 1000L) * 1_000_000);
        }
        if (v instanceof LocalTime t) {
            return localTime(t);
        }
        if (v instanceof LocalDateTime t) {
            return t.toLocalDate() + " " + localTime(t.toLocalTime());
        }
        if (v instanceof OffsetDateTime t) {
            return t.toLocalDate() + " " + localTime(t.toLocalTime()) + offset(t.getOffset());
        }
        if (v instanceof OffsetTime t) {
            return localTime(t.toLocalTime()) + offset(t.getOffset());
        }
        if (v instanceof Instant t) {
            return text(t.atOffset(ZoneOffset.UTC));
        }
        if (v instanceof ZonedDateTime t) {
            return text(t.toOffsetDateTime());
        }
        if (v instanceof SnapshotArray a) {
            return arrayLiteral(a.elementsUnsafe());
        }
        if (v instanceof PgValue p) {
            return p.value();
        }
        if (v instanceof DriverText t) {
            return t.text();
        }
        return String.valueOf(v);
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder(2 + b.length * 2).append("\\x");
        for (byte x : b) {
            s.append(Character.forDigit((x >> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
        }
        return s.toString();
    }

    // NOTE: no String.format below: the recorder derives a text for every temporal it records,
    // and the formatter costs more than the rest of recording such a value.

    private static String localTime(LocalTime t) {
        StringBuilder s = new StringBuilder(15);
        pad2(s, t.getHour()).append(':');
        pad2(s, t.getMinute()).append(':');
        pad2(s, t.getSecond());
        return time(s.toString(), t.getNano());
    }

    private static StringBuilder pad2(StringBuilder s, int n) {
        return s.append((char) ('0' + n / 10)).append((char) ('0' + n % 10));
    }

    /** Appends a fraction without trailing zeros, like PostgreSQL's output. */
    private static String time(String whole, int nanos) {
        if (nanos == 0) {
            return whole;
        }
        String digits = Integer.toString(nanos);
        StringBuilder s = new StringBuilder(whole.length() + 10).append(whole).append('.');
        for (int i = digits.length(); i < 9; i++) {
            s.append('0');
        }
        int end = digits.length();
        while (digits.charAt(end - 1) == '0') {
            end--;
        }
        return s.append(digits, 0, end).toString();
    }

    private static String offset(ZoneOffset o) {
        int total = o.getTotalSeconds();
        int abs = Math.abs(total);
        StringBuilder s = new StringBuilder(9).append(total < 0 ? '-' : '+');
        pad2(s, abs / 3600);
        if (abs % 3600 != 0) {
            pad2(s.append(':'), abs / 60 % 60);
        }
        if (abs % 60 != 0) {
            pad2(s.append(':'), abs % 60);
        }
        return s.toString();
    }

    private static String arrayLiteral(Object[] a) {
        StringBuilder s = new StringBuilder("{");
        for (int i = 0; i < a.length; i++) {
            if (i > 0) {
                s.append(',');
            }
            Object e = a[i];
            if (e == null) {
                s.append("NULL");
            } else if (e instanceof Object[] nested) {
                s.append(arrayLiteral(nested));
            } else {
                String t = text(e);
                s.append(needsQuotes(t) ? '"' + t.replace("\\", "\\\\").replace("\"", "\\\"") + '"' : t);
            }
        }
        return s.append('}').toString();
    }

    private static boolean needsQuotes(String t) {
        if (t.isEmpty() || t.equalsIgnoreCase("NULL")) {
            return true;
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '{' || c == '}' || c == ',' || c == '"' || c == '\\' || Character.isWhitespace(c)) {
                return true;
            }
        }
        return false;
    }
}
