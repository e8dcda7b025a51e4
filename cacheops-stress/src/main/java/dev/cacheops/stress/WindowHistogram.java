package dev.cacheops.stress;

import java.util.ArrayList;
import java.util.List;

/**
 * A distribution of durations in microseconds: one bucket for exactly 0, 10 µs wide buckets up to
 * 10 ms, 1 ms wide buckets up to 10 s, one bucket above; the exact count and maximum. Small enough to travel on one line
 * from a forked JVM ({@link #toText()}, {@link #parse}) and mergeable ({@link #add}), so the parent
 * reports percentiles over every JVM. Not thread-safe.
 */
public final class WindowHistogram {
    private static final int FINE = 1_000;
    private static final int COARSE = 9_990;
    private final long[] counts = new long[1 + FINE + COARSE + 1];
    private long count;
    private long max;

    /** Records one value (negative values count as 0). */
    public void record(long micros) {
        long v = Math.max(0, micros);
        counts[bucket(v)]++;
        count++;
        max = Math.max(max, v);
    }

    /** Adds every value of {@code other}. */
    public void add(WindowHistogram other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        count += other.count;
        max = Math.max(max, other.max);
    }

    public long count() {
        return count;
    }

    /** The largest value recorded, exactly; 0 when empty. */
    public long max() {
        return max;
    }

    /**
     * The value at quantile {@code q} (0 to 1), rounded up to its bucket's largest value (so
     * exact for 0, within 10 µs below 10 ms, within 1 ms below 10 s) and never above
     * {@link #max()}; 0 when empty.
     */
    public long percentile(double q) {
        if (count == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(q * count));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(upper(i), max);
            }
        }
        return max;
    }

    /** {@code count:max:bucket=n,bucket=n,...} (empty buckets left out). */
    public String toText() {
        StringBuilder b = new StringBuilder().append(count).append(':').append(max).append(':');
        String sep = "";
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] != 0) {
                b.append(sep).append(i).append('=').append(counts[i]);
                sep = ",";
            }
        }
        return b.toString();
    }

    /** Reads what {@link #toText()} wrote. */
    public static WindowHistogram parse(String text) {
        String[] parts = text.split(":", 3);
        WindowHistogram h = new WindowHistogram();
        h.count = Long.parseLong(parts[0]);
        h.max = Long.parseLong(parts[1]);
        if (!parts[2].isEmpty()) {
            for (String kv : parts[2].split(",")) {
                String[] p = kv.split("=", 2);
                h.counts[Integer.parseInt(p[0])] = Long.parseLong(p[1]);
            }
        }
        return h;
    }

    /** The sum of {@code all}. */
    public static WindowHistogram merge(List<WindowHistogram> all) {
        WindowHistogram h = new WindowHistogram();
        new ArrayList<>(all).forEach(h::add);
        return h;
    }

    private static int bucket(long v) {
        if (v <= 10_000) {
            return (int) ((v + 9) / 10);
        }
        if (v <= 10_000_000) {
            return FINE + 1 + (int) ((v - 10_001) / 1_000);
        }
        return FINE + COARSE + 1;
    }

    /** The largest value of {@code bucket}. */
    private static long upper(int bucket) {
        if (bucket <= FINE) {
            return bucket * 10L;
        }
        if (bucket <= FINE + COARSE) {
            return 10_000 + (bucket - FINE) * 1_000L;
        }
        return Long.MAX_VALUE;
    }
}
