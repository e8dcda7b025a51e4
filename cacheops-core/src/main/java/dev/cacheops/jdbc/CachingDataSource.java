package dev.cacheops.jdbc;

import dev.cacheops.engine.Database;
import dev.cacheops.engine.Engine;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * A data source whose connections go through the cache: reads are cached, writes invalidate.
 * One {@link Database} per wrapped data source (its identity, catalog and analysed statements),
 * registered with the engine when wrapping. Thread-safe.
 */
public final class CachingDataSource extends DelegatingDataSource {
    private final Engine engine;
    private final Database database;

    /**
     * Wraps {@code delegate}; the wrapper keeps no connections of its own.
     *
     * @param engine   the engine the connections read and invalidate through
     * @param delegate the data source (usually a pool) to wrap
     */
    public CachingDataSource(Engine engine, DataSource delegate) {
        super(delegate);
        this.engine = engine;
        this.database = engine.attach(delegate);
    }

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(delegate.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return wrap(delegate.getConnection(username, password));
    }

    private Connection wrap(Connection raw) throws SQLException {
        database.init(raw);
        return new CachingConnection(engine, database, raw);
    }
}
