package dev.cacheops;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Transactions (DESIGN §6): a transaction sees its own writes, others see only committed state,
 * a rollback keeps the cache valid, a read-only transaction still hits, a dirty one bypasses for
 * the tables it wrote (for all, after a write that may reach any table: a trigger, a function, a
 * cascade), and
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
    void aTransactionThatWroteOneTableStillHitsTheOthers() throws SQLException {
        String comments = "select body from comment where post_id = ? order by id";
        warm(BY_CATEGORY, 5);
        warm(comments, 1);
        try (Connection tx = ds.getConnection()) {
            tx.setAutoCommit(false);
            // comment has no trigger and no cascading children: the write reaches comment only.
            update(tx, "update comment set body = 'edited' where id = 1");
            int before = counting.count(BY_CATEGORY);
            assertThat(query(tx, BY_CATEGORY, 5)).isEqualTo(direct(BY_CATEGORY, 5));
            assertThat(counting.count(BY_CATEGORY)).as("post was not written: served").isEqualTo(before);
            assertThat(query(tx, comments, 1)).as("own write visible").contains(List.of("edited"));
            assertThat(query(comments, 1)).as("others see the committed state").contains(List.of("x"));
            tx.commit();
        }
        assertThat(cacheops.stats().passThroughs().get(PassReason.DIRTY_TRANSACTION)).isEqualTo(1);
        assertThat(query(comments, 1)).contains(List.of("edited"));
    }

    @Test
    void aWriteThatMayReachOtherTablesDirtiesTheWholeTransaction() throws SQLException {
        exec(schema.dataSource(), """
                create function retitle_post(p int) returns int language sql
                    as $$ update post set title = 'by function' where id = p returning p $$;
                create function comment_renames_post() returns trigger language plpgsql
                    as $$ begin update post set title = 'by trigger' where id = new.post_id; return new; end $$;
                create trigger comment_renames_post after update on comment
                    for each row when (new.body = 'fire') execute function comment_renames_post();
                """);
        try {
            warm(BY_CATEGORY, 5);
            try (Connection tx = ds.getConnection()) {
                tx.setAutoCommit(false);
                update(tx, "update comment set body = 'fire' where id = 1");
                assertThat(query(tx, BY_CATEGORY, 5)).as("the trigger's write is seen").contains(List.of(1, "by trigger"));
                tx.rollback();
            }
            warm(BY_CATEGORY, 5);
            try (Connection tx = ds.getConnection()) {
                tx.setAutoCommit(false);
                update(tx, "insert into audit_log (msg) values (retitle_post(1)::text)");
                assertThat(query(tx, BY_CATEGORY, 5)).as("the function's write is seen").contains(List.of(1, "by function"));
                tx.rollback();
            }
        } finally {
            exec(schema.dataSource(), "drop trigger comment_renames_post on comment; "
                    + "drop function comment_renames_post(); drop function retitle_post(int)");
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
