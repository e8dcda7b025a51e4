package dev.cacheops.checker;

import java.util.Objects;

/**
 * Decides whether the result served through the cache equals the database's own. Stateless.
 *
 * <p>Ordered reads compare row by row; reads without a total order compare as multisets. Two
 * failed reads are equal (the statement is wrong either way); one failed and one not is a
 * mismatch.
 */
final class ResultComparator {
    private ResultComparator() {
    }

    /** True when {@code cached} and {@code direct} are the same result. */
    static boolean same(ResultRows cached, ResultRows direct, boolean ordered) {
        if (cached.error() != null || direct.error() != null) {
            return cached.error() != null && direct.error() != null;
        }
        if (!cached.labels().equals(direct.labels())) {
            return false;
        }
        return ordered ? cached.rows().equals(direct.rows())
                : Objects.equals(cached.sortedRows(), direct.sortedRows());
    }
}
