package dev.cacheops.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the value formats of the {@code cacheops.*} keys, the way Spring Boot reads them, so one
 * file serves the driver and the starter. Every failure is an {@link IllegalArgumentException}
 * naming the key and the value. Stateless and thread-safe.
 */
public final class Values {
    private static final Pattern SIMPLE_DURATION = Pattern.compile("(-?\\d+)\\s*(ns|us|ms|s|m|h|d)?");
    private static final Pattern DATA_SIZE = Pattern.compile("(\\d+)\\s*(B|KB|MB|GB|TB)?");

    private Values() {
    }

    /**
     * A duration in Spring Boot's simple format ({@code 100ms}, {@code 15s}, {@code 15m},
     * {@code 1h}, {@code 2d}, also {@code ns} and {@code us}; a plain number is milliseconds) or
     * ISO-8601 ({@code PT15M}).
     *
     * @throws IllegalArgumentException naming {@code key} and {@code value} when it is neither
     */
    public static Duration duration(String key, String value) {
        String v = value.trim();
        Matcher m = SIMPLE_DURATION.matcher(v.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n;
            try {
                n = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                throw bad(key, value, "a duration such as 100ms, 15s, 15m, 1h, 2d or PT15M");
            }
            String unit = m.group(2) == null ? "ms" : m.group(2);
            return switch (unit) {
                case "ns" -> Duration.ofNanos(n);
                case "us" -> Duration.ofNanos(Math.multiplyExact(n, 1000L));
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(v);
        } catch (DateTimeParseException e) {
            throw bad(key, value, "a duration such as 100ms, 15s, 15m, 1h, 2d or PT15M");
        }
    }

    /**
     * A data size as Spring Boot reads it: a plain number of bytes, or a number with {@code B},
     * {@code KB}, {@code MB}, {@code GB} or {@code TB} (binary multiples: 1KB = 1024 bytes).
     *
     * @throws IllegalArgumentException naming {@code key} and {@code value}
     */
    public static long dataSize(String key, String value) {
        Matcher m = DATA_SIZE.matcher(value.trim().toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            throw bad(key, value, "a data size such as 8388608, 512KB or 8MB");
        }
        try {
            long n = Long.parseLong(m.group(1));
            int shift = switch (m.group(2) == null ? "B" : m.group(2)) {
                case "KB" -> 10;
                case "MB" -> 20;
                case "GB" -> 30;
                case "TB" -> 40;
                default -> 0;
            };
            if (shift > 0 && n > (Long.MAX_VALUE >> shift)) {
                throw bad(key, value, "a data size that fits in a long");
            }
            return n << shift;
        } catch (NumberFormatException e) {
            throw bad(key, value, "a data size that fits in a long");
        }
    }

    /** A whole number within {@code int} range. */
    public static int integer(String key, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw bad(key, value, "a whole number");
        }
    }

    /** {@code true} or {@code false}, case-insensitive; nothing else. */
    public static boolean bool(String key, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("true")) {
            return true;
        }
        if (v.equals("false")) {
            return false;
        }
        throw bad(key, value, "true or false");
    }

    /** A comma-separated list, items trimmed, empty items dropped; an empty value is an empty list. */
    public static List<String> list(String value) {
        List<String> items = new ArrayList<>();
        for (String s : value.split(",")) {
            if (!s.isBlank()) {
                items.add(s.trim());
            }
        }
        return items;
    }

    static IllegalArgumentException bad(String key, String value, String expected) {
        return new IllegalArgumentException(key + ": expected " + expected + ", was '" + value + "'");
    }
}
