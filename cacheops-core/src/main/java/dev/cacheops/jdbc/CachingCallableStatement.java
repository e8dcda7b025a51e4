package dev.cacheops.jdbc;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A callable statement: a procedure may read and write anything, so it is never cached, and its
 * execution invalidates everything at commit (see the README's caveats).
 */
final class CachingCallableStatement extends DelegatingCallableStatement {
    private final CachingConnection conn;

    CachingCallableStatement(CachingConnection conn, CallableStatement raw) {
        super(raw);
        this.conn = conn;
    }

    @Override
    public Connection getConnection() {
        return conn;
    }

    @Override
    public ResultSet executeQuery() throws SQLException {
        return conn.writeUnknown(delegate::executeQuery);
    }

    @Override
    public boolean execute() throws SQLException {
        return conn.writeUnknown(delegate::execute);
    }

    @Override
    public int executeUpdate() throws SQLException {
        return conn.writeUnknown(delegate::executeUpdate);
    }

    @Override
    public long executeLargeUpdate() throws SQLException {
        return conn.writeUnknown(delegate::executeLargeUpdate);
    }

    @Override
    public int[] executeBatch() throws SQLException {
        return conn.writeUnknown(delegate::executeBatch);
    }
}
