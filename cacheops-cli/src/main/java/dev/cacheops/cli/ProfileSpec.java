package dev.cacheops.cli;

import dev.cacheops.Cacheops;
import dev.cacheops.config.Values;
import dev.cacheops.Op;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

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
        return new ProfileSpec(pattern, ops(text, rest.substring(0, colon)), Values.duration("profile '" + text + "'", rest.substring(colon + 1)),
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
