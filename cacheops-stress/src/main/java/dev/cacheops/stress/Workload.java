package dev.cacheops.stress;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

/**
 * The counter workload of one JVM. Writers alternate between auto-commit increments of the rows
 * they own ({@code update counter set version = version + 1 where id = ?}) and transactions over
 * one to three shared rows (increment each, read the new versions back inside the transaction,
 * commit, or now and then roll back); every commit is recorded in the {@link CommitLog} after it
 * returned. Readers take a ticket, then read one row ({@code select version from counter where
 * id = ?}) or two ({@code ... where id in (?, ?)}) through the cache, and log what they saw.
 *
 * <p>With a near cache ({@link StressSettings#nearCache()}) one more thread runs a
 * {@link WindowProbe}, until {@value #PROBE_TAIL_MILLIS} ms after the end so that it sees the
 * last commits.
 *
 * <p>With a bypassing writer ({@link StressSettings#bypass()}) one more thread increments rows of
 * its own in auto-commit through a plain, unwrapped connection (as psql or another service would),
 * and a {@link WindowProbe} runs as for the near cache: it measures how long after such a commit
 * the cache still served the old version, that is, the change stream's window.
 *
 * <p>Every loop is bounded by the end time and by {@link StressSettings#maxOpsPerThread()}.
 * Thread-safe: {@link #phase(int)} and {@link #stop()} may be called from any thread.
 */
public final class Workload {
    private static final String READ_ONE = "select version from counter where id = ?";
    private static final String READ_TWO = "select id, version from counter where id in (?, ?) order by id";
    private static final String INCREMENT = "update counter set version = version + 1 where id = ?";
    static final long PROBE_TAIL_MILLIS = 500;

    private final StressSettings settings;
    private final DataSource writerSide;
    private final DataSource readerSide;
    private final StressSchema schema;
    private final OpStats stats = new OpStats();
    private final List<ReadLog> readLogs = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final WindowProbe probe;
    private volatile int phase;
    private volatile boolean stopped;
    private volatile long endNanos;

    public Workload(StressSettings settings, DataSource cached, StressSchema schema) {
        this(settings, cached, cached, schema);
    }

    /**
     * Writers on one wrapped data source, readers on another: two application instances (two
     * {@code Cacheops}) sharing one Redis, in one JVM.
     */
    public Workload(StressSettings settings, DataSource writerSide, DataSource readerSide, StressSchema schema) {
        this.settings = settings;
        this.writerSide = writerSide;
        this.readerSide = readerSide;
        this.schema = schema;
        this.probe = settings.nearCache() || settings.bypass() ? new WindowProbe(settings.rows()) : null;
    }

    /** Starts the threads; they stop by themselves after the settings' duration. */
    public void start() {
        endNanos = System.nanoTime() + settings.duration().toNanos();
        for (int w = 0; w < settings.writers(); w++) {
            int local = w;
            threads.add(thread("writer-" + w, () -> write(local)));
        }
        if (settings.bypass()) {
            threads.add(thread("bypass-writer", this::bypassWrite));
        }
        for (int r = 0; r < settings.threads() - settings.writers(); r++) {
            ReadLog log = new ReadLog();
            synchronized (readLogs) {
                readLogs.add(log);
            }
            threads.add(thread("reader-" + r, () -> read(log)));
        }
        if (probe != null) {
            long until = endNanos + PROBE_TAIL_MILLIS * 1_000_000L;
            threads.add(thread("probe", () -> {
                try (Connection c = readerSide.getConnection()) {
                    probe.run(c, () -> !stopped && System.nanoTime() < until);
                }
            }));
        }
        threads.forEach(Thread::start);
    }

    /** Tags what happens from now on with {@code phase} (see {@link Phases}). */
    public void phase(int phase) {
        this.phase = phase;
    }

    /** Asks every thread to stop after its current operation. */
    public void stop() {
        stopped = true;
    }

    /**
     * Waits for the threads to end (bounded: duration plus {@code graceMillis}).
     *
     * @return false when some thread is still running
     */
    public boolean await(long graceMillis) throws InterruptedException {
        long deadline = endNanos + graceMillis * 1_000_000L;
        for (Thread t : threads) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            t.join(Math.max(1, left));
        }
        return threads.stream().noneMatch(Thread::isAlive);
    }

    /** True while some thread runs. */
    public boolean alive() {
        return threads.stream().anyMatch(Thread::isAlive);
    }

    /** The near cache's window probe (read it once {@link #await} returned true), or null without one. */
    public WindowProbe probe() {
        return probe;
    }

    public OpStats stats() {
        return stats;
    }

    /** Every reader's log. */
    public List<ReadLog> readLogs() {
        synchronized (readLogs) {
            return List.copyOf(readLogs);
        }
    }

    private boolean running(long ops) {
        return !stopped && ops < settings.maxOpsPerThread() && System.nanoTime() < endNanos;
    }

    private Thread thread(String name, ThrowingRunnable body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Exception | Error e) {
                stats.error(phase, Thread.currentThread().getName() + " died", e);
            }
        }, "stress-" + settings.jvmIndex() + "-" + name);
        t.setDaemon(true);
        return t;
    }

    private void write(int local) throws SQLException {
        int first = settings.firstOwnedId(local);
        long[] owned = new long[StressSettings.OWNED_PER_WRITER];
        resync(first, owned);
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        try (CommitLog log = new CommitLog(schema.raw(), settings.jvmIndex());
             Connection c = writerSide.getConnection()) {
            for (long ops = 0; running(ops); ops++) {
                int p = phase;
                try {
                    if (rnd.nextBoolean()) {
                        int k = rnd.nextInt(owned.length);
                        autoCommitIncrement(c, log, first + k, owned, k, p);
                    } else {
                        transaction(c, log, rnd, p);
                    }
                } catch (SQLException | RuntimeException e) {
                    stats.error(p, "write", e);
                    recover(c);
                    resync(first, owned);
                }
                StressSchema.sleep(1 + rnd.nextInt(3));
            }
        }
    }

    /** Auto-commit increments of this JVM's bypass rows, on a connection that no Cacheops wraps. */
    private void bypassWrite() throws SQLException {
        int first = settings.firstOwnedBypassId();
        long[] owned = new long[StressSettings.OWNED_PER_WRITER];
        resync(first, owned);
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        try (CommitLog log = new CommitLog(schema.raw(), settings.jvmIndex());
             Connection c = schema.raw()) {
            for (long ops = 0; running(ops); ops++) {
                int p = phase;
                int k = rnd.nextInt(owned.length);
                try {
                    autoCommitIncrement(c, log, first + k, owned, k, p);
                } catch (SQLException | RuntimeException e) {
                    stats.error(p, "bypassing write", e);
                    resync(first, owned);
                }
                // Slower than the wrapped writers: each commit is a window to measure, not load.
                StressSchema.sleep(5 + rnd.nextInt(10));
            }
        }
    }

    private void autoCommitIncrement(Connection c, CommitLog log, int id, long[] owned, int k, int p)
            throws SQLException {
        long t0 = System.nanoTime();
        try (PreparedStatement ps = c.prepareStatement(INCREMENT)) {
            ps.setInt(1, id);
            if (ps.executeUpdate() != 1) {
                throw new IllegalStateException("row " + id + " not updated");
            }
        }
        long at = CommitLog.nowMicros();
        stats.commit(p, System.nanoTime() - t0);
        owned[k]++;
        log.committed(new int[] {id}, new long[] {owned[k]}, at);
    }

    private void transaction(Connection c, CommitLog log, ThreadLocalRandom rnd, int p) throws SQLException {
        int[] ids = rnd.ints(1, StressSettings.SHARED_IDS + 1).distinct().limit(1 + rnd.nextInt(3)).sorted().toArray();
        long[] versions = new long[ids.length];
        long t0 = System.nanoTime();
        c.setAutoCommit(false);
        try {
            if (rnd.nextInt(4) == 0) {
                // A clean read before the first write may be served from the cache: harmless, and exercised.
                readOne(c, ids[0]);
            }
            try (PreparedStatement ps = c.prepareStatement(INCREMENT)) {
                for (int id : ids) {
                    ps.setInt(1, id);
                    ps.executeUpdate();
                }
            }
            for (int i = 0; i < ids.length; i++) {
                // The transaction has written: this read bypasses the cache and sees our version.
                versions[i] = readOne(c, ids[i]);
            }
            if (rnd.nextInt(10) == 0) {
                c.rollback();
                return;
            }
            c.commit();
        } finally {
            c.setAutoCommit(true);
        }
        long at = CommitLog.nowMicros();
        stats.commit(p, System.nanoTime() - t0);
        log.committed(ids, versions, at);
    }

    private void read(ReadLog readLog) throws SQLException {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        int rows = settings.rows();
        try (CommitLog clock = new CommitLog(schema.raw(), settings.jvmIndex());
             Connection c = readerSide.getConnection()) {
            for (long ops = 0; running(ops); ops++) {
                int p = phase;
                try {
                    long ticket = clock.ticket();
                    long start = CommitLog.nowMicros();
                    long t0 = System.nanoTime();
                    if (rnd.nextInt(5) > 0) {
                        int id = 1 + rnd.nextInt(rows);
                        long v = readOne(c, id);
                        stats.read(p, System.nanoTime() - t0);
                        readLog.add(id, ticket, v, start, p);
                    } else {
                        int a = 1 + rnd.nextInt(rows);
                        int b = 1 + rnd.nextInt(rows);
                        long[][] seen = readTwo(c, a, b);
                        stats.read(p, System.nanoTime() - t0);
                        for (long[] row : seen) {
                            readLog.add((int) row[0], ticket, row[1], start, p);
                        }
                    }
                } catch (SQLException | RuntimeException e) {
                    stats.error(p, "read", e);
                    recover(c);
                }
            }
        }
    }

    static long readOne(Connection c, int id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(READ_ONE)) {
            ps.setInt(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("row " + id + " missing from the result");
                }
                long v = rs.getLong(1);
                if (rs.next()) {
                    throw new IllegalStateException("row " + id + " returned twice");
                }
                return v;
            }
        }
    }

    private static long[][] readTwo(Connection c, int a, int b) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(READ_TWO)) {
            ps.setInt(1, a);
            ps.setInt(2, b);
            List<long[]> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new long[] {rs.getInt(1), rs.getLong(2)});
                }
            }
            int expected = a == b ? 1 : 2;
            if (rows.size() != expected) {
                throw new IllegalStateException("ids " + a + "," + b + " gave " + rows.size() + " rows");
            }
            return rows.toArray(new long[0][]);
        }
    }

    /** Reads the owned rows' versions from the database itself (after an error the outcome is unknown). */
    private void resync(int first, long[] owned) throws SQLException {
        long[] all = schema.versions();
        System.arraycopy(all, first, owned, 0, owned.length);
    }

    private static void recover(Connection c) {
        try {
            if (!c.getAutoCommit()) {
                c.rollback();
                c.setAutoCommit(true);
            }
        } catch (SQLException ignored) {
            // the next operation will tell
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
