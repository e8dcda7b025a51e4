package dev.cacheops;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * The kinds of read that a table profile can cache automatically.
 *
 * <p>Every cacheable {@code SELECT} is classified as exactly one of these; a profile lists the
 * ones it caches without being asked (see {@link Cacheops.Builder#profile}).
 */
public enum Op {
    /** A select that returns at most one row: equality on a primary or unique key, or {@code limit 1}. */
    GET,
    /** Any other select of rows. */
    FETCH,
    /** {@code select count(*)} (or {@code count(col)}) without {@code group by}. */
    COUNT,
    /** Other aggregates, {@code group by}, {@code distinct} aggregates. */
    AGGREGATE,
    /** {@code select exists(...)}, or {@code select 1 ... limit 1}. */
    EXISTS;

    /** All five operations; immutable. */
    public static final Set<Op> ALL = Collections.unmodifiableSet(EnumSet.allOf(Op.class));
}
