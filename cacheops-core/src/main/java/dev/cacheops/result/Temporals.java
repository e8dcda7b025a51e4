package dev.cacheops.result;

import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Calendar;

/**
 * The temporal getters: {@code getDate}, {@code getTime}, {@code getTimestamp} (with or without
 * a calendar) and the {@code java.time} classes of {@code getObject(int, Class)}. A calendar
 * moves wall-clock values (date, time, timestamp) into its zone but never a value that is a
 * fixed instant ({@code timestamptz}), as PostgreSQL's driver does. Stateless.
 */
final class Temporals {
    private Temporals() {
    }

    /**
     * {@code zoned}: the column is a {@code timestamptz}; PgJDBC then takes the instant's date in
     * the calendar's zone, at midnight in that zone.
     */
    static java.sql.Date toDate(Object stored, Calendar cal, boolean zoned) throws SQLException {
        Object v = DriverText.unwrap(stored);
        if (zoned && cal != null && v instanceof Timestamp t) {
            LocalDate d = LocalDate.ofInstant(t.toInstant(), cal.getTimeZone().toZoneId());
            return new java.sql.Date(millis(d.atStartOfDay(), cal));
        }
        if (v == null) {
            return null;
        }
        LocalDate d;
        if (v instanceof java.sql.Date date) {
            if (cal == null) {
                return (java.sql.Date) date.clone();
            }
            d = date.toLocalDate();
        } else if (v instanceof Timestamp || v instanceof LocalDate || v instanceof LocalDateTime
                || v instanceof OffsetDateTime || v instanceof ZonedDateTime || v instanceof Instant
                || v instanceof String || v instanceof Time) {
            d = toLocalDateTime(stored).toLocalDate();
        } else {
            throw Conversions.bad(stored, "date");
        }
        return new java.sql.Date(millis(d.atStartOfDay(), cal));
    }

    /** {@code zoned}: the column is a {@code timestamptz}, whose time of day no calendar moves. */
    static Time toTime(Object stored, Calendar cal, boolean zoned) throws SQLException {
        Object v = DriverText.unwrap(stored);
        if (zoned) {
            cal = null;
        }
        if (v == null) {
            return null;
        }
        if (v instanceof Time t && cal == null) {
            return (Time) t.clone();
        }
        if (v instanceof OffsetTime t) {
            // a time with its own offset is a fixed point on 1970-01-01 whatever the calendar
            return new Time(t.atDate(LocalDate.EPOCH).toInstant().toEpochMilli());
        }
        LocalTime t = toLocalTime(stored);
        return new Time(millis(LocalDate.EPOCH.atTime(t), cal));
    }

    /** {@code zoned}: the column is a {@code timestamptz}, whose instant no calendar moves. */
    static Timestamp toTimestamp(Object stored, Calendar cal, boolean zoned) throws SQLException {
        Object v = DriverText.unwrap(stored);
        if (v == null) {
            return null;
        }
        if (v instanceof Timestamp t && (cal == null || zoned)) {
            return (Timestamp) t.clone();
        }
        Instant fixed = v instanceof Instant i ? i
                : v instanceof OffsetDateTime o ? o.toInstant()
                : v instanceof ZonedDateTime z ? z.toInstant() : null;
        if (fixed != null) {
            return Timestamp.from(fixed);
        }
        LocalDateTime t = toLocalDateTime(stored);
        Timestamp ts = new Timestamp(millis(t.withNano(0), cal));
        ts.setNanos(t.getNano());
        return ts;
    }

    private static long millis(LocalDateTime t, Calendar cal) {
        ZoneId zone = cal == null ? ZoneId.systemDefault() : cal.getTimeZone().toZoneId();
        return t.atZone(zone).toInstant().toEpochMilli();
    }

    static LocalDate toLocalDate(Object stored) throws SQLException {
        return toLocalDateTime(stored).toLocalDate();
    }

    static LocalDateTime toLocalDateTime(Object stored) throws SQLException {
        Object v = DriverText.unwrap(stored);
        if (v instanceof Timestamp t) {
            return t.toLocalDateTime();
        }
        if (v instanceof java.sql.Date d) {
            return d.toLocalDate().atStartOfDay();
        }
        if (v instanceof LocalDateTime t) {
            return t;
        }
        if (v instanceof LocalDate d) {
            return d.atStartOfDay();
        }
        // a fixed instant seen from this JVM's zone, as drivers present a timestamptz locally
        if (v instanceof OffsetDateTime t) {
            return LocalDateTime.ofInstant(t.toInstant(), ZoneId.systemDefault());
        }
        if (v instanceof ZonedDateTime t) {
            return LocalDateTime.ofInstant(t.toInstant(), ZoneId.systemDefault());
        }
        if (v instanceof Instant t) {
            return LocalDateTime.ofInstant(t, ZoneId.systemDefault());
        }
        if (v instanceof Time || v instanceof LocalTime || v instanceof OffsetTime) {
            // PgJDBC puts a time of day on 1970-01-01
            return LocalDate.EPOCH.atTime(toLocalTime(stored));
        }
        if (v instanceof String s) {
            try {
                String trimmed = s.trim();
                return trimmed.length() <= 10 ? LocalDate.parse(trimmed).atStartOfDay()
                        : Timestamp.valueOf(trimmed).toLocalDateTime();
            } catch (RuntimeException e) {
                throw Conversions.bad(stored, "timestamp");
            }
        }
        throw Conversions.bad(stored, "timestamp");
    }

    static LocalTime toLocalTime(Object stored) throws SQLException {
        Object v = DriverText.unwrap(stored);
        if (v instanceof Time t) {
            if (stored instanceof DriverText text) {
                // java.sql.Time keeps millis only; the printed text has the microseconds
                try {
                    return LocalTime.parse(text.text().trim());
                } catch (RuntimeException e) {
                    // e.g. PostgreSQL's 24:00:00: fall back to what the Time holds
                }
            }
            return t.toLocalTime().withNano((int) Math.floorMod(t.getTime(), 1000L) * 1_000_000);
        }
        if (v instanceof java.sql.Date || v instanceof LocalDate) {
            return LocalTime.MIDNIGHT;
        }
        if (v instanceof LocalTime t) {
            return t;
        }
        if (v instanceof OffsetTime t) {
            return t.toLocalTime();
        }
        if (v instanceof String s) {
            try {
                return LocalTime.parse(s.trim());
            } catch (RuntimeException e) {
                throw Conversions.bad(stored, "time");
            }
        }
        if (v instanceof Timestamp || v instanceof LocalDateTime || v instanceof OffsetDateTime
                || v instanceof ZonedDateTime || v instanceof Instant) {
            return toLocalDateTime(stored).toLocalTime();
        }
        throw Conversions.bad(stored, "time");
    }

    /** {@code zoned} as for {@link #toTimestamp}: a plain timestamp is taken as UTC, like PgJDBC. */
    static OffsetDateTime toOffsetDateTime(Object stored, boolean zoned) throws SQLException {
        Object v = DriverText.unwrap(stored);
        if (v instanceof OffsetDateTime t) {
            return t;
        }
        if (v instanceof ZonedDateTime t) {
            return t.toOffsetDateTime();
        }
        if (v instanceof Instant t) {
            return t.atOffset(ZoneOffset.UTC);
        }
        if (v instanceof Timestamp t && zoned) {
            return t.toInstant().atOffset(ZoneOffset.UTC);
        }
        if (v instanceof String s) {
            try {
                return OffsetDateTime.parse(s.trim());
            } catch (RuntimeException e) {
                throw Conversions.bad(stored, "timestamptz");
            }
        }
        return toLocalDateTime(stored).atOffset(ZoneOffset.UTC);
    }

    static Instant toInstant(Object stored, boolean zoned) throws SQLException {
        Object v = DriverText.unwrap(stored);
        if (v instanceof Timestamp t) {
            return t.toInstant();
        }
        return toOffsetDateTime(stored, zoned).toInstant();
    }

    static OffsetTime toOffsetTime(Object stored) throws SQLException {
        Object v = DriverText.unwrap(stored);
        if (v instanceof OffsetTime t) {
            return t;
        }
        if (v instanceof OffsetDateTime t) {
            return t.toOffsetTime();
        }
        return toLocalTime(stored).atOffset(ZoneOffset.UTC);
    }

    /**
     * A value with its own offset keeps it; anything else is placed in the JVM's zone (as a
     * region, like the drivers do), wall-clock values by their fields and instants by the instant.
     */
    static ZonedDateTime toZonedDateTime(Object stored, boolean zoned) throws SQLException {
        Object v = DriverText.unwrap(stored);
        if (v instanceof ZonedDateTime t) {
            return t;
        }
        if (v instanceof OffsetDateTime t) {
            return t.toZonedDateTime();
        }
        if (v instanceof Instant t) {
            return t.atZone(ZoneId.systemDefault());
        }
        if (v instanceof Timestamp t && zoned) {
            return t.toInstant().atZone(ZoneId.systemDefault());
        }
        return toLocalDateTime(stored).atZone(ZoneId.systemDefault());
    }
}
