package dev.cacheops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheops.testing.CountingDataSource;
import dev.cacheops.testing.TestServices;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Dirty per table, not per transaction (DESIGN §6): at READ COMMITTED a transaction that has
 * written keeps being served hits (and filling) for the tables it has not written, while reads of
 * what it wrote bypass; a write that may reach other tables (a trigger, a cascading foreign key
 * it may fire, a view) dirties the whole transaction; REPEATABLE READ and a level the wrapper cannot tell keep the
 * whole-transaction bypass; a rollback leaves the cache valid. Strict mode on Redis: the
 * transaction's own pre-commit locks never refuse its reads (they exist only during the commit).
 * Subclasses choose the database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DirtyPerTableSuite {
    static final String ITEM = "select name, price from i14d_item where id = ?";
    static final String STOCK = "select qty from i14d_stock where id = ?";
    static final String ITEM_STOCK = "select i.name, s.qty from i14d_item i join i14d_stock s on s.id = i.id where i.id = ?";
    static final String HISTORY = "select n from i14d_history where id = ?";
    static final String CHILD = "select count(*) from i14d_child where parent_id = ?";

    protected CountingDataSource counting;
    protected Cacheops cacheops;
    protected DataSource ds;

    /** The database, with a clean set of the {@code i14d_} tables, at READ COMMITTED. */
    abstract DataSource database();

    /**
     * The DDL of a trigger on {@code i14d_district} that adds one to {@code i14d_history.n} where
     * id = 1 after every update.
     */
    abstract List<String> triggerDdl();

    /** A statement that changes the isolation level in a way the wrapper cannot read. */
    abstract String unknownIsolationStatement();

    @BeforeEach
    void setUp() throws SQLException {
        DataSource db = database();
        exec(db, "drop view if exists i14d_stock_v", "drop table if exists i14d_child",
                "drop table if exists i14d_parent", "drop table if exists i14d_district",
                "drop table if exists i14d_history", "drop table if exists i14d_stock",
                "drop table if exists i14d_item");
        exec(db, "create table i14d_item (id int primary key, name varchar(20) not null, price int)",
                "create table i14d_stock (id int primary key, qty int not null)",
                "create table i14d_history (id int primary key, n int not null)",
                "create table i14d_district (id int primary key, ytd int not null)",
                "create table i14d_parent (id int primary key, label varchar(20))",
                "create table i14d_child (id int primary key, parent_id int references i14d_parent(id) on delete cascade)",
                "create view i14d_stock_v as select id, qty from i14d_stock",
                "insert into i14d_item values (1, 'one', 10), (2, 'two', 20), (3, 'three', 30)",
                "insert into i14d_stock values (1, 100), (2, 200)",
                "insert into i14d_history values (1, 0)",
                "insert into i14d_district values (1, 0)",
                "insert into i14d_parent (id) values (1), (2)",
                "insert into i14d_child values (1, 1), (2, 1), (3, 2)");
        exec(db, triggerDdl().toArray(String[]::new));
        counting = new CountingDataSource(db);
        cacheops = build(Cacheops.builder());
        ds = cacheops.wrap(counting.dataSource());
    }

    Cacheops build(Cacheops.Builder b) {
        return b.redis(TestServices.redisUri()).redisTimeout(Duration.ofSeconds(2))
                .prefix("i14d" + TestServices.uniquePrefix()).profile("*", Op.ALL, Duration.ofHours(1)).build();
    }

    @AfterEach
    void tearDown() {
        cacheops.close();
    }

    @Test
    void aWriteToOneTableLeavesReadsOfOthersServedAndFilled() throws SQLException {
        warm(ITEM, 1);
        warm(STOCK, 1);
        try (Connection tx = ds.getConnection()) {
            tx.setAutoCommit(false);
            update(tx, "update i14d_stock set qty = 99 where id = 1");
            CacheStats before = cacheops.stats();
            assertThat(CachingContract.query(tx, ITEM, 1)).containsExactly(List.of("one", 10));
            assertThat(cacheops.stats().minus(before).hits()).as("item not written: served").isEqualTo(1);

            assertThat(CachingContract.query(tx, STOCK, 1)).as("own write").containsExactly(List.of(99));
            assertThat(CachingContract.query(tx, ITEM_STOCK, 1)).as("a join with the written table")
                    .containsExactly(List.of("one", 99));
            assertThat(cacheops.stats().minus(before).passThroughs().get(PassReason.DIRTY_TRANSACTION)).isEqualTo(2);
            assertThat(CachingContract.query(ds, STOCK, 1)).as("others: committed").containsExactly(List.of(100));

            // A miss on an unwritten table is filled: its result is committed data.
            long stores = cacheops.stats().stores();
            assertThat(CachingContract.query(tx, ITEM, 2)).containsExactly(List.of("two", 20));
            awaitStores(stores);
            before = cacheops.stats();
            assertThat(CachingContract.query(tx, ITEM, 2)).containsExactly(List.of("two", 20));
            assertThat(cacheops.stats().minus(before).hits()).as("filled inside the transaction, then served")
                    .isEqualTo(1);
            tx.commit();
        }
        assertThat(CachingContract.query(ds, STOCK, 1)).as("invalidated at commit").containsExactly(List.of(99));
        assertThat(hit(ITEM, 1)).as("item untouched by the commit").isTrue();
    }

    @Test
    void aTriggerDirtiesTheWholeTransaction() throws SQLException {
        warm(ITEM, 1);
        warm(HISTORY, 1);
        try (Connection tx = ds.getConnection()) {
            tx.setAutoCommit(false);
            update(tx, "update i14d_district set ytd = ytd + 5 where id = 1");
            CacheStats before = cacheops.stats();
            assertThat(CachingContract.query(tx, HISTORY, 1)).as("the trigger's write, uncommitted")
                    .containsExactly(List.of(1));
            assertThat(CachingContract.query(tx, ITEM, 1)).containsExactly(List.of("one", 10));
            CacheStats d = cacheops.stats().minus(before);
            assertThat(d.hits()).isZero();
            assertThat(d.passThroughs().get(PassReason.DIRTY_TRANSACTION)).isEqualTo(2);
            tx.rollback();
        }
        assertThat(hit(HISTORY, 1)).as("rolled back: nothing invalidated").isTrue();
    }

    @Test
    void aCascadingForeignKeyDirtiesTheWholeTransaction() throws SQLException {
        warm(ITEM, 1);
        warm(CHILD, 1);
        try (Connection tx = ds.getConnection()) {
            tx.setAutoCommit(false);
            update(tx, "delete from i14d_parent where id = 1");
            CacheStats before = cacheops.stats();
            assertThat(CachingContract.query(tx, CHILD, 1)).as("the cascade, uncommitted").containsExactly(List.of(0L));
            assertThat(CachingContract.query(tx, ITEM, 1)).containsExactly(List.of("one", 10));
            assertThat(cacheops.stats().minus(before).passThroughs().get(PassReason.DIRTY_TRANSACTION)).isEqualTo(2);
            tx.commit();
        }
        assertThat(CachingContract.query(ds, CHILD, 1)).containsExactly(List.of(0L));
    }

    @Test
    void aWriteToAParentThatCannotCascadeDirtiesOnlyItsTable() throws SQLException {
        warm(ITEM, 1);
        warm(CHILD, 1);
        try (Connection tx = ds.getConnection()) {
            tx.setAutoCommit(false);
            update(tx, "insert into i14d_parent (id) values (3)");
            update(tx, "update i14d_parent set label = 'x' where id = 1");
            CacheStats before = cacheops.stats();
            assertThat(CachingContract.query(tx, CHILD, 1)).containsExactly(List.of(2L));
            assertThat(CachingContract.query(tx, ITEM, 1)).containsExactly(List.of("one", 10));
            assertThat(cacheops.stats().minus(before).hits()).as("no key assigned, nothing deleted: no cascade")
                    .isEqualTo(2);
            update(tx, "update i14d_parent set id = 4 where id = 3");
            before = cacheops.stats();
            assertThat(CachingContract.query(tx, ITEM, 1)).containsExactly(List.of("one", 10));
            assertThat(cacheops.stats().minus(before).passThroughs().get(PassReason.DIRTY_TRANSACTION))
                    .as("a referenced key assigned: may cascade").isEqualTo(1);
            tx.commit();
        }
    }

    @Test
    void aWriteThroughAViewDirtiesTheWholeTransactionAndInvalidatesAtCommit() throws SQLException {
        warm(ITEM, 1);
        warm(STOCK, 1);
        try (Connection tx = ds.getConnection()) {
            tx.setAutoCommit(false);
            update(tx, "update i14d_stock_v set qty = 7 where id = 1");
            CacheStats before = cacheops.stats();
            assertThat(CachingContract.query(tx, STOCK, 1)).as("own write through the view").containsExactly(List.of(7));
            assertThat(CachingContract.query(tx, ITEM, 1)).containsExactly(List.of("one", 10));
            assertThat(cacheops.stats().minus(before).passThroughs().get(PassReason.DIRTY_TRANSACTION)).isEqualTo(2);
            tx.commit();
        }
        assertThat(CachingContract.query(ds, STOCK, 1)).as("the base table invalidated").containsExactly(List.of(7));
    }

    @Test
    void repeatableReadKeepsTheWholeTransactionBypass() throws SQLException {
        cacheops.close();
        cacheops = build(Cacheops.builder().serveCommittedInRepeatableRead(true));
        ds = cacheops.wrap(counting.dataSource());
        warm(ITEM, 1);
        try (Connection tx = ds.getConnection()) {
            tx.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            tx.setAutoCommit(false);
            CacheStats before = cacheops.stats();
            assertThat(CachingContract.query(tx, ITEM, 1)).containsExactly(List.of("one", 10));
            assertThat(cacheops.stats().minus(before).hits()).as("clean, opted in: served").isEqualTo(1);
            update(tx, "update i14d_stock set qty = 1 where id = 2");
            before = cacheops.stats();
            assertThat(CachingContract.query(tx, ITEM, 1)).containsExactly(List.of("one", 10));
            CacheStats d = cacheops.stats().minus(before);
            assertThat(d.hits()).isZero();
            assertThat(d.passThroughs().get(PassReason.DIRTY_TRANSACTION)).isEqualTo(1);
            tx.commit();
            tx.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        }
    }

    @Test
    void repeatableReadSetBySqlKeepsTheWholeTransactionBypass() throws SQLException {
        warm(ITEM, 1);
        try (Connection tx = ds.getConnection()) {
            tx.setAutoCommit(false);
            update(tx, "set transaction isolation level repeatable read");
            update(tx, "update i14d_stock set qty = 1 where id = 2");
            CacheStats before = cacheops.stats();
            assertThat(CachingContract.query(tx, ITEM, 1)).containsExactly(List.of("one", 10));
            assertThat(cacheops.stats().minus(before).hits()).isZero();
            tx.commit();
        }
    }

    @Test
    void anIsolationStatementTheWrapperCannotReadKeepsTheWholeTransactionBypass() throws SQLException {
        warm(ITEM, 1);
        try (Connection tx = ds.getConnection()) {
            update(tx, unknownIsolationStatement());
            tx.setAutoCommit(false);
            update(tx, "update i14d_stock set qty = 1 where id = 2");
            CacheStats before = cacheops.stats();
            assertThat(CachingContract.query(tx, ITEM, 1)).containsExactly(List.of("one", 10));
            CacheStats d = cacheops.stats().minus(before);
            assertThat(d.hits()).isZero();
            assertThat(d.passThroughs().get(PassReason.DIRTY_TRANSACTION)).isEqualTo(1);
            tx.rollback();
        }
    }

    @Test
    void readCommittedSetBySqlKeepsReadsOfUnwrittenTablesServed() throws SQLException {
        warm(ITEM, 1);
        try (Connection tx = ds.getConnection()) {
            tx.setAutoCommit(false);
            update(tx, "set transaction isolation level read committed");
            update(tx, "update i14d_stock set qty = 1 where id = 2");
            CacheStats before = cacheops.stats();
            assertThat(CachingContract.query(tx, ITEM, 1)).containsExactly(List.of("one", 10));
            assertThat(cacheops.stats().minus(before).hits()).isEqualTo(1);
            tx.commit();
        }
    }

    @Test
    void rollbackLeavesTheCacheValid() throws SQLException {
        warm(ITEM, 1);
        warm(STOCK, 1);
        try (Connection tx = ds.getConnection()) {
            tx.setAutoCommit(false);
            update(tx, "update i14d_stock set qty = 5 where id = 1");
            assertThat(CachingContract.query(tx, STOCK, 1)).containsExactly(List.of(5));
            assertThat(CachingContract.query(tx, ITEM, 1)).containsExactly(List.of("one", 10));
            tx.rollback();
            CacheStats before = cacheops.stats();
            assertThat(CachingContract.query(tx, STOCK, 1)).as("next transaction, clean").containsExactly(List.of(100));
            assertThat(cacheops.stats().minus(before).hits()).isEqualTo(1);
            tx.commit();
        }
    }

    // ---- helpers

    static void exec(DataSource ds, String... sqls) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (String sql : sqls) {
                s.execute(sql);
            }
        }
    }

    static void update(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }

    /** Reads in auto-commit and waits until the result is stored (the fill is asynchronous). */
    void warm(String sql, Object param) {
        // Read again until stored: the first read of a class may come before Redis is connected.
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            CacheStats before = cacheops.stats();
            CachingContract.query(ds, sql, param);
            if (cacheops.stats().hits() > before.hits() || stored(before.stores(), 1_000)) {
                return;
            }
        }
        throw new AssertionError("never stored: " + sql);
    }

    /** Waits until more than {@code stores} results have been stored. */
    void awaitStores(long stores) {
        if (!stored(stores, 20_000)) {
            throw new AssertionError("nothing stored within 20 s");
        }
    }

    private boolean stored(long stores, long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (System.nanoTime() < deadline) {
            if (cacheops.stats().stores() > stores) {
                return true;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** Whether a read in auto-commit is served from the cache (it then is read once more). */
    boolean hit(String sql, Object param) {
        long before = cacheops.stats().hits();
        CachingContract.query(ds, sql, param);
        return cacheops.stats().hits() > before;
    }
}
