package dev.cacheops.stress;

import java.util.List;

/**
 * The outcome of a whole run, every JVM summed. Immutable.
 *
 * @param settings the parent's settings
 * @param jvms     each JVM's result, the parent first
 */
public record StressReport(StressSettings settings, List<WorkerResult> jvms) {

    public long reads() {
        return jvms.stream().mapToLong(WorkerResult::reads).sum();
    }

    public long rowsChecked() {
        return jvms.stream().mapToLong(WorkerResult::rowsChecked).sum();
    }

    public long commits() {
        return jvms.stream().mapToLong(WorkerResult::commits).sum();
    }

    public long violations() {
        return jvms.stream().mapToLong(WorkerResult::violations).sum();
    }

    public long maxWindowMicros() {
        return jvms.stream().mapToLong(WorkerResult::maxWindowMicros).max().orElse(0);
    }

    public long errors() {
        return jvms.stream().mapToLong(WorkerResult::errors).sum();
    }

    public long finalMismatches() {
        return jvms.stream().mapToLong(WorkerResult::finalMismatches).sum();
    }

    public long maxLatencyMicros() {
        return jvms.stream().mapToLong(WorkerResult::maxLatencyMicros).max().orElse(0);
    }

    public double hitRatio() {
        long hits = jvms.stream().mapToLong(WorkerResult::hits).sum();
        long misses = jvms.stream().mapToLong(WorkerResult::misses).sum();
        return hits + misses == 0 ? 0 : (double) hits / (hits + misses);
    }

    /** A human summary, then every JVM's line and notes. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        b.append(String.format("mode=%s jvms=%d threads/jvm=%d writers/jvm=%d duration=%ds: reads=%d (rows checked %d) "
                        + "commits=%d violations=%d maxStaleWindow=%.3f ms hitRatio=%.3f errors=%d finalMismatches=%d "
                        + "maxLatency=%.1f ms%n",
                settings.consistency(), settings.jvms(), settings.threads(), settings.writers(),
                settings.duration().toSeconds(), reads(), rowsChecked(), commits(), violations(),
                maxWindowMicros() / 1000.0, hitRatio(), errors(), finalMismatches(), maxLatencyMicros() / 1000.0));
        for (WorkerResult r : jvms) {
            b.append("  ").append(r.line()).append(String.format(" hitRatio=%.3f%n", r.hitRatio()));
            for (String n : r.notes()) {
                b.append("    ").append(n).append('\n');
            }
        }
        return b.toString();
    }
}
