package dev.cacheops.checker;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Carries out actions on an {@link Environment}: reads through the cache and then directly on
 * the database, writes and transaction control through the cache.
 *
 * <p>The direct read of a read made inside a transaction runs on that transaction's own raw
 * connection (it must see the transaction's writes and, under READ COMMITTED, the latest commits
 * of others); a read in auto-commit mode is compared with the separate auto-commit oracle
 * connection, which sees exactly the committed state. Steps that make no sense in the current
 * state (commit without a transaction, rollback to a savepoint that is gone) are skipped, so any
 * sub-list of a workload can be replayed. A write that fails inside a transaction rolls the
 * transaction back (PostgreSQL would refuse everything after it anyway). Single-threaded.
 */
final class Executor {
    /**
     * Connection number of a write that bypasses the cache (made on the oracle connection), as
     * another application's would: the checker's self-test uses it to prove it catches staleness,
     * and a workload for a target with the change stream, after which the comparison waits for
     * the stream ({@link Environment#awaitChangeStream()}).
     */
    static final int BYPASS = 2;

    private final Environment env;
    private final boolean[] inTransaction = new boolean[2];
    /** The open transaction fired the trigger on {@code note}: its commit must be followed by {@link #triggerWritesCommitted()}. */
    private final boolean[] fired = new boolean[2];
    /** The open transaction rolled back to a savepoint (see {@link Dialect#spinsOnLocksAfterRollbackToSavepoint()}). */
    private final boolean[] rolledBackToSavepoint = new boolean[2];
    private final List<List<String>> savepointNames = List.of(new ArrayList<>(), new ArrayList<>());
    private final List<List<java.sql.Savepoint>> savepoints = List.of(new ArrayList<>(), new ArrayList<>());

    Executor(Environment env) {
        this.env = env;
    }

    /** Whether connection {@code conn} is inside an explicit transaction. */
    boolean inTransaction(int conn) {
        return inTransaction[conn];
    }

    Outcome execute(Action action) throws SQLException {
        if (action instanceof Action.Read r) {
            return read(r);
        }
        if (action instanceof Action.Write w) {
            return write(w);
        }
        if (action instanceof Action.Begin b) {
            if (inTransaction[b.conn()]) {
                return Outcome.plain(action, "skipped: already in a transaction");
            }
            env.wrapped[b.conn()].setAutoCommit(false);
            inTransaction[b.conn()] = true;
            return Outcome.plain(action, null);
        }
        if (action instanceof Action.Commit c) {
            if (!inTransaction[c.conn()]) {
                return Outcome.plain(action, "skipped: no transaction");
            }
            boolean firedTrigger = fired[c.conn()];
            if (!c.viaAutoCommit()) {
                env.wrapped[c.conn()].commit();
            }
            end(c.conn());
            if (firedTrigger) {
                triggerWritesCommitted();
            }
            return Outcome.plain(action, null);
        }
        if (action instanceof Action.Rollback r) {
            if (!inTransaction[r.conn()]) {
                return Outcome.plain(action, "skipped: no transaction");
            }
            rollback(r.conn());
            return Outcome.plain(action, null);
        }
        if (action instanceof Action.Savepoint s) {
            if (!inTransaction[s.conn()]) {
                return Outcome.plain(action, "skipped: no transaction");
            }
            savepoints.get(s.conn()).add(env.wrapped[s.conn()].setSavepoint(s.name()));
            savepointNames.get(s.conn()).add(s.name());
            return Outcome.plain(action, null);
        }
        if (action instanceof Action.RollbackTo r) {
            int i = savepointNames.get(r.conn()).lastIndexOf(r.name());
            if (!inTransaction[r.conn()] || i < 0) {
                return Outcome.plain(action, "skipped: no such savepoint");
            }
            env.wrapped[r.conn()].rollback(savepoints.get(r.conn()).get(i));
            rolledBackToSavepoint[r.conn()] = true;
            // the savepoint itself survives a rollback to it; later ones are gone
            trim(r.conn(), i + 1);
            return Outcome.plain(action, null);
        }
        env.probe.manualStart();
        try {
            if (action instanceof Action.InvalidateRow r) {
                env.cacheops.invalidateRow(r.table(), r.values());
            } else {
                env.cacheops.invalidateTable(((Action.InvalidateTable) action).table());
            }
        } finally {
            env.probe.manualDone();
        }
        return Outcome.plain(action, null);
    }

    private Outcome read(Action.Read r) throws SQLException {
        long storesBefore = env.cacheops.stats().stores();
        env.probe.reset();
        ResultRows cached = query(env.wrapped[r.conn()], r);
        ReadProbe.Kind kind = env.probe.last();
        boolean stored = env.cacheops.stats().stores() > storesBefore;
        Connection directConn = inTransaction[r.conn()] ? env.raw[r.conn()] : env.oracle;
        ResultRows direct = query(directConn, r);
        String note = null;
        if ((cached.error() != null || direct.error() != null) && inTransaction[r.conn()]
                && env.target.dialect().errorAbortsTransaction()) {
            rollback(r.conn());
            note = "read failed: transaction rolled back";
        }
        boolean mismatch = !ResultComparator.same(cached, direct, r.ordered());
        if (mismatch && direct.lockTimeout()) {
            // the database could not answer (a table lock of the other connection): nothing to compare with
            mismatch = false;
            note = "direct read timed out on a lock: not compared";
        }
        return new Outcome(r, cached, direct, kind, stored, mismatch, note);
    }

    private static ResultRows query(Connection c, Action.Read r) {
        try {
            if (r.prepared()) {
                try (PreparedStatement ps = c.prepareStatement(r.sql())) {
                    ps.setMaxRows(r.maxRows());
                    bind(ps, r.params());
                    try (ResultSet rs = ps.executeQuery()) {
                        return ResultRows.of(rs);
                    }
                }
            }
            try (Statement s = c.createStatement()) {
                s.setMaxRows(r.maxRows());
                try (ResultSet rs = s.executeQuery(r.sql())) {
                    return ResultRows.of(rs);
                }
            }
        } catch (SQLException e) {
            return ResultRows.failed(e);
        }
    }

    private Outcome write(Action.Write w) throws SQLException {
        if (mightSpinOnLock(w.conn())) {
            return Outcome.plain(w, "skipped: the other transaction rolled back to a savepoint, and this database "
                    + "spins on its row locks");
        }
        Connection c = w.conn() == BYPASS ? env.oracle : env.wrapped[w.conn()];
        try {
            switch (w.mode()) {
                case STATEMENT -> {
                    try (Statement s = c.createStatement()) {
                        String sql = w.sqls().get(0);
                        switch (sql.length() % 3) {
                            case 0 -> s.executeUpdate(sql);
                            case 1 -> s.execute(sql);
                            default -> s.executeLargeUpdate(sql);
                        }
                    }
                }
                case QUERY -> {
                    return writeQuery(w, c);
                }
                case REWRITE -> rewrite(w, c);
                case PREPARED -> {
                    try (PreparedStatement ps = c.prepareStatement(w.sqls().get(0))) {
                        bind(ps, w.paramSets().get(0));
                        ps.executeUpdate();
                    }
                }
                case STATEMENT_BATCH -> {
                    try (Statement s = c.createStatement()) {
                        for (String sql : w.sqls()) {
                            s.addBatch(sql);
                        }
                        s.executeBatch();
                    }
                }
                case PREPARED_BATCH -> {
                    try (PreparedStatement ps = c.prepareStatement(w.sqls().get(0))) {
                        for (List<Param> set : w.paramSets()) {
                            bind(ps, set);
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                }
                default -> throw new IllegalStateException(w.mode().toString());
            }
            if (w.tag().startsWith("note_") && w.conn() != BYPASS) {
                if (inTransaction[w.conn()]) {
                    fired[w.conn()] = true;
                } else {
                    triggerWritesCommitted();
                }
            }
            if (w.conn() == BYPASS && env.target.changeStream() && !env.awaitChangeStream()) {
                return new Outcome(w, null, null, null, false, true,
                        "the change stream did not invalidate this write within " + Environment.STREAM_TIMEOUT);
            }
            return Outcome.plain(w, null);
        } catch (SQLException e) {
            String note = "write failed: " + e.getSQLState() + " " + firstLine(e.getMessage());
            if (w.conn() != BYPASS && inTransaction[w.conn()]) {
                rollback(w.conn());
                note += " (transaction rolled back)";
            }
            if (!expectedFailure(e) && succeedsDirectly(w)) {
                return new Outcome(w, null, null, null, false, true,
                        "the write fails through the cache but succeeds directly on the database: " + note);
            }
            return Outcome.plain(w, note);
        }
    }

    private static final java.util.regex.Pattern REWRITE = java.util.regex.Pattern.compile(
            "(?is)update\\s+(\"?\\w+\"?)\\s+set\\s+(.*)\\s+where\\s+id\\s*=\\s*(-?\\d+)");
    private static final java.util.regex.Pattern BOUND = java.util.regex.Pattern.compile("(\\w+)\\s*=\\s*\\?");

    /** Runs a {@link Action.WriteMode#REWRITE}: binds each {@code ?} to the row's current value. */
    private void rewrite(Action.Write w, Connection c) throws SQLException {
        String sql = w.sqls().get(0);
        java.util.regex.Matcher m = REWRITE.matcher(sql);
        if (!m.matches()) {
            throw new IllegalStateException("not a rewrite: " + sql);
        }
        List<String> cols = new java.util.ArrayList<>();
        java.util.regex.Matcher b = BOUND.matcher(m.group(2));
        while (b.find()) {
            cols.add(b.group(1));
        }
        Connection read = w.conn() != BYPASS && inTransaction[w.conn()] ? env.raw[w.conn()] : env.oracle;
        Object[] current = new Object[cols.size()];
        int[] types = new int[cols.size()];
        try (Statement s = read.createStatement();
             ResultSet rs = s.executeQuery("select " + String.join(", ", cols) + " from " + m.group(1)
                     + " where id = " + m.group(3))) {
            boolean found = rs.next();
            for (int i = 0; i < cols.size(); i++) {
                current[i] = found ? rs.getObject(i + 1) : null;
                types[i] = rs.getMetaData().getColumnType(i + 1);
            }
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < cols.size(); i++) {
                if (current[i] == null) {
                    ps.setNull(i + 1, types[i]);
                } else {
                    ps.setObject(i + 1, current[i]);
                }
            }
            ps.executeUpdate();
        }
    }

    /**
     * Failures the workload provokes on purpose: constraint violations (SQLState class 23) and
     * waiting for the other connection's locks.
     */
    private static boolean expectedFailure(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null) {
                String st = s.getSQLState();
                if (st.startsWith("23") || st.equals("55P03") || st.equals("HYT00") || st.equals("40001")
                        || st.equals("40P01") || st.equals("50200")) {
                    return true;
                }
            }
            if (t instanceof java.sql.BatchUpdateException b && b.getNextException() != null) {
                return expectedFailure(b.getNextException());
            }
        }
        return false;
    }

    /** Runs the write on the oracle connection inside a transaction that is rolled back. */
    private boolean succeedsDirectly(Action.Write w) throws SQLException {
        Connection c = env.oracle;
        c.setAutoCommit(false);
        try {
            for (int i = 0; i < Math.max(1, w.sqls().size()); i++) {
                String sql = w.sqls().get(Math.min(i, w.sqls().size() - 1));
                List<List<Param>> sets = w.paramSets().isEmpty() ? List.of(List.of()) : w.paramSets();
                for (List<Param> set : sets) {
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        bind(ps, set);
                        ps.execute();
                    }
                }
            }
            return true;
        } catch (SQLException e) {
            return false;
        } finally {
            c.rollback();
            c.setAutoCommit(true);
        }
    }

    /**
     * A write that returns rows, run by {@code executeQuery}: the cache must take it for the write
     * it is. If it reports it as a cacheable read (hit or miss), that is a bug of its own, reported
     * as a mismatch; either way the reads after it show whether it invalidated.
     */
    private Outcome writeQuery(Action.Write w, Connection c) throws SQLException {
        env.probe.reset();
        ResultRows rows;
        try (PreparedStatement ps = c.prepareStatement(w.sqls().get(0))) {
            bind(ps, w.paramSets().get(0));
            try (ResultSet rs = ps.executeQuery()) {
                rows = ResultRows.of(rs);
            }
        }
        ReadProbe.Kind kind = env.probe.last();
        boolean treatedAsRead = kind == ReadProbe.Kind.HIT || kind == ReadProbe.Kind.MISS;
        return new Outcome(w, rows, null, kind, false, treatedAsRead,
                treatedAsRead ? "a write run by executeQuery was treated as a cacheable read (" + kind + ")" : null);
    }

    /**
     * The trigger's writes to other tables are invisible to the cache: invalidated by hand once
     * committed, as an application must (README, "Writes that bypass the wrapper"). Before the
     * commit, only the writing transaction sees them, and its reads must bypass the cache.
     */
    private void triggerWritesCommitted() {
        env.probe.manualStart();
        try {
            for (String table : Schema.TRIGGER_TARGETS) {
                env.cacheops.invalidateTable(table);
            }
        } finally {
            env.probe.manualDone();
        }
    }

    /**
     * Whether a write on {@code conn} could wait for a row lock of another open transaction that
     * rolled back to a savepoint, on a database where that wait never ends on one thread.
     */
    private boolean mightSpinOnLock(int conn) {
        if (!env.target.dialect().spinsOnLocksAfterRollbackToSavepoint()) {
            return false;
        }
        for (int other = 0; other < inTransaction.length; other++) {
            if (other != conn && inTransaction[other] && rolledBackToSavepoint[other]) {
                return true;
            }
        }
        return false;
    }

    private void rollback(int conn) throws SQLException {
        env.wrapped[conn].rollback();
        end(conn);
    }

    private void end(int conn) throws SQLException {
        env.wrapped[conn].setAutoCommit(true);
        inTransaction[conn] = false;
        fired[conn] = false;
        rolledBackToSavepoint[conn] = false;
        trim(conn, 0);
    }

    private void trim(int conn, int keep) {
        List<String> names = savepointNames.get(conn);
        List<java.sql.Savepoint> sps = savepoints.get(conn);
        while (names.size() > keep) {
            names.remove(names.size() - 1);
            sps.remove(sps.size() - 1);
        }
    }

    static void bind(PreparedStatement ps, List<Param> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            Param p = params.get(i);
            if (p.value() == null) {
                ps.setNull(i + 1, p.type().sqlType);
            } else {
                ps.setObject(i + 1, p.value());
            }
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
