package dev.cacheops.changes;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;

/**
 * Waits until committed transactions are visible to new snapshots, before the change stream
 * invalidates what they wrote.
 *
 * <p>PostgreSQL writes and flushes a transaction's commit record, and so may stream it to a
 * logical replication client, a moment before the transaction becomes visible to other sessions
 * (the committing backend marks it completed in shared memory after the flush). An invalidation
 * sent in that moment lets a reader fetch new stamps and read the rows as they were before the
 * commit, then store that result under the new stamps: stale until the next write to those rows
 * (the stale-read harness's bypass mode saw it as a final-state mismatch on a loaded machine).
 * Asking a snapshot taken afterwards whether every transaction of the batch is visible closes the
 * moment: once one snapshot sees a transaction as completed, every later one does.
 *
 * <p>pgoutput's {@code Begin} carries a 32-bit xid; the query widens it to the 64-bit form the
 * snapshot functions take by the epoch of the snapshot's {@code xmax}, choosing the value nearest
 * to it (a streamed transaction is far more recent than 2^31 transactions). Not thread-safe: the
 * stream's thread owns it.
 */
final class CommitVisibility {
    // Counts the xids not yet visible in one fresh snapshot. txid_* rather than pg_*_xact_id for
    // PostgreSQL before 13; the arithmetic maps each 32-bit xid to the 64-bit one nearest xmax.
    private static final String NOT_VISIBLE = "with s as (select txid_current_snapshot() as snap,"
            + " txid_snapshot_xmax(txid_current_snapshot()) as m)"
            + " select count(*) from s, unnest(?::bigint[]) as x(xid)"
            + " where not txid_visible_in_snapshot(s.m + ((((x.xid - s.m) % 4294967296) + 6442450944)"
            + " % 4294967296 - 2147483648), s.snap)";

    private final long pollMillis;
    private final long maxWaitMillis;

    /**
     * @param pollMillis    pause between two checks
     * @param maxWaitMillis how long to wait at most before invalidating anyway (logged)
     */
    CommitVisibility(long pollMillis, long maxWaitMillis) {
        this.pollMillis = pollMillis;
        this.maxWaitMillis = maxWaitMillis;
    }

    /**
     * Returns once every transaction of {@code xids} (32-bit, as streamed) is visible to new
     * snapshots of {@code c}'s database, or after the maximum wait.
     *
     * @return true when they all were visible, false when the wait ran out first
     */
    boolean await(Connection c, Collection<Long> xids) throws SQLException {
        if (xids.isEmpty()) {
            return true;
        }
        long deadline = System.nanoTime() + maxWaitMillis * 1_000_000L;
        Array array = c.createArrayOf("bigint", xids.toArray());
        try (PreparedStatement ps = c.prepareStatement(NOT_VISIBLE)) {
            ps.setArray(1, array);
            while (true) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        return true;
                    }
                }
                if (System.nanoTime() - deadline > 0) {
                    return false;
                }
                try {
                    Thread.sleep(pollMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        } finally {
            array.free();
        }
    }
}
