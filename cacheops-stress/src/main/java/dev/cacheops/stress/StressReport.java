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

    /** Store operations that failed, over every JVM: each may be an invalidation lost (DEGRADE). */
    public long storeErrors() {
        return jvms.stream().mapToLong(WorkerResult::storeErrors).sum();
    }

    public long lateStale() {
        return jvms.stream().mapToLong(WorkerResult::lateStale).sum();
    }

    /**
     * Every JVM's window measurements together (of the near cache, or with a bypassing writer of
     * the change stream), or null without either.
     */
    public NearWindows near() {
        return NearWindows.merge(jvms.stream().map(WorkerResult::near).filter(java.util.Objects::nonNull).toList());
    }

    /**
     * Whether the run failed: a wrong final state or an exception in any mode; in STRICT any
     * stale read (of a row written through the cache); in every mode a late one (a stale read past
     * the bound), and with a near cache or a bypassing writer also a commit the probe still read
     * stale past the bound or an own commit read stale; with a near cache also a version read
     * going back.
     */
    public boolean failed() {
        if (finalMismatches() > 0 || errors() > 0) {
            return true;
        }
        if (settings.consistency() == dev.cacheops.Consistency.STRICT && violations() > 0) {
            return true;
        }
        NearWindows n = near();
        // Within the change stream's window a bypassed row may be read going back (a fill of a value
        // read before the bypassing commit lands after a later read); only the near cache promises
        // monotonic reads, and a copy that outlives the window is caught as late.
        return lateStale() > 0
                || (n != null && (n.crossLate() > 0 || n.ownStale() > 0
                        || (settings.nearCache() && n.regressions() > 0)));
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
        b.append(String.format("mode=%s%s jvms=%d threads/jvm=%d writers/jvm=%d duration=%ds: reads=%d (rows checked %d) "
                        + "commits=%d violations=%d (late, past %d ms: %d) maxStaleWindow=%.3f ms hitRatio=%.3f "
                        + "storeErrors=%d errors=%d finalMismatches=%d maxLatency=%.1f ms%n",
                settings.consistency(), settings.nearCache() ? "+near" : settings.bypass() ? "+bypass" : "", settings.jvms(), settings.threads(),
                settings.writers(), settings.duration().toSeconds(), reads(), rowsChecked(), commits(), violations(),
                settings.staleBound().toMillis(), lateStale(), maxWindowMicros() / 1000.0, hitRatio(), storeErrors(), errors(),
                finalMismatches(), maxLatencyMicros() / 1000.0));
        NearWindows windows = near();
        if (windows != null) {
            b.append(settings.bypass() ? "bypassing writes, until the change stream's invalidation is read: "
                    : "near cache: ").append(windows.describe()).append('\n');
        }
        for (WorkerResult r : jvms) {
            b.append("  ").append(r.line()).append(String.format(" hitRatio=%.3f%n", r.hitRatio()));
            if (r.near() != null) {
                b.append("    ").append(r.near().describe()).append('\n');
            }
            for (String n : r.notes()) {
                b.append("    ").append(n).append('\n');
            }
        }
        return b.toString();
    }
}
