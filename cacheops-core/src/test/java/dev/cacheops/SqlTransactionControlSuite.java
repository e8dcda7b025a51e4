package dev.cacheops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheops.testing.TestServices;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Transaction control sent as SQL on an auto-commit connection ({@code BEGIN}, {@code START
 * TRANSACTION}, {@code COMMIT}, {@code ROLLBACK}) is followed as the JDBC calls it stands for
 * (DESIGN §6, "Transaction control in SQL"): reads after the transaction's writes bypass and store
 * nothing, the invalidation follows the SQL {@code COMMIT} (so a reader that fills between the
 * write and the commit leaves no stale entry), and a SQL {@code ROLLBACK} leaves the cache valid.
 * Each case runs relaxed and strict, on Redis and in process. Subclasses choose the database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SqlTransactionControlSuite {
    static final String ITEM = "select price from txctl_item where id = ?";

    /** Store and consistency of one run. */
    enum Mode {
        REDIS_RELAXED, REDIS_STRICT, LOCAL_RELAXED, LOCAL_STRICT;

        Cacheops build() {
            Cacheops.Builder b = Cacheops.builder();
            b = name().startsWith("REDIS")
                    ? b.redis(TestServices.redisUri()).redisTimeout(Duration.ofSeconds(2))
                            .prefix("txctl:" + TestServices.uniquePrefix())
                    : b.inMemory();
            return b.consistency(name().endsWith("STRICT") ? Consistency.STRICT : Consistency.RELAXED)
                    .profile("*", Op.ALL, Duration.ofHours(1)).build();
        }
    }

    private Cacheops cacheops;
    private DataSource ds;

    /** The database, at READ COMMITTED, auto-commit. */
    abstract DataSource database();

    @BeforeEach
    void createTable() throws SQLException {
        exec(database(), "drop table if exists txctl_item",
                "create table txctl_item (id int primary key, price int not null)",
                "insert into txctl_item values (1, 10), (2, 20), (3, 30)");
    }

    @AfterEach
    void tearDown() throws SQLException {
        if (cacheops != null) {
            cacheops.close();
            cacheops = null;
        }
        exec(database(), "drop table if exists txctl_item");
    }

    DataSource ds() {
        return ds;
    }

    void start(Mode mode) {
        cacheops = mode.build();
        ds = cacheops.wrap(database());
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void readsAfterAWriteInsideBeginSeeTheirOwnWriteAndStoreNothing(Mode mode) throws SQLException {
        start(mode);
        warm(1);
        try (Connection tx = ds.getConnection(); Statement s = tx.createStatement()) {
            s.execute("BEGIN");
            s.executeUpdate("update txctl_item set price = 11 where id = 1");
            s.executeUpdate("update txctl_item set price = 21 where id = 2");
            assertThat(price(tx, 1)).as("own write, not the cached committed value").isEqualTo(11);
            assertThat(price(tx, 2)).as("own write").isEqualTo(21);
            settle();
            assertThat(price(ds, 1)).as("others: committed").isEqualTo(10);
            assertThat(price(ds, 2)).as("others: committed, never the uncommitted row").isEqualTo(20);
            s.execute("COMMIT");
        }
        assertThat(price(ds, 1)).isEqualTo(11);
        assertThat(price(ds, 2)).isEqualTo(21);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aSqlRollbackLeavesTheCacheValid(Mode mode) throws SQLException {
        start(mode);
        warm(1);
        try (Connection tx = ds.getConnection(); Statement s = tx.createStatement()) {
            s.execute("BEGIN");
            s.executeUpdate("update txctl_item set price = 11 where id = 1");
            assertThat(price(tx, 1)).isEqualTo(11);
            settle();
            s.execute("ROLLBACK");
        }
        assertThat(price(ds, 1)).as("rolled back").isEqualTo(10);
        assertThat(price(ds, 1)).isEqualTo(10);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aReaderBetweenTheWriteAndTheSqlCommitLeavesNoStaleEntry(Mode mode) throws SQLException {
        start(mode);
        warm(1);
        try (Connection tx = ds.getConnection(); Statement s = tx.createStatement()) {
            s.execute("BEGIN");
            s.executeUpdate("update txctl_item set price = 11 where id = 1");
            // A concurrent reader reads (and fills) the committed value before the COMMIT.
            assertThat(price(ds, 1)).as("not committed yet").isEqualTo(10);
            settle();
            s.execute("COMMIT");
        }
        assertThat(price(ds, 1)).as("invalidated after the SQL commit").isEqualTo(11);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void startTransactionWithAnIsolationLevelIsFollowedToo(Mode mode) throws SQLException {
        start(mode);
        warm(1);
        try (Connection tx = ds.getConnection(); Statement s = tx.createStatement()) {
            s.execute(startTransaction());
            s.executeUpdate("update txctl_item set price = 11 where id = 1");
            assertThat(price(tx, 1)).isEqualTo(11);
            assertThat(price(ds, 1)).isEqualTo(10);
            settle();
            s.execute("COMMIT");
        }
        assertThat(price(ds, 1)).isEqualTo(11);
    }

    /** {@code START TRANSACTION} in a form with an isolation level, where the database has one. */
    String startTransaction() {
        return "START TRANSACTION ISOLATION LEVEL READ COMMITTED";
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void preparedStatementsCarryTransactionControlToo(Mode mode) throws SQLException {
        start(mode);
        warm(1);
        try (Connection tx = ds.getConnection()) {
            try (PreparedStatement begin = tx.prepareStatement("BEGIN")) {
                begin.execute();
            }
            try (PreparedStatement u = tx.prepareStatement("update txctl_item set price = ? where id = ?")) {
                u.setInt(1, 11);
                u.setInt(2, 1);
                u.executeUpdate();
            }
            assertThat(price(tx, 1)).isEqualTo(11);
            assertThat(price(ds, 1)).isEqualTo(10);
            settle();
            try (PreparedStatement commit = tx.prepareStatement("COMMIT")) {
                commit.executeUpdate();
            }
        }
        assertThat(price(ds, 1)).isEqualTo(11);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aBatchThatLeavesATransactionOpenIsInvalidatedAtItsCommit(Mode mode) throws SQLException {
        start(mode);
        warm(1);
        try (Connection tx = ds.getConnection(); Statement s = tx.createStatement()) {
            s.addBatch("BEGIN");
            s.addBatch("update txctl_item set price = 11 where id = 1");
            s.executeBatch();
            assertThat(price(tx, 1)).isEqualTo(11);
            assertThat(price(ds, 1)).as("not committed yet").isEqualTo(10);
            settle();
            s.execute("COMMIT");
        }
        assertThat(price(ds, 1)).isEqualTo(11);
    }

    /** Passed before SQL control was followed too (the batch was invalidated after it): guards the batch path. */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aWholeTransactionInOneBatchIsInvalidatedAfterIt(Mode mode) throws SQLException {
        start(mode);
        warm(1);
        try (Connection tx = ds.getConnection(); Statement s = tx.createStatement()) {
            s.addBatch("BEGIN");
            s.addBatch("update txctl_item set price = 11 where id = 1");
            s.addBatch("COMMIT");
            s.executeBatch();
        }
        assertThat(price(ds, 1)).isEqualTo(11);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void closingInsideASqlTransactionRollsItBackAndLeavesTheCacheValid(Mode mode) throws SQLException {
        start(mode);
        warm(1);
        try (Connection tx = ds.getConnection(); Statement s = tx.createStatement()) {
            s.execute("BEGIN");
            s.executeUpdate("update txctl_item set price = 11 where id = 1");
            assertThat(price(tx, 1)).isEqualTo(11);
            settle();
        }
        assertThat(price(ds, 1)).isEqualTo(10);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void commitAndChainInvalidatesAndStaysInATransaction(Mode mode) throws SQLException {
        start(mode);
        warm(1);
        warm(2);
        try (Connection tx = ds.getConnection(); Statement s = tx.createStatement()) {
            s.execute("BEGIN");
            s.executeUpdate("update txctl_item set price = 11 where id = 1");
            s.execute("COMMIT AND CHAIN");
            assertThat(price(ds, 1)).as("committed and invalidated").isEqualTo(11);
            s.executeUpdate("update txctl_item set price = 21 where id = 2");
            assertThat(price(tx, 2)).isEqualTo(21);
            assertThat(price(ds, 2)).as("the chained transaction is not committed yet").isEqualTo(20);
            settle();
            s.execute("COMMIT");
        }
        assertThat(price(ds, 2)).isEqualTo(21);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void savepointsAsSqlKeepTheLedgerAndTheTransaction(Mode mode) throws SQLException {
        start(mode);
        warm(1);
        warm(2);
        try (Connection tx = ds.getConnection(); Statement s = tx.createStatement()) {
            s.execute("BEGIN");
            s.execute("SAVEPOINT s1");
            s.executeUpdate("update txctl_item set price = 11 where id = 1");
            s.execute("ROLLBACK TO SAVEPOINT s1");
            s.executeUpdate("update txctl_item set price = 21 where id = 2");
            s.execute("RELEASE SAVEPOINT s1");
            assertThat(price(tx, 2)).isEqualTo(21);
            assertThat(price(ds, 2)).as("not committed yet").isEqualTo(20);
            settle();
            s.execute("COMMIT");
        }
        assertThat(price(ds, 1)).as("rolled back to the savepoint").isEqualTo(10);
        assertThat(price(ds, 2)).isEqualTo(21);
    }

    // ---- helpers

    /** Reads id 1 in auto-commit until its result is stored. */
    void warm(int id) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            long hits = cacheops.stats().hits();
            price(ds, id);
            if (cacheops.stats().hits() > hits) {
                return;
            }
            sleep(20);
        }
        throw new AssertionError("never stored");
    }

    /** Lets asynchronous fills land before the next check. */
    static void settle() {
        sleep(300);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static int price(DataSource ds, int id) {
        List<List<Object>> rows = CachingContract.query(ds, ITEM, id);
        return ((Number) rows.get(0).get(0)).intValue();
    }

    static int price(Connection c, int id) {
        List<List<Object>> rows = CachingContract.query(c, ITEM, id);
        return ((Number) rows.get(0).get(0)).intValue();
    }

    static void exec(DataSource ds, String... sqls) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (String sql : sqls) {
                s.execute(sql);
            }
        }
    }
}
