package dev.cacheops.stress;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one JVM's {@link WindowProbe} measured, and its one-line text form ({@code NEAR k=v ...})
 * by which a forked JVM reports it. Immutable (the histograms are not shared after construction).
 *
 * @param cross       per commit of another JVM: how long after it returned this JVM still read the
 *                    old value (0 when the first read that started after it saw the new value); an
 *                    upper bound, up to the end of the first read that saw the new value
 * @param crossSeen   the same commits' lower bound: how long after the commit returned the last read
 *                    that still saw the old value started (0 when none did); the true window lies
 *                    between the two, and their gap is the probe's resolution (its sweep)
 * @param own         the same for this JVM's own commits
 * @param crossLate   commits of another JVM whose old value a read still returned when it started
 *                    more than the bound after the commit had returned
 * @param ownStale    commits of this JVM whose old value a read returned at all after the commit
 *                    had returned (the writing instance reads its own writes: must be 0)
 * @param unobserved  commits the probe stopped too soon to see (the last ones of the run)
 * @param regressions reads that saw a row's version go back from one sweep to the next, started after
 *                    the newer version's commit had returned (must be 0)
 * @param regressionsInWindow the same, started before it had returned (RELAXED allows them)
 * @param sweeps      sweeps over every row
 * @param sweepMicros the mean time from one sweep's start to the next one's: the resolution
 */
public record NearWindows(WindowHistogram cross, WindowHistogram crossSeen, WindowHistogram own, long crossLate, long ownStale, long unobserved,
                          long regressions, long regressionsInWindow, long sweeps, long sweepMicros) {

    /** The {@code NEAR} line. */
    public String line() {
        return String.format("NEAR crossLate=%d ownStale=%d unobserved=%d regressions=%d regressionsInWindow=%d"
                        + " sweeps=%d sweepMicros=%d cross=%s crossSeen=%s own=%s", crossLate, ownStale, unobserved,
                regressions, regressionsInWindow, sweeps, sweepMicros,
                cross.toText(), crossSeen.toText(), own.toText());
    }

    /** The {@code NEAR} line among {@code output}, or null when there is none. */
    public static NearWindows parse(List<String> output) {
        for (String line : output) {
            if (line.startsWith("NEAR ")) {
                Map<String, String> v = new TreeMap<>();
                for (String kv : line.substring(5).trim().split(" ")) {
                    String[] p = kv.split("=", 2);
                    v.put(p[0], p[1]);
                }
                return new NearWindows(WindowHistogram.parse(v.get("cross")),
                        WindowHistogram.parse(v.get("crossSeen")), WindowHistogram.parse(v.get("own")),
                        Long.parseLong(v.get("crossLate")), Long.parseLong(v.get("ownStale")),
                        Long.parseLong(v.get("unobserved")), Long.parseLong(v.get("regressions")),
                        Long.parseLong(v.get("regressionsInWindow")), Long.parseLong(v.get("sweeps")), Long.parseLong(v.get("sweepMicros")));
            }
        }
        return null;
    }

    /** Every JVM's measurements together (sweep time averaged); null when {@code all} is empty. */
    public static NearWindows merge(List<NearWindows> all) {
        if (all.isEmpty()) {
            return null;
        }
        return new NearWindows(WindowHistogram.merge(all.stream().map(NearWindows::cross).toList()),
                WindowHistogram.merge(all.stream().map(NearWindows::crossSeen).toList()),
                WindowHistogram.merge(all.stream().map(NearWindows::own).toList()),
                all.stream().mapToLong(NearWindows::crossLate).sum(),
                all.stream().mapToLong(NearWindows::ownStale).sum(),
                all.stream().mapToLong(NearWindows::unobserved).sum(),
                all.stream().mapToLong(NearWindows::regressions).sum(),
                all.stream().mapToLong(NearWindows::regressionsInWindow).sum(),
                all.stream().mapToLong(NearWindows::sweeps).sum(),
                (long) all.stream().mapToLong(NearWindows::sweepMicros).average().orElse(0));
    }

    /** One human line. */
    public String describe() {
        return String.format("cross-JVM staleness window over %,d commits: p50 %,d us, p99 %,d us, max %,d us"
                        + " (lower bound, the last stale read's start: p50 %,d us, p99 %,d us, max %,d us); "
                        + "commits still read stale past the bound: %d; own commits read stale: %d (own window "
                        + "max %,d us over %,d); version regressions: %d (and %d read before the newer version's"
                        + " commit returned); unobserved: %d; probe sweep %,d us",
                cross.count(), cross.percentile(0.50), cross.percentile(0.99), cross.max(),
                crossSeen.percentile(0.50), crossSeen.percentile(0.99), crossSeen.max(), crossLate, ownStale,
                own.max(), own.count(), regressions, regressionsInWindow, unobserved, sweepMicros);
    }
}
