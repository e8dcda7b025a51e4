package dev.cacheops.changes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheops.testing.TestServices;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link CommitVisibility} against PostgreSQL: a transaction in progress is not visible (its xid
 * as pgoutput streams it, 32 bits), the same transaction once committed is.
 */
class CommitVisibilityIT {
    private final CommitVisibility visibility = new CommitVisibility(1, 300);

    @Test
    void waitsUntilATransactionIsVisibleToNewSnapshots() throws Exception {
        String url = TestServices.postgresUrl();
        try (Connection writer = DriverManager.getConnection(url);
             Connection checker = DriverManager.getConnection(url)) {
            writer.setAutoCommit(false);
            long xid;
            try (Statement st = writer.createStatement(); ResultSet rs = st.executeQuery("select txid_current()")) {
                rs.next();
                xid = rs.getLong(1) & 0xFFFF_FFFFL; // what pgoutput's Begin carries
            }
            long start = System.nanoTime();
            assertThat(visibility.await(checker, List.of(xid))).as("in progress").isFalse();
            assertThat(System.nanoTime() - start).as("waited its maximum").isGreaterThanOrEqualTo(300_000_000L);

            writer.commit();
            assertThat(visibility.await(checker, List.of(xid))).as("committed").isTrue();
            assertThat(visibility.await(checker, List.of())).isTrue();
        }
    }

    @Test
    void aBatchIsVisibleOnlyWhenEveryTransactionIs() throws Exception {
        String url = TestServices.postgresUrl();
        try (Connection done = DriverManager.getConnection(url);
             Connection open = DriverManager.getConnection(url);
             Connection checker = DriverManager.getConnection(url)) {
            long committed;
            try (Statement st = done.createStatement(); ResultSet rs = st.executeQuery("select txid_current()")) {
                rs.next();
                committed = rs.getLong(1) & 0xFFFF_FFFFL; // auto-commit: committed once answered
            }
            open.setAutoCommit(false);
            long inProgress;
            try (Statement st = open.createStatement(); ResultSet rs = st.executeQuery("select txid_current()")) {
                rs.next();
                inProgress = rs.getLong(1) & 0xFFFF_FFFFL;
            }
            assertThat(visibility.await(checker, List.of(committed))).isTrue();
            assertThat(visibility.await(checker, List.of(committed, inProgress))).isFalse();
            open.rollback();
            // A rolled-back transaction is completed too: nothing of it will ever be visible.
            assertThat(visibility.await(checker, List.of(committed, inProgress))).isTrue();
        }
    }
}
