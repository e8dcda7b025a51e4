package dev.cacheops.bench.report;

/**
 * One target of the issue, with what was measured.
 *
 * @param goal     the target in words, e.g. {@code page hit >= 3x faster than PostgreSQL}
 * @param measured the measured value in words
 * @param status   {@code PASS}, {@code MISS}, or {@code NOT MEASURED} when a result is missing
 */
public record Target(String goal, String measured, String status) {
    /** A target that was measured. */
    static Target of(String goal, String measured, boolean pass) {
        return new Target(goal, measured, pass ? "PASS" : "MISS");
    }

    /** A target whose inputs are missing from this run. */
    static Target missing(String goal) {
        return new Target(goal, "n/a", "NOT MEASURED");
    }
}
