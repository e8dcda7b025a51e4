package dev.cacheops.stress;

import java.util.Arrays;

/**
 * How long this JVM's threads waited for a core: a daemon thread sleeps 1 ms at a time and records
 * every wake-up that came more than {@value #MIN_MICROS} µs late (the idea of jHiccup). A report
 * that drops a near-cache copy is handled on a Lettuce event-loop thread, which a starved machine
 * delays like this one; so a late stale read that coincides with a stall of this size is a
 * measurement of the machine, not of the cache. Thread-safe.
 */
public final class Stalls implements AutoCloseable {
    static final long MIN_MICROS = 5_000;
    private long[] at = new long[256];
    private long[] length = new long[256];
    private int size;
    private final Thread thread;
    private volatile boolean stopped;

    /** Starts measuring. */
    public Stalls() {
        thread = new Thread(this::run, "stress-stalls");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (!stopped) {
            long before = System.nanoTime();
            long startMicros = CommitLog.nowMicros();
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                return;
            }
            long late = (System.nanoTime() - before) / 1000 - 1000;
            if (late > MIN_MICROS) {
                add(startMicros, late);
            }
        }
    }

    private synchronized void add(long startMicros, long lateMicros) {
        if (size == at.length) {
            at = Arrays.copyOf(at, size * 2);
            length = Arrays.copyOf(length, size * 2);
        }
        at[size] = startMicros;
        length[size] = lateMicros;
        size++;
    }

    /** The longest stall that overlaps {@code [fromMicros, toMicros]} (wall clock), 0 when none. */
    public synchronized long longestBetween(long fromMicros, long toMicros) {
        long longest = 0;
        for (int i = 0; i < size; i++) {
            if (at[i] <= toMicros && at[i] + length[i] + 1000 >= fromMicros) {
                longest = Math.max(longest, length[i]);
            }
        }
        return longest;
    }

    /** One line: how many stalls, how many longer than {@code boundMicros}, the longest. */
    public synchronized String describe(long boundMicros) {
        long over = 0;
        long longest = 0;
        for (int i = 0; i < size; i++) {
            over += length[i] > boundMicros ? 1 : 0;
            longest = Math.max(longest, length[i]);
        }
        return String.format("stalls of this JVM (a 1 ms sleep woken more than %d ms late): %d, %d longer than %d ms,"
                + " longest %.1f ms", MIN_MICROS / 1000, size, over, boundMicros / 1000, longest / 1000.0);
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
    }
}
