package dev.cacheops;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Transactions (DESIGN §6): a transaction sees its own writes, others see only committed state,
 * a rollback keeps the cache valid, a read-only transaction still hits, a dirty one bypasses, and
 * a rollback to a savepoint discards only the invalidations collected after it.
 */
abstract class TransactionBehaviour extends CachingContract {
    static final String BY_CATEGORY = CachingBehaviour.BY_CATEGORY;

    @Test
    void ownWritesAreVisibleInsideAndOthersSeeOnlyCommittedState() throws SQLException {
        warm(BY_CATEGORY, 5);
        List<List<Object>> before = direct(BY_CATEGORY, 5);
        try (Connection tx = ds.getConnection()) {
            tx.setAutoCommit(false);
            update(tx, "update post set category_id = 6 where id = 1");
            assertThat(query(tx, BY_CATEGORY, 5)).as("own write visible").hasSize(before.size() - 1);
            assertThat(query(BY_CATEGORY, 5)).as("others see the committed state").isEqualTo(before);
            tx.commit();
        }
        assertThat(hit(BY_CATEGORY, 5)).as("invalidated at commit").isFalse();
        assertThat(query(BY_CATEGORY, 5)).hasSize(before.size() - 1);
    }

    @Test
    void rollbackKeepsTheCacheValid() throws SQLException {
        warm(BY_CATEGORY, 5);
        try (Connection tx = ds.getConnection()) {
            tx.setAutoCommit(false);
            update(tx, "delete from post where category_id = 5");
            tx.rollback();
        }
        assertThat(hit(BY_CATEGORY, 5)).as("nothing changed, nothing invalidated").isTrue();
    }

    @Test
    void readOnlyTransactionStillHits() throws SQLException {
        warm(BY_CATEGORY, 5);
        try (Connection tx = ds.getConnection()) {
            tx.setAutoCommit(false);
            int before = counting.count(BY_CATEGORY);
            assertThat(query(tx, BY_CATEGORY, 5)).isEqualTo(direct(BY_CATEGORY, 5));
            assertThat(counting.count(BY_CATEGORY)).isEqualTo(before);
            tx.commit();
        }
    }

    @Test
    void dirtyTransactionBypassesTheCache() throws SQLException {
        warm(BY_CATEGORY, 6);
        try (Connection tx = ds.getConnection()) {
            tx.setAutoCommit(false);
            update(tx, "update post set title = 't' where id = 4");
            int before = counting.count(BY_CATEGORY);
            query(tx, BY_CATEGORY, 6);
            assertThat(counting.count(BY_CATEGORY)).as("dirty: read from the database").isEqualTo(before + 1);
            tx.commit();
        }
        assertThat(cacheops.stats().passThroughs().get(PassReason.DIRTY_TRANSACTION)).isEqualTo(1);
        assertThat(hit(BY_CATEGORY, 6)).as("category 7 write leaves category 6 cached").isTrue();
    }

    @Test
    void savepointRollbackDiscardsOnlyItsOwnInvalidations() throws SQLException {
        warm(BY_CATEGORY, 5);
        warm(BY_CATEGORY, 6);
        try (Connection tx = ds.getConnection()) {
            tx.setAutoCommit(false);
            update(tx, "update post set title = 'kept' where id = 1"); // category 5
            Savepoint sp = tx.setSavepoint();
            update(tx, "update post set title = 'undone' where id = 3"); // category 6
            tx.rollback(sp);
            tx.commit();
        }
        assertThat(hit(BY_CATEGORY, 5)).isFalse();
        assertThat(hit(BY_CATEGORY, 6)).as("its write was rolled back").isTrue();
    }

    @Test
    void autoCommitSwitchCommits() throws SQLException {
        warm(BY_CATEGORY, 5);
        try (Connection tx = ds.getConnection()) {
            tx.setAutoCommit(false);
            update(tx, "update post set title = 'ac' where id = 2");
            tx.setAutoCommit(true);
        }
        assertThat(hit(BY_CATEGORY, 5)).isFalse();
    }

    @Test
    void batchedWritesInvalidateEveryRow() throws SQLException {
        warm(BY_CATEGORY, 5);
        warm(BY_CATEGORY, 6);
        warm(BY_CATEGORY, 7);
        try (Connection c = ds.getConnection();
             var ps = c.prepareStatement("update post set title = ? where id = ?")) {
            ps.setString(1, "b1");
            ps.setInt(2, 1);
            ps.addBatch();
            ps.setString(1, "b3");
            ps.setInt(2, 3);
            ps.addBatch();
            ps.executeBatch();
        }
        assertThat(hit(BY_CATEGORY, 5)).isFalse();
        assertThat(hit(BY_CATEGORY, 6)).isFalse();
        assertThat(hit(BY_CATEGORY, 7)).isTrue();
    }
}
