package dev.cacheops.stress;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What the application saw, per phase: operations, exceptions thrown to it, wrong answers it could
 * tell at once (a missing row), and the largest latency of one cached operation. Thread-safe.
 */
public final class OpStats {
    private final AtomicLongArray reads = new AtomicLongArray(Phases.MAX);
    private final AtomicLongArray commits = new AtomicLongArray(Phases.MAX);
    private final AtomicLongArray errors = new AtomicLongArray(Phases.MAX);
    private final AtomicLongArray maxLatencyMicros = new AtomicLongArray(Phases.MAX);
    private final List<String> errorExamples = new CopyOnWriteArrayList<>();

    void read(int phase, long latencyNanos) {
        reads.incrementAndGet(phase);
        latency(phase, latencyNanos);
    }

    void commit(int phase, long latencyNanos) {
        commits.incrementAndGet(phase);
        latency(phase, latencyNanos);
    }

    void error(int phase, String what, Throwable e) {
        errors.incrementAndGet(phase);
        if (errorExamples.size() < 20) {
            errorExamples.add(Phases.name(phase) + ": " + what + ": " + e);
        }
    }

    private void latency(int phase, long nanos) {
        maxLatencyMicros.accumulateAndGet(phase, nanos / 1000, Math::max);
    }

    public long reads(int phase) {
        return reads.get(phase);
    }

    public long commits(int phase) {
        return commits.get(phase);
    }

    public long errors(int phase) {
        return errors.get(phase);
    }

    public long maxLatencyMicros(int phase) {
        return maxLatencyMicros.get(phase);
    }

    public long reads() {
        return sum(reads);
    }

    public long commits() {
        return sum(commits);
    }

    public long errors() {
        return sum(errors);
    }

    public long maxLatencyMicros() {
        long m = 0;
        for (int i = 0; i < Phases.MAX; i++) {
            m = Math.max(m, maxLatencyMicros.get(i));
        }
        return m;
    }

    public List<String> errorExamples() {
        return List.copyOf(errorExamples);
    }

    private static long sum(AtomicLongArray a) {
        long s = 0;
        for (int i = 0; i < a.length(); i++) {
            s += a.get(i);
        }
        return s;
    }
}
