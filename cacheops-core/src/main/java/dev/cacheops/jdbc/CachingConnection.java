package dev.cacheops.jdbc;

import dev.cacheops.Consistency;
import dev.cacheops.engine.Database;
import dev.cacheops.engine.Engine;
import dev.cacheops.engine.Params;
import dev.cacheops.engine.Plan;
import dev.cacheops.engine.WriteExecution;
import dev.cacheops.protocol.Capture;
import dev.cacheops.protocol.Ledger;
import dev.cacheops.protocol.StampProtocol;
import dev.cacheops.sql.Analysis;
import dev.cacheops.sql.TransactionControl;
import dev.cacheops.store.StoreException;
import dev.cacheops.store.TableInvalidation;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * A connection that follows its transaction (DESIGN §6): once it has written, reads of the tables
 * it wrote bypass the cache (at {@code READ COMMITTED}, when every write was confined to the
 * tables it names; otherwise every read), invalidations are collected and carried out around the
 * commit (locked before it in strict mode, deleted after it), dropped at rollback, and rolled back
 * to a savepoint with it. Transaction control sent as SQL ({@code BEGIN}, {@code COMMIT}, {@code
 * ROLLBACK}) is followed as the JDBC calls it stands for; what cannot be followed makes reads
 * bypass and writes invalidate everything (DESIGN §6, "Transaction control in SQL"). Not
 * thread-safe, like the connection it wraps.
 */
final class CachingConnection extends DelegatingConnection {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CachingConnection.class);
    private final Engine engine;
    private final Database db;
    private final StampProtocol protocol;
    private final Ledger ledger;
    private boolean autoCommit;
    /**
     * A transaction opened by SQL ({@code BEGIN}, {@code START TRANSACTION}) while JDBC auto-commit
     * is on: followed exactly as one opened by {@code setAutoCommit(false)} (DESIGN §6,
     * "Transaction control in SQL").
     */
    private boolean sqlTransaction;
    /**
     * SQL changed the transaction state in a way this wrapper does not follow ({@code SET
     * autocommit}, {@code XA}): until {@link #setAutoCommit} or close, every read bypasses and every
     * write invalidates everything both after its statement and at each later end of a transaction.
     */
    private boolean untracked;
    /**
     * The transaction has written in a way that may have reached any table (or not known which):
     * all its reads see uncommitted state.
     */
    private boolean dirty;
    /**
     * The tables (as in {@link TableInvalidation#table()}) the transaction wrote, when every write
     * was confined to the tables it names ({@link WriteExecution#confined()}); reads of others see
     * committed rows only.
     */
    private final Set<String> dirtyTables = new HashSet<>();
    /** The transaction ran something that may have written anything. */
    private boolean everything;
    /**
     * The isolation level as far as this wrapper knows it: the data source's starting level, then
     * {@link #setTransactionIsolation} and SQL ({@link IsolationSetting}); {@link
     * IsolationSetting#UNKNOWN} after a statement it cannot read.
     */
    private int isolation;
    /** Schema or catalog changed through this wrapper: entry keys no longer describe the session. */
    private boolean sessionChanged;

    CachingConnection(Engine engine, Database db, Connection raw) throws SQLException {
        super(raw);
        this.engine = engine;
        this.db = db;
        this.protocol = engine.protocol();
        this.ledger = new Ledger(engine.settings().bulkRows());
        this.autoCommit = raw.getAutoCommit();
        this.isolation = db.defaultIsolation();
    }

    Engine engine() {
        return engine;
    }

    Database database() {
        return db;
    }

    Connection raw() {
        return delegate;
    }

    boolean inTransaction() {
        return transactional();
    }

    /** Writes are collected for a commit: a JDBC transaction, one opened by SQL, or an unknown state. */
    private boolean transactional() {
        return !autoCommit || sqlTransaction || untracked;
    }

    /**
     * Whether a read must bypass the cache because the transaction wrote something it may see:
     * after a write whose reach is unknown, every read; after confined writes at {@code READ
     * COMMITTED}, reads of the tables written; at any other level (or an unknown one), every read
     * (DESIGN §6, "Dirty per table").
     */
    boolean dirtyFor(Plan.Read plan) {
        if (dirty || untracked) {
            return true;
        }
        if (dirtyTables.isEmpty()) {
            return false;
        }
        return isolation != TRANSACTION_READ_COMMITTED || plan.readsAnyOf(dirtyTables);
    }

    /** Inside a transaction at REPEATABLE READ, SERIALIZABLE or a level this wrapper cannot tell. */
    boolean isolated() {
        return transactional() && (isolation == TRANSACTION_REPEATABLE_READ || serializable());
    }

    boolean sessionChanged() {
        return sessionChanged;
    }

    /** SERIALIZABLE, or a level this wrapper cannot tell: never served, even when REPEATABLE READ is. */
    boolean serializable() {
        return isolation == TRANSACTION_SERIALIZABLE || isolation == IsolationSetting.UNKNOWN;
    }

    /** A statement passed through that may have set the isolation level ({@link IsolationSetting}). */
    void isolationStatement(String sql) {
        isolation = IsolationSetting.after(isolation, sql);
    }

    // ---- statements

    @Override
    public Statement createStatement() throws SQLException {
        return new CachingStatement(this, delegate.createStatement());
    }

    @Override
    public Statement createStatement(int type, int concurrency) throws SQLException {
        return new CachingStatement(this, delegate.createStatement(type, concurrency));
    }

    @Override
    public Statement createStatement(int type, int concurrency, int holdability) throws SQLException {
        return new CachingStatement(this, delegate.createStatement(type, concurrency, holdability));
    }

    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        if (wantsKeysForInsert(sql)) {
            // The inserted rows' generated keys decide which cached results they invalidate.
            return new CachingPreparedStatement(this, delegate.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS),
                    sql, true);
        }
        return new CachingPreparedStatement(this, delegate.prepareStatement(sql), sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int type, int concurrency) throws SQLException {
        return new CachingPreparedStatement(this, delegate.prepareStatement(sql, type, concurrency), sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int type, int concurrency, int holdability)
            throws SQLException {
        return new CachingPreparedStatement(this, delegate.prepareStatement(sql, type, concurrency, holdability),
                sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
        if (autoGeneratedKeys == Statement.NO_GENERATED_KEYS) {
            return prepareStatement(sql);
        }
        return new CachingPreparedStatement(this, delegate.prepareStatement(sql, autoGeneratedKeys), sql, true);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
        return new CachingPreparedStatement(this, delegate.prepareStatement(sql, columnIndexes), sql, true);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
        return new CachingPreparedStatement(this, delegate.prepareStatement(sql, columnNames), sql, true);
    }

    @Override
    public CallableStatement prepareCall(String sql) throws SQLException {
        return new CachingCallableStatement(this, delegate.prepareCall(sql));
    }

    @Override
    public CallableStatement prepareCall(String sql, int type, int concurrency) throws SQLException {
        return new CachingCallableStatement(this, delegate.prepareCall(sql, type, concurrency));
    }

    @Override
    public CallableStatement prepareCall(String sql, int type, int concurrency, int holdability)
            throws SQLException {
        return new CachingCallableStatement(this, delegate.prepareCall(sql, type, concurrency, holdability));
    }

    /**
     * Whether an INSERT must be run returning generated keys for the invalidation to know the
     * inserted rows: the table has generated columns or expression defaults.
     */
    boolean wantsKeysForInsert(String sql) {
        return db.wantsKeysForInsert(sql, delegate);
    }

    // ---- writes

    /** A write execution of this connection, for {@link #write}. */
    WriteExecution newWrite(Analysis.Write analysis, List<Params> rows) {
        return db.newWrite(delegate, analysis, rows);
    }

    /**
     * Runs writes: collects their invalidations in the transaction, or, in auto-commit mode,
     * carries them out around the statement (wrapping it in a transaction when row images must be
     * read in the same transaction, or when strict mode must lock before the commit).
     *
     * @param writes one per statement executed by {@code exec} (several for a statement batch)
     * @param keys   reads the generated keys of a write after execution (empty list when none)
     */
    <T> T write(List<WriteExecution> writes, SqlCall<T> exec,
                Function<WriteExecution, List<Map<String, Object>>> keys) throws SQLException {
        return write(writes, exec, keys, null);
    }

    /**
     * A statement that runs a write in place of the caller's statement, returning the caller's
     * result: {@link WriteExecution#executeWithImages} with the update count in the caller's type.
     */
    @FunctionalInterface
    interface WithImages<T> {
        T run(WriteExecution write) throws SQLException;
    }

    /**
     * {@link #write}, where a single write that {@link WriteExecution#imagesInStatement can return
     * its images} runs as {@code withImages} instead of reading them first (DESIGN §4, "Images in
     * the statement"); {@code withImages} null when the caller's form does not allow it (its own
     * results, generated keys, batches).
     */
    <T> T write(List<WriteExecution> writes, SqlCall<T> exec,
                Function<WriteExecution, List<Map<String, Object>>> keys, WithImages<T> withImages)
            throws SQLException {
        failCapture();
        if (withImages == null || writes.size() != 1) {
            // An INSERT ... SELECT then cannot return its rows: a whole-table write, known before
            // it runs, rather than one wrapped in a transaction only to find that out after.
            writes.forEach(WriteExecution::withoutImagesInStatement);
        }
        if (engine.settings().writesLeftToStream() && db.ready()) {
            // The change stream invalidates it after the commit. Inside a transaction every later
            // read goes to the database, which sees the transaction's own writes; no images are
            // read, so what the write reached is not known here.
            if (transactional()) {
                dirty = true;
            }
            T result = exec.call();
            for (WriteExecution we : writes) {
                we.executed();
            }
            return result;
        }
        if (!db.ready() || sessionChanged || untracked) {
            return writeUnknown(exec);
        }
        if (transactional()) {
            // Until the statement's reach is known, it may have reached anything.
            boolean wasDirty = dirty;
            dirty = true;
            boolean inStatement;
            try {
                inStatement = imagesInStatement(writes, withImages);
                if (!inStatement) {
                    for (WriteExecution we : writes) {
                        we.before();
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("cannot read row images; invalidating everything at commit", e);
                return writeUnknown(exec);
            }
            boolean images = inStatement;
            SqlCall<T> run = () -> images ? withImages.run(writes.get(0)) : exec.call();
            // TRUNCATE and DDL commit the open transaction on H2 and MariaDB, with the writes
            // collected so far: those are invalidated around it as at a commit, and kept, since
            // on PostgreSQL the transaction goes on (and may still roll back: then it is only
            // extra work).
            T result = writes.stream().anyMatch(WriteExecution::commitsByItself) ? committing(run, true) : run.call();
            List<TableInvalidation> invs = afterAllOrEverything(writes, keys);
            collect(invs);
            if (!wasDirty && invs != null && writes.stream().allMatch(WriteExecution::confined)) {
                dirty = false;
                invs.forEach(i -> dirtyTables.add(i.table()));
            }
            return result;
        }
        boolean strict = protocol.consistency() == Consistency.STRICT;
        boolean knownBefore = true;
        boolean needsImages = false;
        try {
            for (WriteExecution we : writes) {
                knownBefore &= we.knownBefore();
                needsImages |= we.needsImages();
            }
        } catch (RuntimeException e) {
            LOG.warn("cannot plan invalidations; invalidating everything for this write", e);
            return writeUnknown(exec);
        }
        if (knownBefore) {
            List<TableInvalidation> invs = new ArrayList<>();
            List<TableInvalidation> known = afterAllOrEverything(writes, we -> List.of());
            if (known == null) {
                return writeUnknown(exec);
            }
            invs.addAll(known);
            String writer = lock(invs);
            try {
                return exec.call();
            } finally {
                for (WriteExecution we : writes) {
                    we.executed();
                }
                protocol.afterCommit(invs, writer);
            }
        }
        if (!needsImages && !strict) {
            T result;
            try {
                result = exec.call();
            } catch (SQLException | RuntimeException | Error e) {
                // In auto-commit a batch may have committed the statements before the failed one.
                finish(afterFailure(writes), null);
                throw e;
            }
            finish(afterAllOrEverything(writes, keys), null);
            return result;
        }
        boolean inStatement;
        try {
            inStatement = imagesInStatement(writes, withImages);
        } catch (RuntimeException e) {
            LOG.warn("cannot plan invalidations; invalidating everything for this write", e);
            return writeUnknown(exec);
        }
        if (inStatement && !strict) {
            // One auto-commit statement wrote the rows and returned their images: it needs no
            // transaction around it, and the relaxed invalidation follows its commit as it would
            // follow the wrapping transaction's.
            T result = withImages.run(writes.get(0));
            finish(afterAllOrEverything(writes, keys), null);
            return result;
        }
        // Strict keeps the transaction even when the statement returns its images: the LOCK needs
        // the stamps those images name, and must land before the commit (DESIGN §6).
        delegate.setAutoCommit(false);
        boolean executed = false;
        try {
            try {
                for (WriteExecution we : inStatement ? List.<WriteExecution>of() : writes) {
                    we.before();
                }
            } catch (SQLException | RuntimeException e) {
                // The images could not be read: run the write as one of unknown extent instead
                // of failing it.
                LOG.warn("cannot read row images; invalidating everything for this write", e);
                delegate.rollback();
                delegate.setAutoCommit(true);
                executed = true;
                return writeUnknown(exec);
            }
            T result;
            List<TableInvalidation> invs;
            String writer;
            if (strict && knownFromOldImages(writes)) {
                // The old images fix the invalidations already: the lock travels to the store
                // while the database runs the statement, instead of after it.
                invs = afterAllOrEverything(writes, we -> List.of());
                if (invs == null) {
                    result = exec.call();
                    lockEverything();
                    writer = null;
                } else {
                    StampProtocol.PendingLock pending = protocol.sendLock(invs);
                    try {
                        result = exec.call();
                    } catch (SQLException | RuntimeException | Error e) {
                        // Rolled back below; the stamps were locked for nothing and are released.
                        finish(invs, awaitQuietly(pending));
                        throw e;
                    }
                    writer = awaitLock(pending);
                }
            } else {
                result = inStatement ? withImages.run(writes.get(0)) : exec.call();
                invs = afterAllOrEverything(writes, keys);
                if (invs == null) {
                    lockEverything();
                    writer = null;
                } else {
                    writer = lock(invs);
                }
            }
            try {
                delegate.commit();
            } finally {
                finish(invs, writer);
            }
            return result;
        } catch (SQLException | RuntimeException | Error e) {
            if (!executed) {
                try {
                    delegate.rollback();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                if (writes.stream().anyMatch(WriteExecution::commitsByItself)) {
                    // A TRUNCATE or DDL statement of the batch committed the wrapping transaction
                    // (H2, MariaDB), with the statements before it: the rollback undid only the rest.
                    finish(afterFailure(writes), null);
                }
            }
            throw e;
        } finally {
            if (!executed) {
                delegate.setAutoCommit(true);
            }
        }
    }

    /** What failed writes may have committed anyway ({@link WriteExecution#afterFailure}), or null. */
    private static List<TableInvalidation> afterFailure(List<WriteExecution> writes) {
        List<TableInvalidation> invs = new ArrayList<>();
        try {
            for (WriteExecution we : writes) {
                List<TableInvalidation> part = we.afterFailure();
                if (part == null) {
                    return null;
                }
                invs.addAll(part);
            }
            return invs;
        } catch (SQLException | RuntimeException e) {
            LOG.warn("cannot compute what a failed write reached; invalidating everything", e);
            return null;
        }
    }

    /** {@link #afterAll}, with an engine failure meaning "everything". */
    private static List<TableInvalidation> afterAllOrEverything(List<WriteExecution> writes,
            Function<WriteExecution, List<Map<String, Object>>> keys) throws SQLException {
        try {
            return afterAll(writes, keys);
        } catch (RuntimeException e) {
            LOG.warn("cannot compute invalidations; invalidating everything", e);
            return null;
        }
    }

    /** All invalidations of the writes, or null when one of them means "everything". */
    private static List<TableInvalidation> afterAll(List<WriteExecution> writes,
            Function<WriteExecution, List<Map<String, Object>>> keys) throws SQLException {
        List<TableInvalidation> invs = new ArrayList<>();
        for (WriteExecution we : writes) {
            List<TableInvalidation> part = we.after(keys.apply(we));
            if (part == null) {
                return null;
            }
            invs.addAll(part);
        }
        return invs;
    }

    /** A statement that may have written anything: everything is invalidated at its commit. */
    <T> T writeUnknown(SqlCall<T> exec) throws SQLException {
        failCapture();
        if (untracked) {
            // Whether this statement commits on its own is not known: invalidate as in auto-commit
            // now, and again at every later end of a transaction.
            dirty = true;
            everything = true;
        } else if (transactional()) {
            dirty = true;
            everything = true;
            return exec.call();
        }
        lockEverything();
        try {
            return exec.call();
        } finally {
            protocol.invalidateAll();
        }
    }

    /**
     * The pre-commit step: in fail-writes mode an invalidation that cannot be delivered stops
     * the commit (the caller rolls back).
     */
    private String lock(List<TableInvalidation> invs) throws SQLException {
        try {
            return protocol.beforeCommit(invs);
        } catch (StoreException e) {
            throw refused(e);
        }
    }

    /** Whether the one write runs as {@code withImages}, a statement that returns its own images. */
    private static boolean imagesInStatement(List<WriteExecution> writes, WithImages<?> withImages)
            throws SQLException {
        return withImages != null && writes.size() == 1 && writes.get(0).imagesInStatement();
    }

    /** True when every write's invalidations follow from its old images alone. */
    private static boolean knownFromOldImages(List<WriteExecution> writes) {
        for (WriteExecution we : writes) {
            if (!we.knownFromOldImages()) {
                return false;
            }
        }
        return true;
    }

    private String awaitLock(StampProtocol.PendingLock pending) throws SQLException {
        try {
            return protocol.awaitLock(pending);
        } catch (StoreException e) {
            throw refused(e);
        }
    }

    private String awaitQuietly(StampProtocol.PendingLock pending) {
        try {
            return protocol.awaitLock(pending);
        } catch (StoreException e) {
            return null;
        }
    }

    private void lockEverything() throws SQLException {
        try {
            protocol.beforeCommitOfEverything();
        } catch (StoreException e) {
            throw refused(e);
        }
    }

    private static SQLException refused(StoreException e) {
        return new SQLTransientException("cacheops: the write's invalidation could not be delivered to the store ("
                + e.getMessage() + "); the write was not committed (failureMode FAIL_WRITES)", "40000", e);
    }

    /** A function that writes has no cacheable result. */
    private static void failCapture() {
        Capture c = Capture.current();
        if (c != null) {
            c.fail("the function wrote");
        }
    }

    private void collect(List<TableInvalidation> invs) {
        if (invs == null) {
            everything = true;
        } else {
            invs.forEach(ledger::add);
        }
    }

    private void finish(List<TableInvalidation> invs, String writer) {
        if (invs == null) {
            protocol.invalidateAll();
        } else {
            protocol.afterCommit(invs, writer);
        }
    }

    // ---- transactions

    @Override
    public void setAutoCommit(boolean on) throws SQLException {
        if (untracked) {
            // The driver now sets the server's state, which SQL had changed: whether that commits
            // is not known, so what was written is invalidated around it, and kept when a
            // transaction may go on.
            committing(() -> {
                delegate.setAutoCommit(on);
                return null;
            }, !on);
            untracked = false;
            sqlTransaction = false;
            autoCommit = on;
            return;
        }
        if (on && !autoCommit) {
            // Switching auto-commit on commits the open transaction.
            committing(() -> {
                delegate.setAutoCommit(true);
                return null;
            }, false);
        } else {
            // Switching it off, or on when it is on already, leaves a transaction opened by SQL
            // open (drivers skip an unchanged setting; MariaDB commits only when it changes).
            delegate.setAutoCommit(on);
        }
        if (!on) {
            sqlTransaction = false; // it goes on as a JDBC transaction, ledger and all
        }
        autoCommit = on;
        if (on && !sqlTransaction) {
            endTransaction();
        }
    }

    @Override
    public void commit() throws SQLException {
        committing(() -> {
            delegate.commit();
            return null;
        }, false);
        sqlTransaction = false;
    }

    /**
     * Runs a statement that may commit the transaction, as {@link #commit} does: locks what the
     * ledger holds (strict), runs it, then deletes. With {@code keep} the ledger stays for a later
     * commit too (the statement may not have ended the transaction: {@code BEGIN} inside one, an
     * untracked state); without it the ledger is cleared, unless the statement failed while a
     * transaction opened by SQL may still be open. Invalidating twice is only extra work.
     */
    private <T> T committing(SqlCall<T> commit, boolean keep) throws SQLException {
        if (ledger.isEmpty() && !everything) {
            T result = commit.call();
            if (!keep) {
                endTransaction();
            }
            return result;
        }
        List<TableInvalidation> invs = ledger.drain();
        boolean all = everything;
        String writer;
        try {
            writer = lock(invs);
            if (all) {
                lockEverything();
            }
        } catch (SQLException e) {
            if (keep) {
                invs.forEach(ledger::add);
                throw e;
            }
            abandon(e);
            endTransaction();
            throw e;
        }
        boolean ran = false;
        try {
            T result = commit.call();
            ran = true;
            return result;
        } finally {
            if (keep || (!ran && (sqlTransaction || untracked))) {
                // The transaction goes on, or may: its writes are invalidated again at its end.
                invs.forEach(ledger::add);
            } else {
                endTransaction();
            }
            protocol.afterCommit(invs, writer);
            if (all) {
                protocol.invalidateAll();
            }
        }
    }

    /**
     * Rolls back a transaction whose invalidation the store refused: through SQL when it was
     * opened by SQL, since drivers refuse {@code rollback()} in auto-commit.
     */
    private void abandon(SQLException e) {
        try {
            if (autoCommit) {
                try (Statement s = delegate.createStatement()) {
                    s.execute("ROLLBACK");
                }
                sqlTransaction = false;
            } else {
                delegate.rollback();
            }
        } catch (SQLException suppressed) {
            e.addSuppressed(suppressed);
        }
    }

    private void endTransaction() {
        ledger.clear();
        dirty = false;
        dirtyTables.clear();
        everything = false;
    }

    @Override
    public void rollback() throws SQLException {
        if (untracked) {
            // What the session rolls back is not known (its writes may have been committed
            // already): invalidated as at a commit, and kept.
            committing(() -> {
                delegate.rollback();
                return null;
            }, true);
            return;
        }
        try {
            delegate.rollback();
        } catch (SQLException | RuntimeException e) {
            if (!sqlTransaction) {
                endTransaction();
            }
            // pgjdbc refuses rollback() in auto-commit: a transaction opened by SQL is still open
            throw e;
        }
        endTransaction();
        sqlTransaction = false;
    }

    /**
     * Runs a transaction control statement sent as SQL ({@link TransactionControl}), following it
     * as the JDBC call it stands for (DESIGN §6, "Transaction control in SQL").
     */
    <T> T transactionControl(TransactionControl.Kind kind, SqlCall<T> exec) throws SQLException {
        if (untracked) {
            // Which transaction the statement ends is not known: what was written is invalidated
            // around it, and kept.
            return kind == TransactionControl.Kind.SAVEPOINT ? exec.call() : committing(exec, true);
        }
        switch (kind) {
            case BEGIN: {
                if (!transactional()) {
                    T result = exec.call();
                    sqlTransaction = true;
                    return result;
                }
                // PostgreSQL ignores a BEGIN inside a transaction; MySQL and MariaDB commit the
                // open one and start another: invalidated around it as at a commit, and kept for
                // the end of the transaction that goes on.
                return committing(exec, true);
            }
            case COMMIT, PREPARE_TRANSACTION: {
                // A prepared transaction's rows become visible at COMMIT PREPARED, which
                // invalidates everything; invalidating at PREPARE too is only extra work.
                if (!transactional()) {
                    return exec.call();
                }
                T result = committing(exec, false);
                sqlTransaction = false;
                return result;
            }
            case COMMIT_AND_CHAIN:
                return transactional() ? committing(exec, false) : exec.call();
            case ROLLBACK, ROLLBACK_AND_CHAIN: {
                T result = exec.call();
                endTransaction();
                if (kind == TransactionControl.Kind.ROLLBACK) {
                    sqlTransaction = false;
                }
                return result;
            }
            case COMMIT_PREPARED:
                return writeUnknown(exec);
            case UNTRACKED:
                // Set first: a statement of unknown reach run with it invalidates at once too.
                untracked = true;
                return committing(exec, true);
            default:
                return exec.call();
        }
    }

    /**
     * A statement batch that holds transaction control: which of its writes commit when is not
     * followed statement by statement, so everything is locked before it and invalidated after it
     * (and what the ledger held, around it); the state it leaves follows from its control
     * statements in order, and a transaction it leaves open invalidates everything again at its
     * end. A failed batch leaves the state unknown ({@link #untracked}).
     */
    <T> T controlBatch(List<TransactionControl.Kind> kinds, SqlCall<T> exec) throws SQLException {
        failCapture();
        boolean ran = false;
        try {
            T result = committing(() -> {
                lockEverything();
                try {
                    return exec.call();
                } finally {
                    protocol.invalidateAll();
                }
            }, true);
            ran = true;
            return result;
        } finally {
            if (ran) {
                for (TransactionControl.Kind kind : kinds) {
                    follow(kind);
                }
            } else {
                untracked = true;
            }
            if (transactional()) {
                dirty = true;
                everything = true;
            } else {
                endTransaction();
            }
        }
    }

    /** The transaction state after a control statement of a batch ran. */
    private void follow(TransactionControl.Kind kind) {
        switch (kind) {
            case BEGIN -> sqlTransaction |= autoCommit;
            case COMMIT, PREPARE_TRANSACTION, ROLLBACK -> sqlTransaction = false;
            case UNTRACKED -> untracked = true;
            default -> {
            }
        }
    }

    @Override
    public void rollback(Savepoint savepoint) throws SQLException {
        delegate.rollback(savepoint);
        ledger.rollbackTo(savepoint);
    }

    @Override
    public Savepoint setSavepoint() throws SQLException {
        Savepoint sp = delegate.setSavepoint();
        ledger.mark(sp);
        return sp;
    }

    @Override
    public Savepoint setSavepoint(String name) throws SQLException {
        Savepoint sp = delegate.setSavepoint(name);
        ledger.mark(sp);
        return sp;
    }

    @Override
    public void releaseSavepoint(Savepoint savepoint) throws SQLException {
        delegate.releaseSavepoint(savepoint);
        ledger.release(savepoint);
    }

    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        delegate.setTransactionIsolation(level);
        isolation = level;
    }

    @Override
    public void setSchema(String schema) throws SQLException {
        delegate.setSchema(schema);
        sessionChanged = true;
    }

    @Override
    public void setCatalog(String catalog) throws SQLException {
        delegate.setCatalog(catalog);
        sessionChanged = true;
    }

    /** A statement changed session state the cache keys do not capture (search path, database). */
    void markSessionChanged() {
        sessionChanged = true;
    }

    @Override
    public void close() throws SQLException {
        settleOnClose();
        delegate.close();
    }

    @Override
    public void abort(Executor executor) throws SQLException {
        settleOnClose();
        delegate.abort(executor);
    }

    /**
     * Some drivers commit an open transaction on close, most roll it back: invalidating what it
     * wrote is right either way (extra invalidation is only ever extra work).
     */
    private void settleOnClose() {
        if (!ledger.isEmpty() || everything) {
            List<TableInvalidation> invs = ledger.drain();
            protocol.afterCommit(invs, null);
            if (everything) {
                protocol.invalidateAll();
            }
            endTransaction();
        }
        sqlTransaction = false;
        untracked = false;
    }
}
