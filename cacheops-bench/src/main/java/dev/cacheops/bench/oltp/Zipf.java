package dev.cacheops.bench.oltp;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Draws 1..n with probability proportional to {@code 1 / rank^s}: a few keys are hot, most are
 * cold, as in real traffic. Immutable and thread-safe (the caller brings its random source).
 */
final class Zipf {
    private final double[] cdf;

    Zipf(int n, double s) {
        cdf = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += 1 / Math.pow(i + 1, s);
            cdf[i] = sum;
        }
        for (int i = 0; i < n; i++) {
            cdf[i] /= sum;
        }
    }

    /** A draw in 1..n. */
    int next(SplittableRandom rnd) {
        int i = Arrays.binarySearch(cdf, rnd.nextDouble());
        return Math.min(cdf.length, (i >= 0 ? i : -i - 1) + 1);
    }
}
