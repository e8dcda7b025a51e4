package dev.cacheops;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What is cached for the tables matching a pattern: which reads automatically, and for how long.
 * A profile with no ops allows manual caching only; a disabled profile forbids even that.
 *
 * @param pattern  {@code table}, {@code schema.table}, {@code prefix_*}, {@code schema.*} or {@code *},
 *                 matched case-insensitively against the canonical {@code schema.table} name and
 *                 against the bare table name
 * @param ops      the operations cached automatically
 * @param timeout  how long a result stays cached
 * @param disabled true when the tables must never be cached
 * @param lockWait when set, concurrent misses of one result wait (at most this long) for the one
 *                 caller that computes it, instead of all reading the database (dog-pile lock)
 */
public record Profile(String pattern, Set<Op> ops, Duration timeout, boolean disabled, Duration lockWait) {
    public Profile {
        Objects.requireNonNull(pattern, "pattern");
        if (pattern.isBlank()) {
            throw new IllegalArgumentException("profile pattern must not be blank");
        }
        ops = ops.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(ops));
        Objects.requireNonNull(timeout, "timeout");
        if (lockWait != null && (lockWait.isNegative() || lockWait.isZero())) {
            throw new IllegalArgumentException("profile '" + pattern + "': lock wait must be positive, was " + lockWait);
        }
        if (!disabled && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("profile '" + pattern + "': timeout must be positive, was " + timeout);
        }
    }
}
