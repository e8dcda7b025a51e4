package dev.cacheops.stress;

import java.util.Arrays;

/**
 * What one reader thread saw: per row read, the id, the read's ticket, the version seen, the
 * wall-clock micros when the read started and the phase of the run (for fault tests). Compact
 * (five longs per row) and append-only; {@link #drainBefore} lets a long run check and forget old
 * reads. Thread-safe (one writer thread, a checker draining).
 */
public final class ReadLog {
    static final int STRIDE = 5;
    private long[] data = new long[STRIDE * 1024];
    private int size;

    /** Records one row of a read. */
    public synchronized void add(int id, long ticket, long version, long startMicros, int phase) {
        if (size + STRIDE > data.length) {
            data = Arrays.copyOf(data, data.length * 2);
        }
        data[size] = id;
        data[size + 1] = ticket;
        data[size + 2] = version;
        data[size + 3] = startMicros;
        data[size + 4] = phase;
        size += STRIDE;
    }

    /** Removes and returns the records whose read started before {@code micros} (they are in order). */
    public synchronized long[] drainBefore(long micros) {
        int n = 0;
        while (n < size && data[n + 3] < micros) {
            n += STRIDE;
        }
        long[] out = Arrays.copyOf(data, n);
        System.arraycopy(data, n, data, 0, size - n);
        size -= n;
        return out;
    }

    /** Removes and returns every record. */
    public long[] drainAll() {
        return drainBefore(Long.MAX_VALUE);
    }
}
