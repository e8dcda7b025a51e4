package dev.cacheops.checker;

import dev.cacheops.Cacheops;
import dev.cacheops.Op;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Duration;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Everything one replay of a workload needs, fresh: an empty database with the schema, a
 * {@link Cacheops} with its own key prefix and every table on {@code Op.ALL}, two wrapped
 * connections (A and B) with the raw connections under them, and a separate raw auto-commit
 * connection that sees only committed state (the oracle). With {@link Target#changeStream()} the
 * Cacheops also consumes a replication slot of its own (dropped at {@link #close()}), and
 * {@link #awaitChangeStream()} waits until it has invalidated every commit so far.
 * Single-threaded.
 */
final class Environment implements AutoCloseable {
    /** A write that meets the other connection's row lock fails after this long (one thread: it would wait forever). */
    static final int LOCK_TIMEOUT_MILLIS = 40;

    final Target target;
    final Services.FreshDatabase database;
    final Cacheops cacheops;
    final ReadProbe probe = new ReadProbe();
    final Connection[] wrapped = new Connection[2];
    final Connection[] raw = new Connection[2];
    final Connection oracle;
    private final String prefix;
    private final String redisUri;
    private final String slot;
    /** How long {@link #awaitChangeStream()} waits at most. */
    static final Duration STREAM_TIMEOUT = Duration.ofSeconds(30);

    Environment(Target target) throws SQLException {
        this.target = target;
        this.database = Services.fresh(target.dialect());
        this.prefix = Services.uniqueName();
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            for (String ddl : Schema.ddl(target.dialect())) {
                s.execute(ddl);
            }
        }
        Cacheops.Builder b = Cacheops.builder().prefix(prefix).listener(probe)
                .profile("*", Op.ALL, Duration.ofHours(1));
        if (target.store() == Target.StoreKind.REDIS) {
            redisUri = Services.redisUri();
            b.redis(redisUri).redisTimeout(Duration.ofSeconds(2));
        } else {
            redisUri = null;
            b.inMemory();
        }
        if (target.changeStream()) {
            slot = "cacheops_chk_" + prefix.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
            b.changeStream(Services.postgresUrl(), slot);
            try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
                // A primary key: with the slot's publication (for all tables) an update needs a replica identity.
                s.execute("create table cacheops_fence (id int primary key, n bigint not null)");
                s.execute("insert into cacheops_fence values (1, 0)");
            }
        } else {
            slot = null;
        }
        this.cacheops = b.build();
        RecordingDataSource recording = new RecordingDataSource(database.dataSource());
        DataSource cached = cacheops.wrap(recording);
        for (int i = 0; i < 2; i++) {
            wrapped[i] = cached.getConnection();
            // unwrap(Connection.class) answers the wrapper itself: take the raw one as it was handed out
            raw[i] = recording.last;
            if (raw[i] == null || raw[i] == wrapped[i]) {
                throw new IllegalStateException("cannot find the raw connection under the wrapped one");
            }
            try (Statement s = raw[i].createStatement()) {
                s.execute(target.dialect().lockTimeoutStatement(LOCK_TIMEOUT_MILLIS));
            }
        }
        this.oracle = database.dataSource().getConnection();
        try (Statement s = oracle.createStatement()) {
            s.execute(target.dialect().lockTimeoutStatement(LOCK_TIMEOUT_MILLIS));
        }
        if (slot != null && !awaitChangeStream()) {
            close();
            throw new IllegalStateException("the change stream of slot " + slot + " was not consumed within "
                    + STREAM_TIMEOUT);
        }
    }

    /**
     * Waits until the change stream has invalidated every commit that returned before the call,
     * by an exact criterion rather than a sleep: {@code pg_current_wal_lsn()} read now is at or
     * past the end of each such commit's record; the consumer confirms a commit's end position
     * only after its invalidation was delivered and handles commits in commit order, so once the
     * slot's {@code confirmed_flush_lsn} reaches that position all of them were handled. A position
     * is confirmed only at a commit with row changes, so a fence row is incremented after reading it.
     *
     * @return false when the stream did not get there within {@link #STREAM_TIMEOUT}
     */
    boolean awaitChangeStream() throws SQLException {
        String lsn;
        try (Statement s = oracle.createStatement()) {
            try (ResultSet rs = s.executeQuery("select pg_current_wal_lsn()::text")) {
                rs.next();
                lsn = rs.getString(1);
            }
            s.executeUpdate("update cacheops_fence set n = n + 1");
        }
        long deadline = System.nanoTime() + STREAM_TIMEOUT.toNanos();
        try (PreparedStatement ps = oracle.prepareStatement("select confirmed_flush_lsn >= ?::pg_lsn "
                + "from pg_replication_slots where slot_name = ?")) {
            ps.setString(1, lsn);
            ps.setString(2, slot);
            while (true) {
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        return true;
                    }
                }
                if (System.nanoTime() > deadline) {
                    return false;
                }
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
    }

    @Override
    public void close() {
        for (Connection c : new Connection[] {wrapped[0], wrapped[1], oracle}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (SQLException e) {
                // closing anyway
            }
        }
        cacheops.close();
        if (slot != null) {
            dropSlot();
        }
        if (redisUri != null) {
            deleteKeys();
        }
        database.close();
    }

    /** Drops the run's slot (it would keep WAL forever) once its consumer let go, and its publication. */
    private void dropSlot() {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try {
                Services.exec(Services.postgres(), "select pg_drop_replication_slot(slot_name) from pg_replication_slots "
                        + "where slot_name = '" + slot + "'");
                break;
            } catch (IllegalStateException e) {
                if (System.nanoTime() > deadline) {
                    System.err.println("cannot drop replication slot " + slot + " (drop it by hand: it keeps WAL): " + e);
                    return;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        Services.exec(Services.postgres(), "drop publication if exists " + slot);
    }

    /** Removes this run's keys (by prefix, never FLUSHDB: the Redis is shared). */
    private void deleteKeys() {
        RedisClient client = RedisClient.create(redisUri);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = c.sync().scan(cursor, ScanArgs.Builder.matches(prefix + ":*").limit(1000));
                if (!page.getKeys().isEmpty()) {
                    c.sync().unlink(page.getKeys().toArray(new String[0]));
                }
                cursor = page;
            } while (!cursor.isFinished());
        } catch (RuntimeException e) {
            // best effort: the keys carry TTLs anyway
        } finally {
            client.shutdown();
        }
    }

    /** Hands out raw connections and remembers the last one. */
    private static final class RecordingDataSource implements DataSource {
        private final DataSource delegate;
        Connection last;

        RecordingDataSource(DataSource delegate) {
            this.delegate = delegate;
        }

        @Override
        public Connection getConnection() throws SQLException {
            last = delegate.getConnection();
            return last;
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            last = delegate.getConnection(user, password);
            return last;
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return delegate.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            delegate.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            delegate.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return delegate.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return delegate.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            return delegate.unwrap(iface);
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) throws SQLException {
            return delegate.isWrapperFor(iface);
        }
    }
}
