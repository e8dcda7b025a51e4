package dev.cacheops.cli;

import dev.cacheops.Cacheops;
import dev.cacheops.Op;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A profile as written on the command line: {@code pattern=ops:timeout}, e.g. {@code post=all:15m},
 * {@code auth_*=get,fetch:1h}, {@code *=count:5m}, {@code tag=none:10m} (manual only) or
 * {@code audit_log=disabled}. Timeouts: {@code 500ms}, {@code 30s}, {@code 15m}, {@code 1h},
 * {@code 2d} or ISO-8601 ({@code PT15M}). Immutable.
 *
 * @param pattern  the table pattern, as in {@link Cacheops.Builder#profile}
 * @param ops      the ops cached automatically
 * @param timeout  the timeout, or null when disabled
 * @param disabled whether the tables are never cached
 */
record ProfileSpec(String pattern, Set<Op> ops, Duration timeout, boolean disabled) {
    private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    /**
     * Parses one {@code --profile} value.
     *
     * @throws IllegalArgumentException naming the value and what is wrong with it
     */
    static ProfileSpec parse(String text) {
        int eq = text.lastIndexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("profile '" + text + "': expected pattern=ops:timeout, e.g. post=all:15m");
        }
        String pattern = text.substring(0, eq).trim();
        String rest = text.substring(eq + 1).trim();
        if (rest.equalsIgnoreCase("disabled")) {
            return new ProfileSpec(pattern, Set.of(), null, true);
        }
        int colon = rest.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("profile '" + text + "': missing ':timeout', e.g. post=all:15m");
        }
        return new ProfileSpec(pattern, ops(text, rest.substring(0, colon)), duration(text, rest.substring(colon + 1)),
                false);
    }

    private static Set<Op> ops(String text, String list) {
        Set<Op> ops = EnumSet.noneOf(Op.class);
        for (String o : list.split(",")) {
            String name = o.trim().toUpperCase(Locale.ROOT);
            if (name.equals("ALL")) {
                ops.addAll(Op.ALL);
            } else if (!name.equals("NONE")) {
                try {
                    ops.add(Op.valueOf(name));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("profile '" + text + "': unknown op '" + o
                            + "' (all, none, get, fetch, count, aggregate, exists)", e);
                }
            }
        }
        return ops;
    }

    /** A duration in the short form ({@code 15m}) or ISO-8601. */
    static Duration duration(String context, String text) {
        Matcher m = SHORT.matcher(text.trim());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + context + "': bad duration '" + text + "' (e.g. 30s, 15m, 1h, PT15M)", e);
        }
    }

    /** Adds this profile to a builder. */
    void addTo(Cacheops.Builder builder) {
        if (disabled) {
            builder.disable(pattern);
        } else {
            builder.profile(pattern, ops, timeout);
        }
    }

    /** As written: {@code pattern=ops:timeout}. */
    @Override
    public String toString() {
        return pattern + "=" + (disabled ? "disabled" : (ops.isEmpty() ? "none" : ops.toString()) + ":" + timeout);
    }
}
