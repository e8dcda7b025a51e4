package dev.cacheops.demo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * One prepared statement per SQL text for the life of a connection, as drivers' statement caches
 * do (pgjdbc's server-side prepares, MySQL's {@code cachePrepStmts}, Oracle's implicit cache).
 * Both runs use it. It matters for the default H2 server: H2's remote driver sends a round trip
 * for every {@code prepareStatement}, which pgjdbc does not, and a cache hit would still pay it
 * (the wrapper prepares the real statement before it knows the read will hit). Not thread-safe.
 */
final class StatementCache implements AutoCloseable {
    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    StatementCache(Connection connection) {
        this.connection = connection;
    }

    /** The statement for {@code sql}, prepared on first use. */
    PreparedStatement get(String sql) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps == null) {
            ps = connection.prepareStatement(sql);
            statements.put(sql, ps);
        }
        return ps;
    }

    @Override
    public void close() throws SQLException {
        SQLException first = null;
        for (PreparedStatement ps : statements.values()) {
            try {
                ps.close();
            } catch (SQLException e) {
                first = first == null ? e : first;
            }
        }
        statements.clear();
        if (first != null) {
            throw first;
        }
    }
}
