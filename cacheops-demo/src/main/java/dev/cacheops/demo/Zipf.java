package dev.cacheops.demo;

import java.util.Arrays;
import java.util.Random;

/**
 * Draws ranks {@code 1..n} with probability proportional to {@code 1 / rank^s}, so a few keys are
 * hot and most are cold, the shape real read traffic has. Immutable; the caller owns the random.
 */
final class Zipf {
    private final double[] cumulative;

    Zipf(int n, double s) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1, was " + n);
        }
        cumulative = new double[n];
        double sum = 0;
        for (int k = 1; k <= n; k++) {
            sum += 1 / Math.pow(k, s);
            cumulative[k - 1] = sum;
        }
        for (int i = 0; i < n; i++) {
            cumulative[i] /= sum;
        }
    }

    /** A rank in {@code 1..n}. */
    int next(Random random) {
        int i = Arrays.binarySearch(cumulative, random.nextDouble());
        // binarySearch returns -(insertion point) - 1 for a miss; the insertion point is the rank's index
        int index = i >= 0 ? i : -i - 1;
        return Math.min(index, cumulative.length - 1) + 1;
    }
}
