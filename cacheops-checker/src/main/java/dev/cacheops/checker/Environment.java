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
 * connection that sees only committed state (the oracle). Single-threaded.
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
        if (redisUri != null) {
            deleteKeys();
        }
        database.close();
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
