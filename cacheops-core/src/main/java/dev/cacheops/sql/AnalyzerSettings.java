package dev.cacheops.sql;

import java.util.Set;

/**
 * Limits and function lists for {@link StatementAnalyzer}. Immutable.
 *
 * @param inListLimit       an {@code IN} list (or array parameter, checked by the engine) with more
 *                          values than this narrows nothing
 * @param maxLength         statements longer than this (in chars) are not parsed; nor are statements
 *                          of more than {@code maxLength / 10} tokens, since parsing time grows with
 *                          the token count (long IN lists, long AND/OR chains)
 * @param maxDepth          statements nesting brackets deeper than this are not parsed
 * @param safeFunctions     extra function names (lower case) the application declares deterministic
 *                          and free of hidden table reads
 * @param volatileFunctions extra function names that make a read uncacheable
 */
public record AnalyzerSettings(int inListLimit, int maxLength, int maxDepth,
                               Set<String> safeFunctions, Set<String> volatileFunctions) {
    /** The defaults: 16 values, 100,000 chars, depth 100, no extra functions. */
    public static final AnalyzerSettings DEFAULTS =
            new AnalyzerSettings(16, 100_000, 100, Set.of(), Set.of());

    public AnalyzerSettings {
        if (inListLimit < 1) {
            throw new IllegalArgumentException("inListLimit must be at least 1, was " + inListLimit);
        }
        if (maxLength < 100) {
            throw new IllegalArgumentException("maxLength must be at least 100, was " + maxLength);
        }
        if (maxDepth < 10) {
            throw new IllegalArgumentException("maxDepth must be at least 10, was " + maxDepth);
        }
        safeFunctions = Set.copyOf(safeFunctions);
        volatileFunctions = Set.copyOf(volatileFunctions);
    }
}
