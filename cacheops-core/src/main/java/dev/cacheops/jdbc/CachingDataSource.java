package dev.cacheops.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import dev.cacheops.sql.TableName;
import javax.sql.DataSource;

/**
 * A data source whose connections go through the cache. One {@link Database} per wrapped data
 * source: its identity, catalog and analysed statements. Thread-safe.
 */
final class CachingDataSource extends DelegatingDataSource {
    private final Engine engine;
    private final Database database;

    CachingDataSource(Engine engine, DataSource delegate) {
        super(delegate);
        this.engine = engine;
        this.database = new Database(engine);
    }

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(delegate.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return wrap(delegate.getConnection(username, password));
    }

    /** Resolves a table through a fresh connection; empty when unknown or unreachable. */
    Optional<TableInfo> resolve(TableName name) {
        try (Connection raw = delegate.getConnection()) {
            database.init(raw);
            return database.ready() ? database.catalog().resolveForWrite(raw, name) : Optional.empty();
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    /** Plans a statement through a fresh connection; an Unknown plan when none can be had. */
    Plan plan(String sql) {
        try (Connection raw = delegate.getConnection()) {
            database.init(raw);
            return database.ready() ? database.plan(sql, raw) : new Plan.Unknown("database not ready", false);
        } catch (SQLException e) {
            return new Plan.Unknown(e.toString(), false);
        }
    }

    private Connection wrap(Connection raw) throws SQLException {
        database.init(raw);
        return new CachingConnection(engine, database, raw);
    }
}
