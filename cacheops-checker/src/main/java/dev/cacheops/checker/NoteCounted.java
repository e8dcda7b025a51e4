package dev.cacheops.checker;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * H2's side of the checker's trigger ({@link Schema#triggerDdl}): every row written to {@code note}
 * adds one to {@code note_count.n}, a write to another table that the cache does not see.
 * Stateless.
 */
public final class NoteCounted implements org.h2.api.Trigger {
    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        try (Statement s = conn.createStatement()) {
            s.executeUpdate(Schema.COUNT_NOTE);
        }
    }
}
