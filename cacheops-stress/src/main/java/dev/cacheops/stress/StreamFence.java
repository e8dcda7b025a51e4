package dev.cacheops.stress;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Waits until the change stream has invalidated every commit that had returned before the call,
 * by an exact criterion rather than a sleep: {@code pg_current_wal_lsn()} read after those commits
 * returned is at or past the end of each of their commit records; the consumer confirms a commit's
 * end position only after its invalidation was delivered, and handles commits in the order of
 * their commit records, so once the slot's {@code confirmed_flush_lsn} reaches that position every
 * one of them was handled. A position is confirmed only at a commit with row changes, so the fence
 * commits one of its own (an increment of the one-row table {@code fence}) after reading it.
 */
final class StreamFence {
    private StreamFence() {
    }

    /**
     * @param raw     an unwrapped, auto-commit connection whose search path holds {@code fence}
     * @param slot    the change stream's slot
     * @param timeout how long to wait at most
     * @return true when the stream caught up within the timeout
     */
    static boolean await(Connection raw, String slot, Duration timeout) throws SQLException {
        String lsn;
        try (Statement s = raw.createStatement()) {
            try (ResultSet rs = s.executeQuery("select pg_current_wal_lsn()::text")) {
                rs.next();
                lsn = rs.getString(1);
            }
            s.executeUpdate("update fence set n = n + 1");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try (PreparedStatement ps = raw.prepareStatement("select confirmed_flush_lsn >= ?::pg_lsn "
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
                StressSchema.sleep(5);
            }
        }
    }
}
