package dev.cacheops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheops.testing.MariaDbDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link DirtyPerTableSuite} on MariaDB, in a database of its own, with every connection set to
 * READ COMMITTED before the cache sees it (as a pool's {@code transactionIsolation} would; MariaDB
 * defaults to REPEATABLE READ). Optional: reported as skipped when MariaDB is not reachable.
 */
class DirtyPerTableMariaDbIT extends DirtyPerTableSuite {
    private MariaDbDatabase database;

    @BeforeAll
    void createDatabase() {
        database = MariaDbDatabase.create("i14d");
    }

    @AfterAll
    void dropDatabase() throws SQLException {
        if (database != null) {
            database.close();
        }
    }

    @Override
    DataSource database() {
        return database;
    }

    /**
     * MySQL's multi-table UPDATE may assign the joined table, which the analysis does not list as
     * written: the whole transaction is dirty, and the joined table is invalidated at commit.
     */
    @Test
    void anUpdateJoiningAnotherTableDirtiesTheWholeTransactionAndInvalidatesItAtCommit() throws SQLException {
        warm(ITEM, 1);
        try (Connection tx = ds.getConnection()) {
            tx.setAutoCommit(false);
            update(tx, "update i14d_stock s join i14d_item i on i.id = s.id set i.price = 11 where s.id = 1");
            CacheStats before = cacheops.stats();
            assertThat(CachingContract.query(tx, ITEM, 1)).as("own write to the joined table").containsExactly(List.of("one", 11));
            assertThat(cacheops.stats().minus(before).passThroughs().get(PassReason.DIRTY_TRANSACTION)).isEqualTo(1);
            tx.commit();
        }
        assertThat(CachingContract.query(ds, ITEM, 1)).as("the joined table invalidated at commit")
                .containsExactly(List.of("one", 11));
    }

    @Override
    List<String> triggerDdl() {
        return List.of("create trigger i14d_counted after update on i14d_district for each row "
                + "update i14d_history set n = n + 1 where id = 1");
    }

    @Override
    String unknownIsolationStatement() {
        return "set session tx_isolation = @@global.tx_isolation";
    }
}
