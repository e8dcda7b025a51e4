package dev.cacheops.jdbc;

import dev.cacheops.PassReason;
import dev.cacheops.engine.Database;
import dev.cacheops.engine.Params;
import dev.cacheops.engine.Plan;
import dev.cacheops.engine.Scope;
import dev.cacheops.engine.WriteExecution;
import dev.cacheops.protocol.Attempt;
import dev.cacheops.protocol.Capture;
import dev.cacheops.result.ReplayResultSet;
import dev.cacheops.result.ResultCodec;
import dev.cacheops.result.ResultRecorder;
import dev.cacheops.result.ResultSnapshot;
import dev.cacheops.sql.Analysis;
import dev.cacheops.sql.TransactionControl;
import dev.cacheops.store.Lookup;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongFunction;
import java.util.regex.Pattern;

/**
 * What every wrapped statement does with a statement it is asked to run: plan it, serve or fill
 * the cache for reads, hand writes to the connection, and keep the current result and generated
 * keys so that {@code getResultSet}, {@code getUpdateCount} and {@code getGeneratedKeys} behave as
 * without the cache. Shared by {@link CachingStatement} and {@link CachingPreparedStatement}, whose
 * JDBC class hierarchies differ. Not thread-safe, like a statement.
 */
final class StatementCore {
    private static final Pattern SESSION_CHANGE = Pattern.compile(
            "^\\s*(set\\s+(session\\s+|local\\s+)?(search_path|schema|role|session\\s+authorization|time\\s+zone|timezone)\\b"
                    + "|use\\s+|reset\\s+(all|search_path|role|session))",
            Pattern.CASE_INSENSITIVE);

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StatementCore.class);
    /** Statements that cannot write, for when the analysis itself failed. */
    private static final Pattern READ_ONLY = Pattern.compile("\\s*(\\(\\s*)*(select|values|show|table)\\b",
            Pattern.CASE_INSENSITIVE);

    private static final long NOT_COUNTED = -1;
    private static final long COUNT_READ = -2;

    private final CachingConnection conn;
    private final Statement wrapper;
    private final Statement raw;
    /** The current result when it was served from the cache (the driver knows nothing of it). */
    private ResultSet replayed;
    /** The current result from the driver, wrapped. */
    private ResultSet current;
    /** Generated keys read by the cache (the driver's result set can only be read once). */
    private ResultSnapshot generatedKeys;
    /**
     * The update count of a write run in place of the caller's statement; {@link #NOT_COUNTED}
     * when none ran, {@link #COUNT_READ} once the caller moved past it (the raw statement's state
     * belongs to an earlier execution then, so it is not asked).
     */
    private long counted = NOT_COUNTED;

    StatementCore(CachingConnection conn, Statement wrapper, Statement raw) {
        this.conn = conn;
        this.wrapper = wrapper;
        this.raw = raw;
    }

    CachingConnection connection() {
        return conn;
    }

    Plan plan(String sql) {
        if (!conn.database().ready()) {
            return new Plan.Unknown("database not ready", !READ_ONLY.matcher(sql).lookingAt());
        }
        try {
            return conn.database().plan(sql, conn.raw());
        } catch (RuntimeException e) {
            // A bug of ours must not fail the application: a read passes through, anything else
            // is treated as a write of unknown extent.
            LOG.warn("cannot plan statement, passing it through: {}", sql, e);
            return READ_ONLY.matcher(sql).lookingAt() ? Plan.Read.blocked(PassReason.NOT_UNDERSTOOD)
                    : new Plan.Unknown(e.toString(), true);
        }
    }

    /** Forget the previous execution's results. */
    void reset() {
        counted = NOT_COUNTED;
        replayed = null;
        current = null;
        generatedKeys = null;
    }

    /**
     * Runs a statement that is expected to return rows ({@code executeQuery}).
     *
     * @param direct runs the statement on the driver
     */
    ResultSet query(String sql, Params params, SqlCall<ResultSet> direct) throws SQLException {
        reset();
        Plan plan = plan(sql);
        if (plan instanceof Plan.Read read) {
            return read(read, sql, params, direct);
        }
        if (plan instanceof Plan.Write w) {
            return own(conn.write(List.of(conn.newWrite(w.analysis(), List.of(params))), direct, this::keys));
        }
        return own(other(plan, sql, direct));
    }

    /**
     * Runs a statement through {@code execute}: reads may be served from the cache, in which case
     * the replayed result becomes the current one.
     */
    boolean execute(String sql, Params params, SqlCall<Boolean> direct) throws SQLException {
        return execute(sql, params, direct, false);
    }

    /**
     * {@link #execute(String, Params, SqlCall)}; with {@code countOnly} (the caller asked for no
     * generated keys) a write may run as one statement that also returns its row images, and
     * reports its count through {@link #updateCount}, as the caller's statement would.
     */
    boolean execute(String sql, Params params, SqlCall<Boolean> direct, boolean countOnly) throws SQLException {
        reset();
        Plan plan = plan(sql);
        if (plan instanceof Plan.Read read) {
            ResultSet rs = read(read, sql, params, () -> direct.call() ? raw.getResultSet() : null);
            if (rs == null) {
                return false;
            }
            if (rs instanceof ReplayResultSet) {
                replayed = rs;
            } else {
                current = rs;
            }
            return true;
        }
        if (plan instanceof Plan.Write w) {
            return conn.write(List.of(conn.newWrite(w.analysis(), List.of(params))), direct, this::keys,
                    countOnly ? withImages(n -> false) : null);
        }
        return other(plan, sql, direct);
    }

    /** Runs an update-count statement ({@code executeUpdate}, {@code executeLargeUpdate}). */
    <T> T update(String sql, Params params, SqlCall<T> direct) throws SQLException {
        return update(sql, params, direct, null);
    }

    /**
     * Runs an update-count statement whose caller asked for nothing but the count (no generated
     * keys), so that a write may run as one statement that also returns its row images; the count
     * is handed over through {@code fromCount} and reported by {@link #updateCount}.
     *
     * @param fromCount the caller's result from the update count, or null to run the caller's
     *                  statement as it is
     */
    <T> T update(String sql, Params params, SqlCall<T> direct, LongFunction<T> fromCount) throws SQLException {
        reset();
        Plan plan = plan(sql);
        if (plan instanceof Plan.Write w) {
            return conn.write(List.of(conn.newWrite(w.analysis(), List.of(params))), direct, this::keys,
                    fromCount == null ? null : withImages(fromCount));
        }
        return other(plan, sql, direct);
    }

    /** Runs a write as its statement with images, keeping its count for {@link #updateCount}. */
    private <T> CachingConnection.WithImages<T> withImages(LongFunction<T> fromCount) {
        return we -> {
            long n = we.executeWithImages(raw.getQueryTimeout());
            counted = n;
            return fromCount.apply(n);
        };
    }

    /** Runs a batch of statements (each its own SQL), or one SQL with several parameter sets. */
    <T> T batch(List<String> sqls, List<Params> rows, SqlCall<T> direct) throws SQLException {
        reset();
        List<WriteExecution> writes = new ArrayList<>();
        List<TransactionControl.Kind> control = new ArrayList<>();
        boolean unknown = false;
        for (String sql : sqls) {
            TransactionControl.Kind kind = TransactionControl.of(sql);
            if (kind != TransactionControl.Kind.NONE) {
                control.add(kind);
            }
            Plan plan = plan(sql);
            if (plan instanceof Plan.Write w) {
                writes.add(conn.newWrite(w.analysis(), sqls.size() == 1 ? rows : List.of(new Params())));
            } else if (plan instanceof Plan.Unknown u && u.mayWrite()) {
                unknown = true;
            } else if (!(plan instanceof Plan.Neutral) && !(plan instanceof Plan.Read)) {
                unknown = true;
            }
            if (!(plan instanceof Plan.Read) && !(plan instanceof Plan.Write)) {
                sessionStatement(sql);
            }
        }
        if (!control.isEmpty()) {
            // BEGIN, writes, COMMIT in one batch: the connection follows the batch as a whole.
            return conn.controlBatch(control, direct);
        }
        if (unknown) {
            return conn.writeUnknown(direct);
        }
        return writes.isEmpty() ? direct.call() : conn.write(writes, direct, this::keys);
    }

    private <T> T other(Plan plan, String sql, SqlCall<T> direct) throws SQLException {
        // Before running it: a statement of unknown reach may set the isolation level too.
        sessionStatement(sql);
        boolean mayWrite = plan instanceof Plan.Unknown u && u.mayWrite();
        TransactionControl.Kind kind = TransactionControl.of(sql);
        if (kind != TransactionControl.Kind.NONE) {
            // BEGIN, COMMIT, ROLLBACK as SQL are followed as the JDBC calls they stand for.
            return conn.transactionControl(kind, mayWrite ? () -> conn.writeUnknown(direct) : direct);
        }
        if (mayWrite) {
            return conn.writeUnknown(direct);
        }
        return direct.call();
    }

    /** Follows what a statement that is neither a read nor a write does to the session. */
    private void sessionStatement(String sql) {
        if (SESSION_CHANGE.matcher(sql).find()) {
            conn.markSessionChanged();
        }
        conn.isolationStatement(sql);
    }

    private ResultSet read(Plan.Read plan, String sql, Params params, SqlCall<ResultSet> direct) throws SQLException {
        var engine = conn.engine();
        Capture capture = Capture.current();
        Decision d = decide(plan, sql, params);
        if (d.reason != null) {
            warnFirst(plan, sql, d.reason);
            engine.counters().passThrough(sql, plan.profileTable(), d.reason);
            if (capture != null) {
                capture(capture, d, plan, sql, params);
            }
            return own(direct.call());
        }
        Attempt attempt;
        String key;
        Lookup lookup;
        Database.KeyOptions options;
        try {
            options = keyOptions();
            key = Database.entryHash(plan, params, options);
            Database.Bound bound = lookup(plan, key, params);
            lookup = bound.lookup();
            attempt = engine.protocol().fetch(lookup, d.ttl, bound.last());
        } catch (RuntimeException e) {
            LOG.warn("cache lookup failed, reading the database: {}", sql, e);
            engine.counters().passThrough(sql, PassReason.NOT_UNDERSTOOD);
            if (capture != null) {
                capture.fail("cache lookup failed");
            }
            return own(direct.call());
        }
        Attempt.Miss miss;
        if (attempt instanceof Attempt.Hit hit) {
            try {
                ResultSnapshot snapshot = decode(hit);
                engine.counters().read(sql, plan.profileTable(), true);
                if (capture != null) {
                    capture.read(hit.fallback().lookup(), hit.fallback().stamps());
                }
                return replay(snapshot);
            } catch (RuntimeException e) {
                // CorruptPayloadException, or a replay bug: refilled below, overwriting the entry
                miss = hit.fallback();
            }
        } else {
            miss = (Attempt.Miss) attempt;
        }
        if (!miss.fillable() || d.hitsOnly) {
            engine.counters().passThrough(sql, plan.profileTable(), d.hitsOnly ? PassReason.ISOLATION : miss.reason());
            if (capture != null) {
                capture.fail("a dependency is being written");
            }
            return own(direct.call());
        }
        if (capture != null) {
            capture.read(miss.lookup(), miss.stamps());
        }
        String lockOwner = null;
        if (plan.lockWaitMillis() > 0) {
            lockOwner = UUID.randomUUID().toString();
            if (!engine.protocol().tryLock(key, lockOwner, Math.max(2 * plan.lockWaitMillis(), 1_000))) {
                lockOwner = null;
                ResultSet theirs = awaitLockHolder(plan, sql, lookup, d.ttl);
                if (theirs != null) {
                    return theirs;
                }
            }
        }
        engine.counters().read(sql, plan.profileTable(), false);
        ResultSet rs = direct.call();
        if (rs == null) {
            return null;
        }
        ResultRecorder recorder;
        try {
            recorder = ResultRecorder.start(rs, engine.settings().maxRows(), engine.settings().maxBytes());
        } catch (SQLException | RuntimeException e) {
            return own(rs);
        }
        long ttl = d.ttl;
        String owner = lockOwner;
        // As executed: the caller may set other parameters before it has read the whole result.
        Params executed = plan.rows() != null && plan.rows().key() != null ? params.copy() : params;
        java.util.function.Consumer<ResultSnapshot> fill = snapshot -> {
            var filled = engine.protocol().fill(miss, ResultCodec.encode(snapshot), ttl);
            conn.database().rowsRead(plan, executed, options, snapshot, miss, ttl);
            if (owner != null) {
                // Waiters poll until the store lands; an abandoned result's lock simply expires.
                engine.protocol().unlockAfter(filled, key, owner);
            }
        };
        Runnable notStorable = () -> engine.counters().passThrough(sql, plan.profileTable(), PassReason.NOT_STORABLE);
        if (rs.getType() != ResultSet.TYPE_FORWARD_ONLY) {
            return recordScrollable(rs, recorder, fill, notStorable);
        }
        return new RecordingResultSet(rs, wrapper, recorder, engine.settings().maxRows(), fill, notStorable);
    }

    /**
     * Another caller is reading this result from the database (dog-pile lock): poll for its
     * result until the profile's wait is over. Null when it did not come in time.
     */
    private ResultSet awaitLockHolder(Plan.Read plan, String sql, Lookup lookup, long ttl)
            throws SQLException {
        long deadline = System.nanoTime() + plan.lockWaitMillis() * 1_000_000L;
        long pause = 1;
        while (System.nanoTime() < deadline) {
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            pause = Math.min(pause * 2, 20);
            Attempt a = conn.engine().protocol().fetch(lookup, ttl, true);
            if (a instanceof Attempt.Hit hit) {
                try {
                    ResultSnapshot snapshot = decode(hit);
                    conn.engine().counters().read(sql, plan.profileTable(), true);
                    return replay(snapshot);
                } catch (RuntimeException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /**
     * A scrollable result is read whole at once (within the limits) and replayed, so the caller
     * may move in any direction and the result is still cached; over the limits it is rewound and
     * handed over as it is.
     */
    private ResultSet recordScrollable(ResultSet rs, ResultRecorder recorder,
                                       java.util.function.Consumer<ResultSnapshot> fill, Runnable notStorable)
            throws SQLException {
        while (recorder.recording() && rs.next()) {
            recorder.record(rs);
        }
        if (!recorder.recording()) {
            notStorable.run();
            rs.beforeFirst();
            return own(rs);
        }
        ResultSnapshot snapshot = recorder.snapshot();
        rs.close();
        try {
            fill.accept(snapshot);
        } catch (RuntimeException e) {
            LOG.debug("cannot store a scrollable result", e);
        }
        return replay(snapshot);
    }

    private Database.Bound lookup(Plan.Read plan, String key, Params params) {
        return conn.database().lookup(plan, key, params);
    }

    /**
     * A read that is not cached itself, inside a function whose dependencies are captured: if its
     * dependencies are known, fix their stamps (one fetch, nothing stored) so the function's result
     * can be stored race-free; otherwise the function's result cannot be cached.
     */
    private void capture(Capture capture, Decision d, Plan.Read plan, String sql, Params params) {
        if (!d.dependenciesKnown) {
            capture.fail("a read that cannot be tracked: " + d.reason);
            return;
        }
        try {
            String key = key(plan, params);
            Database.Bound bound = lookup(plan, key, params);
            Attempt a = conn.engine().protocol().fetch(bound.lookup(),
                    conn.engine().settings().defaultTimeout().toMillis(), bound.last());
            Attempt.Miss m = a instanceof Attempt.Hit h ? h.fallback() : (Attempt.Miss) a;
            if (m.fillable()) {
                capture.read(m.lookup(), m.stamps());
            } else {
                capture.fail("a dependency is being written");
            }
        } catch (SQLException | RuntimeException e) {
            capture.fail("cache lookup failed");
        }
    }

    /**
     * Whether and for how long to cache a read.
     *
     * @param ttl               the timeout, when cached
     * @param reason            why not, or null
     * @param dependenciesKnown whether its dependencies are known anyway (for capture)
     * @param hitsOnly   serve a hit but never fill (opted-in REPEATABLE READ)
     */
    private record Decision(long ttl, PassReason reason, boolean dependenciesKnown, boolean hitsOnly) {
        static Decision pass(PassReason reason, boolean known) {
            return new Decision(0, reason, known, false);
        }
    }

    private Decision decide(Plan.Read plan, String sql, Params params) throws SQLException {
        if (plan.blocked() != null) {
            return Decision.pass(plan.blocked(), false);
        }
        Scope scope = Scope.effective(sql);
        if (conn.dirtyFor(plan)) {
            return Decision.pass(PassReason.DIRTY_TRANSACTION, false);
        }
        boolean hitsOnly = false;
        if (conn.isolated()) {
            if (!conn.engine().settings().serveCommittedInRepeatableRead() || conn.serializable()) {
                return Decision.pass(PassReason.ISOLATION, false);
            }
            // Opted in: committed results may be served, but a miss reads this transaction's
            // snapshot, which may predate the stamps, so it is never stored.
            hitsOnly = true;
        }
        if (conn.sessionChanged()) {
            return Decision.pass(PassReason.SESSION_STATE, false);
        }
        if (!params.keyable()) {
            return Decision.pass(PassReason.UNCACHEABLE, false);
        }
        if (scope != null && !scope.cache()) {
            return Decision.pass(PassReason.NOCACHE, true);
        }
        if (raw.getResultSetConcurrency() != ResultSet.CONCUR_READ_ONLY
                || raw.getResultSetType() == ResultSet.TYPE_SCROLL_SENSITIVE) {
            return Decision.pass(PassReason.RESULT_SET_OPTIONS, true);
        }
        if (scope != null) {
            if (!plan.manual()) {
                return Decision.pass(PassReason.NOT_ENABLED, true);
            }
            long ttl = scope.timeoutMillis() > 0 ? scope.timeoutMillis()
                    : plan.ttlMillis() > 0 ? plan.ttlMillis()
                    : conn.engine().settings().defaultTimeout().toMillis();
            return new Decision(ttl, null, true, hitsOnly);
        }
        return plan.auto() ? new Decision(plan.ttlMillis(), null, true, hitsOnly)
                : Decision.pass(PassReason.NOT_ENABLED, true);
    }

    /**
     * Logs at WARN, once per data source and reason, the first time a whole class of reads passes
     * through for a reason the user can change, naming the setting that changes it: otherwise a
     * benchmark at SERIALIZABLE gets no hits and no word why.
     */
    private void warnFirst(Plan.Read plan, String sql, PassReason reason) {
        String why = switch (reason) {
            case ISOLATION -> "reads inside REPEATABLE READ or SERIALIZABLE transactions pass through uncached. "
                    + "Run reads at READ COMMITTED (the default of PostgreSQL, Oracle and SQL Server; "
                    + "MySQL/MariaDB default to REPEATABLE READ: set transaction-isolation=READ-COMMITTED), or "
                    + "for REPEATABLE READ opt in with serveCommittedInRepeatableRead(true) / "
                    + "cacheops.repeatable-read=serve-committed (see its Javadoc for what it weakens)";
            case SESSION_STATE -> "this connection changed its schema, catalog, role or search path through SQL or "
                    + "setSchema/setCatalog, so its reads pass through uncached until it is closed. Set the "
                    + "schema in the JDBC URL or the pool's configuration instead (e.g. currentSchema=)";
            case DISABLED -> plan.auto() ? "a query its profile would cache reads the disabled table "
                    + plan.profileTable() + ", so it is never cached. Remove the pattern matching it from "
                    + "disable(...) / cacheops.disabled to cache such queries" : null;
            default -> null;
        };
        if (why != null && conn.database().firstPassOf(reason)) {
            LOG.warn("cacheops on {}: {} (first such read: {}; logged once per data source)",
                    conn.database().describe(), why, sql.length() > 200 ? sql.substring(0, 200) + "..." : sql);
        }
    }

    /**
     * A hit's result. A near copy keeps it decoded for its next hits: a snapshot is immutable,
     * and decoding a 20-row page was half of a near hit's CPU (docs/PERFORMANCE.md).
     */
    private static ResultSnapshot decode(Attempt.Hit hit) {
        var near = hit.near();
        if (near != null && near.decoded() instanceof ResultSnapshot kept) {
            return kept;
        }
        ResultSnapshot snapshot = ResultCodec.decode(hit.payload());
        if (near != null) {
            near.keepDecoded(snapshot);
        }
        return snapshot;
    }

    /** A cached result as the statement's own result: its type, holdability and fetch size. */
    private ResultSet replay(ResultSnapshot snapshot) throws SQLException {
        ReplayResultSet rs = new ReplayResultSet(snapshot, wrapper, raw.getResultSetType(), raw.getResultSetHoldability());
        rs.setFetchSize(raw.getFetchSize());
        return rs;
    }

    /** Everything that decides which rows come back: two different results never share a key. */
    private String key(Plan.Read plan, Params params) throws SQLException {
        return Database.entryHash(plan, params, keyOptions());
    }

    private Database.KeyOptions keyOptions() throws SQLException {
        return new Database.KeyOptions(raw.getMaxRows(), raw.getResultSetType(), raw.getResultSetConcurrency(),
                raw.getFetchDirection());
    }

    /** Reads and remembers generated keys, when the invalidation needs them. */
    private List<Map<String, Object>> keys(WriteExecution we) {
        try {
            if (!we.wantsGeneratedKeys()) {
                return List.of();
            }
            ResultSnapshot snapshot;
            try (ResultSet rs = raw.getGeneratedKeys()) {
                if (rs == null) {
                    return List.of();
                }
                ResultRecorder recorder = ResultRecorder.start(rs, Integer.MAX_VALUE, Long.MAX_VALUE);
                while (rs.next()) {
                    recorder.record(rs);
                }
                if (recorder.unsupported()) {
                    return List.of();
                }
                snapshot = recorder.snapshot();
            }
            generatedKeys = snapshot;
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ReplayResultSet replay = new ReplayResultSet(snapshot, wrapper)) {
                ResultSetMetaData md = replay.getMetaData();
                while (replay.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        row.put(md.getColumnLabel(i), replay.getObject(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            // Without keys the inserted rows' key columns are unknown: whole schemes get invalidated.
            return List.of();
        }
    }

    /** The statement's generated keys, as the caller would have seen them. */
    ResultSet generatedKeys() throws SQLException {
        if (generatedKeys != null) {
            return new ReplayResultSet(generatedKeys, wrapper);
        }
        return own(raw.getGeneratedKeys());
    }


    ResultSet resultSet() throws SQLException {
        if (counted != NOT_COUNTED) {
            return null; // a write ran in place of the caller's statement: an update count only
        }
        if (replayed != null) {
            return replayed;
        }
        if (current != null) {
            return current;
        }
        ResultSet rs = raw.getResultSet();
        current = rs == null ? null : own(rs);
        return current;
    }

    int updateCount() throws SQLException {
        if (counted != NOT_COUNTED) {
            return counted == COUNT_READ ? -1 : (int) Math.min(counted, Integer.MAX_VALUE);
        }
        return replayed != null ? -1 : raw.getUpdateCount();
    }

    long largeUpdateCount() throws SQLException {
        if (counted != NOT_COUNTED) {
            return counted == COUNT_READ ? -1 : counted;
        }
        return replayed != null ? -1 : raw.getLargeUpdateCount();
    }

    boolean moreResults(int current) throws SQLException {
        if (counted != NOT_COUNTED) {
            counted = COUNT_READ;
            return false;
        }
        if (replayed != null) {
            if (current != Statement.KEEP_CURRENT_RESULT) {
                replayed.close();
            }
            replayed = null;
            this.current = null;
            return false;
        }
        this.current = null;
        return raw.getMoreResults(current);
    }

    /** Wraps a driver result so that {@code getStatement()} returns the wrapper. */
    ResultSet own(ResultSet rs) {
        return rs == null || rs instanceof OwnedResultSet ? rs : new OwnedResultSet(rs, wrapper);
    }

}
