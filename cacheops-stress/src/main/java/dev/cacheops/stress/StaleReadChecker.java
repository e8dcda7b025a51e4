package dev.cacheops.stress;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decides which reads were stale. A read of row {@code id} with ticket {@code t} that saw version
 * {@code v} is a <em>violation</em> when some commit of {@code id} recorded with a ticket smaller
 * than {@code t} wrote a version larger than {@code v}: that commit returned before the read
 * started (see the package documentation), so STRICT forbids the read. Its <em>window</em> is how
 * long, in wall-clock time, the oldest such commit had returned when the read started. A violation
 * whose window exceeds the <em>bound</em> ({@link StressSettings#staleBound()}) is also <em>late</em>:
 * RELAXED may serve an old value for a short while after a commit (with a near cache, until
 * Redis' report arrives), never that long after it, so a late stale read is a failure in every mode.
 *
 * <p>Rows from {@code bypassFrom} on are written only around the cache (a bypassing writer, see
 * {@link StressSettings#bypass()}): a stale read of one is within the change stream's window, not
 * a violation, unless its window exceeds the bound: then it is late.
 *
 * <p>Load the commit log with {@link #load} after every writer of every JVM has stopped (or, in a
 * long run, periodically: commits recorded after the load can only hide violations, never invent
 * them). Not thread-safe.
 */
public final class StaleReadChecker {
    /** Per phase: reads, violations, largest window. */
    private final long[] reads = new long[Phases.MAX];
    private final long[] violations = new long[Phases.MAX];
    private final long[] maxWindow = new long[Phases.MAX];
    private final long[] late = new long[Phases.MAX];
    private final long boundMicros;
    private final int bypassFrom;
    private long bypassStale;
    private final List<String> examples = new ArrayList<>();
    private Commits[] byId = new Commits[0];

    /** A checker with the default bound ({@link StressSettings#DEFAULT_STALE_BOUND}). */
    public StaleReadChecker() {
        this(StressSettings.DEFAULT_STALE_BOUND.toNanos() / 1000);
    }

    /** @param boundMicros a violation with a longer window is late */
    public StaleReadChecker(long boundMicros) {
        this(boundMicros, Integer.MAX_VALUE);
    }

    /**
     * @param boundMicros a violation with a longer window is late
     * @param bypassFrom  the first row written only around the cache ({@link Integer#MAX_VALUE}: none)
     */
    public StaleReadChecker(long boundMicros, int bypassFrom) {
        this.boundMicros = boundMicros;
        this.bypassFrom = bypassFrom;
    }

    /** Reloads every recorded commit. */
    public void load(Connection raw) throws SQLException {
        List<long[]> rows = new ArrayList<>();
        int maxId = 0;
        try (Statement s = raw.createStatement();
             ResultSet rs = s.executeQuery("select id, version, ticket, at_us from commit_log order by id, ticket")) {
            while (rs.next()) {
                rows.add(new long[] {rs.getInt(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)});
                maxId = Math.max(maxId, rs.getInt(1));
            }
        }
        Commits[] next = new Commits[maxId + 1];
        int i = 0;
        while (i < rows.size()) {
            int id = (int) rows.get(i)[0];
            int j = i;
            while (j < rows.size() && rows.get(j)[0] == id) {
                j++;
            }
            next[id] = new Commits(rows.subList(i, j));
            i = j;
        }
        byId = next;
    }

    /** Checks records as written by {@link ReadLog}. */
    public void check(long[] records) {
        for (int r = 0; r + ReadLog.STRIDE <= records.length; r += ReadLog.STRIDE) {
            int id = (int) records[r];
            long ticket = records[r + 1];
            long seen = records[r + 2];
            long start = records[r + 3];
            int phase = (int) records[r + 4];
            reads[phase]++;
            Commits c = id < byId.length ? byId[id] : null;
            if (c == null) {
                continue;
            }
            int before = c.countBefore(ticket);
            if (before == 0 || c.prefixMax[before - 1] <= seen) {
                continue;
            }
            long oldestReturn = c.oldestReturnAbove(before, seen);
            long window = start - oldestReturn;
            boolean bypassed = id >= bypassFrom;
            if (bypassed) {
                bypassStale++;
            } else {
                violations[phase]++;
                maxWindow[phase] = Math.max(maxWindow[phase], window);
            }
            if (window > boundMicros) {
                late[phase]++;
            }
            if (examples.size() < 20 && (!bypassed || window > boundMicros)) {
                examples.add(String.format("phase=%s id=%d%s read(ticket=%d) saw version %d, but version %d had "
                        + "committed (ticket < %d) and returned %.3f ms before the read started",
                        Phases.name(phase), id, bypassed ? " (bypassing writer)" : "", ticket, seen,
                        c.prefixMax[before - 1], ticket, window / 1000.0));
            }
        }
    }

    public long reads() {
        return Arrays.stream(reads).sum();
    }

    public long violations() {
        return Arrays.stream(violations).sum();
    }

    /** Stale reads of bypassed rows, within the bound or not (not violations; see the class documentation). */
    public long bypassStale() {
        return bypassStale;
    }

    /** Violations and stale reads of bypassed rows whose window exceeded the bound, over all phases. */
    public long late() {
        return Arrays.stream(late).sum();
    }

    /** Largest window in micros over all phases (0 when no violation). */
    public long maxWindowMicros() {
        return Arrays.stream(maxWindow).max().orElse(0);
    }

    public long reads(int phase) {
        return reads[phase];
    }

    public long violations(int phase) {
        return violations[phase];
    }

    public long maxWindowMicros(int phase) {
        return maxWindow[phase];
    }

    /** Up to 20 violations described in words. */
    public List<String> examples() {
        return List.copyOf(examples);
    }

    /** One row's commits in ticket order. */
    private static final class Commits {
        final long[] tickets;
        final long[] versions;
        final long[] prefixMax;
        final long[] at;

        Commits(List<long[]> rows) {
            int n = rows.size();
            tickets = new long[n];
            versions = new long[n];
            prefixMax = new long[n];
            at = new long[n];
            long max = Long.MIN_VALUE;
            for (int i = 0; i < n; i++) {
                long[] r = rows.get(i);
                versions[i] = r[1];
                tickets[i] = r[2];
                at[i] = r[3];
                max = Math.max(max, r[1]);
                prefixMax[i] = max;
            }
        }

        /** How many commits have a ticket smaller than {@code ticket}. */
        int countBefore(long ticket) {
            int i = Arrays.binarySearch(tickets, ticket);
            return i >= 0 ? i : -i - 1;
        }

        /** The earliest return time among the first {@code n} commits that wrote more than {@code seen}. */
        long oldestReturnAbove(int n, long seen) {
            long oldest = Long.MAX_VALUE;
            for (int i = 0; i < n; i++) {
                if (versions[i] > seen) {
                    oldest = Math.min(oldest, at[i]);
                }
            }
            return oldest;
        }
    }
}
