package dev.cacheops.stress;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Measures the near cache's staleness window as seen from one JVM. One thread sweeps every row
 * through the cache with the readers' primary-key read, pausing {@value #PAUSE_MICROS} µs between
 * sweeps, and keeps only the changes: for each row, each version it started to see, when the first
 * read that saw it started and ended, and when the read before it started. It takes no tickets
 * (a near hit costs microseconds; a ticket costs a database round trip and would blur the window),
 * so {@link #evaluate} trusts the wall clock, which every JVM of one host shares. The ticketed
 * readers and {@link StaleReadChecker} still decide violations without trusting it.
 *
 * <p>For a commit of row {@code id} with version {@code v} that returned at {@code T}:
 * <ul>
 *   <li>its <em>window</em> is 0 when the first read of the row that started after {@code T} saw
 *       {@code v} or later, else the end of the first read that did, minus {@code T} (so it is
 *       overstated by at most one sweep); the start of the last read that still saw an older
 *       version, minus {@code T}, is reported beside it as a lower bound;</li>
 *   <li>it is <em>late</em> when a read that started more than the bound after {@code T} still saw
 *       an older version (or the probe never saw {@code v} though it read the row that late).</li>
 * </ul>
 *
 * <p>{@link #run} on one thread; {@link #evaluate} after that thread ended (joined).
 */
public final class WindowProbe {
    static final long PAUSE_MICROS = 100;
    /** Per change: version, start and end of the first read that saw it, start of the read before (-1: none). */
    private static final int STRIDE = 4;

    private final long[][] changes;
    private final int[] sizes;
    private final long[] lastVersion;
    private final long[] lastStart;
    private final List<String> examples = new ArrayList<>();
    private Stalls stalls;
    /** Per read that saw a row go back: row, the newer version seen before, the older one, the read's start. */
    private final List<long[]> wentBack = new ArrayList<>();
    private long sweeps;
    private long firstStart;
    private long lastEnd;

    /** @param rows the rows are {@code 1..rows} */
    public WindowProbe(int rows) {
        changes = new long[rows + 1][STRIDE * 64];
        sizes = new int[rows + 1];
        lastVersion = new long[rows + 1];
        lastStart = new long[rows + 1];
        Arrays.fill(lastVersion, Long.MIN_VALUE);
        Arrays.fill(lastStart, -1);
    }

    /** Sweeps through {@code cached} while {@code running} says so. */
    public void run(Connection cached, BooleanSupplier running) throws SQLException {
        while (running.getAsBoolean()) {
            for (int id = 1; id < sizes.length; id++) {
                long start = CommitLog.nowMicros();
                long v = Workload.readOne(cached, id);
                seen(id, v, start, CommitLog.nowMicros());
            }
            sweeps++;
            LockSupport.parkNanos(PAUSE_MICROS * 1000);
        }
    }

    /** Notes one read of row {@code id} that started and ended at these wall-clock micros and saw {@code v}. */
    void seen(int id, long v, long start, long end) {
        if (v != lastVersion[id]) {
            if (v < lastVersion[id]) {
                wentBack.add(new long[] {id, lastVersion[id], v, start});
            }
            append(id, v, start, end, lastStart[id]);
            lastVersion[id] = v;
        }
        lastStart[id] = start;
        if (firstStart == 0) {
            firstStart = start;
        }
        lastEnd = end;
    }

    private void append(int id, long version, long start, long end, long previousStart) {
        if (sizes[id] + STRIDE > changes[id].length) {
            changes[id] = Arrays.copyOf(changes[id], changes[id].length * 2);
        }
        long[] c = changes[id];
        int n = sizes[id];
        c[n] = version;
        c[n + 1] = start;
        c[n + 2] = end;
        c[n + 3] = previousStart;
        sizes[id] = n + STRIDE;
    }

    /**
     * Judges every commit in {@code commit_log} against what the probe saw.
     *
     * @param raw         an uncached connection to the run's schema
     * @param jvm         this JVM's index (its own commits are judged apart)
     * @param boundMicros a stale read that starts later than this after the commit is late
     */
    public NearWindows evaluate(Connection raw, int jvm, long boundMicros) throws SQLException {
        List<long[]> commits = new ArrayList<>();
        try (Statement s = raw.createStatement();
             ResultSet rs = s.executeQuery("select id, version, at_us, jvm from commit_log")) {
            while (rs.next()) {
                commits.add(new long[] {rs.getInt(1), rs.getLong(2), rs.getLong(3), rs.getInt(4)});
            }
        }
        return evaluate(commits, jvm, boundMicros);
    }

    /**
     * Judges only the commits of the bypassing writers ({@link StressSettings#firstBypassId()} and
     * up), all as commits of another instance: no JVM's cache saw them, the change stream has to
     * invalidate them.
     */
    public NearWindows evaluateBypass(Connection raw, int firstBypassId, long boundMicros) throws SQLException {
        List<long[]> commits = new ArrayList<>();
        try (PreparedStatement ps = raw.prepareStatement("select id, version, at_us from commit_log where id >= ?")) {
            ps.setInt(1, firstBypassId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    commits.add(new long[] {rs.getInt(1), rs.getLong(2), rs.getLong(3), -1});
                }
            }
        }
        return evaluate(commits, Integer.MIN_VALUE, boundMicros);
    }

    /** As {@link #evaluate(Connection, int, long)}, each commit given as {id, version, returned at, jvm}. */
    NearWindows evaluate(List<long[]> commits, int jvm, long boundMicros) {
        WindowHistogram cross = new WindowHistogram();
        WindowHistogram crossSeen = new WindowHistogram();
        WindowHistogram own = new WindowHistogram();
        long crossLate = 0;
        long ownStale = 0;
        long unobserved = 0;
        for (long[] commit : commits) {
            int id = (int) commit[0];
            if (id >= sizes.length) {
                continue;
            }
            Judgement j = judge(id, commit[1], commit[2], boundMicros);
            if (j == null) {
                unobserved++;
            } else if (commit[3] == jvm) {
                own.record(j.window);
                ownStale += j.staleAfter ? 1 : 0;
            } else {
                cross.record(j.window);
                crossSeen.record(j.staleAfter ? j.lastStaleStart - commit[2] : 0);
                crossLate += j.late ? 1 : 0;
            }
            if ((j != null && j.late) || (j != null && commit[3] == jvm && j.staleAfter)) {
                describe(commit, j);
            }
        }
        // A row read going back counts only when the read started after the newer version's commit
        // had returned: before that, RELAXED promises nothing (two fills of one entry under the same
        // stamps, one of them from before the commit, may land in either order until the writer's
        // invalidation replaces those stamps, and the commit returns only after it).
        Map<Long, Long> returned = new HashMap<>();
        for (long[] commit : commits) {
            returned.put(versionKey(commit[0], commit[1]), commit[2]);
        }
        long regressions = 0;
        long regressionsInWindow = 0;
        for (long[] r : wentBack) {
            Long at = returned.get(versionKey(r[0], r[1]));
            if (at != null && r[3] <= at) {
                regressionsInWindow++;
            } else {
                regressions++;
                if (examples.size() < 20) {
                    examples.add(String.format("probe: row %d went back from version %d to %d in a read started %s",
                            r[0], r[1], r[2], at == null ? "(commit of the newer version not in the log)"
                                    : String.format("%.3f ms after the newer version's commit returned",
                                    (r[3] - at) / 1000.0)));
                }
            }
        }
        long sweepMicros = sweeps == 0 ? 0 : (lastEnd - firstStart) / sweeps;
        return new NearWindows(cross, crossSeen, own, crossLate, ownStale, unobserved, regressions, regressionsInWindow, sweeps,
                sweepMicros);
    }

    private static long versionKey(long id, long version) {
        return (id << 40) ^ version;
    }

    /** Names the stall meter whose longest stall around each late commit {@link #examples()} quote. */
    public void stalls(Stalls stalls) {
        this.stalls = stalls;
    }

    /** Up to 20 late (or own stale) commits in words, from the last {@link #evaluate}. */
    public List<String> examples() {
        return List.copyOf(examples);
    }

    private void describe(long[] commit, Judgement j) {
        if (examples.size() < 20) {
            examples.add(String.format("probe: row %d version %d (jvm %d) returned %.3f s into the probe's run;"
                            + " a read started %.3f ms later still saw an older version, the new one was read %.3f ms"
                            + " after the commit", commit[0], commit[1], commit[3], (commit[2] - firstStart) / 1e6,
                    j.lastStaleStart < 0 ? Double.NaN : (j.lastStaleStart - commit[2]) / 1000.0, j.window / 1000.0)
                    + (stalls == null ? "" : String.format("; longest stall of this JVM meanwhile: %.1f ms",
                            stalls.longestBetween(commit[2], commit[2] + j.window) / 1000.0)));
        }
    }

    /**
     * @param window         see the class documentation
     * @param staleAfter     a read that started after the commit returned saw an older version
     * @param late           one started more than the bound after it
     * @param lastStaleStart when the last read that saw an older version started, or -1
     */
    private record Judgement(long window, boolean staleAfter, boolean late, long lastStaleStart) { }

    /** Null when the probe stopped before it could tell. */
    private Judgement judge(int id, long version, long at, long bound) {
        long[] c = changes[id];
        int n = sizes[id] / STRIDE;
        // k: the change in effect when the commit returned (the last one whose first read started by then)
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (c[mid * STRIDE + 1] <= at) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        int k = lo - 1;
        if (k >= 0 && c[k * STRIDE] >= version) {
            return new Judgement(0, false, false, -1);
        }
        int j = k + 1;
        while (j < n && c[j * STRIDE] < version) {
            j++;
        }
        if (j == n) {
            // never seen: stale for as long as the probe read the row
            if (lastStart[id] > at + bound) {
                return new Judgement(lastStart[id] - at, true, true, lastStart[id]);
            }
            return null;
        }
        long previousStart = c[j * STRIDE + 3];
        boolean staleAfter = previousStart > at;
        long window = staleAfter ? c[j * STRIDE + 2] - at : 0;
        return new Judgement(window, staleAfter, previousStart > at + bound, previousStart);
    }
}
