package dev.cacheops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheops.testing.CountingDataSource;
import dev.cacheops.testing.TestServices;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Old and new images in the write statement itself on PostgreSQL (DESIGN §4, "Images in the
 * statement"): a single-row-by-key {@code UPDATE} and a {@code DELETE} send one statement instead
 * of an image select and the write, return the caller's update count, and invalidate what the
 * separate select did; the shapes the rewrite does not cover keep the select.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImagesInStatementIT {
    static final String BY_CATEGORY = "select id, title from i14r_post where category_id = ? order by id";
    static final String BY_ID = "select title, views, category_id from i14r_post where id = ?";

    private TestServices.SchemaDataSource schema;
    private CountingDataSource counting;
    private Cacheops cacheops;
    private DataSource ds;

    @BeforeAll
    void createSchema() {
        schema = TestServices.freshPostgresSchema();
    }

    @AfterAll
    void dropSchema() {
        schema.close();
    }

    @BeforeEach
    void setUp() throws SQLException {
        DirtyPerTableSuite.exec(schema.dataSource(), "drop table if exists i14r_post cascade", "drop table if exists i14r_log",
                "create table i14r_post (id int primary key, category_id int not null, title varchar(40), "
                        + "views int not null default 0)",
                "create table i14r_log (category_id int, title varchar(40))",
                "insert into i14r_post select g, g % 3, 'p' || g, 0 from generate_series(1, 30) g",
                "insert into i14r_log values (1, 'a'), (2, 'b')");
        counting = new CountingDataSource(schema.dataSource());
        open(Consistency.STRICT, 1_000);
    }

    private void open(Consistency consistency, int bulkRows) {
        if (cacheops != null) {
            cacheops.close();
        }
        cacheops = Cacheops.builder().redis(TestServices.redisUri()).redisTimeout(Duration.ofSeconds(2))
                .prefix("i14r" + TestServices.uniquePrefix()).consistency(consistency).bulkRows(bulkRows)
                .profile("*", Op.ALL, Duration.ofHours(1)).build();
        ds = cacheops.wrap(counting.dataSource());
    }

    @AfterEach
    void tearDown() {
        cacheops.close();
        cacheops = null;
    }

    @Test
    void singleRowUpdateByKeySendsOneStatementAndInvalidatesOldAndNewCategory() throws SQLException {
        warm(BY_CATEGORY, 1);
        warm(BY_CATEGORY, 2);
        warm(BY_CATEGORY, 0);
        counting.reset();
        int n;
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("update i14r_post set category_id = ?, views = views + 1 where id = ?")) {
            ps.setInt(1, 2);
            ps.setInt(2, 4); // category 1 -> 2
            n = ps.executeUpdate();
            assertThat(ps.getUpdateCount()).isEqualTo(1);
        }
        assertThat(n).isEqualTo(1);
        assertThat(counting.executed()).as("one statement, no image select").hasSize(1);
        assertThat(counting.executed().get(0)).contains("for update) as __cacheops_old").contains("returning");
        assertThat(hit(BY_CATEGORY, 1)).as("old category").isFalse();
        assertThat(hit(BY_CATEGORY, 2)).as("new category").isFalse();
        assertThat(hit(BY_CATEGORY, 0)).as("untouched category").isTrue();
        assertThat(CachingContract.query(ds, BY_ID, 4)).containsExactly(List.of("p4", 1, 2));
    }

    /**
     * DESIGN §4, "Images from the condition": when the condition's equalities fix the key and every
     * condition column of the schemes the write can affect, the caller's statement runs alone (no
     * image select, no {@code RETURNING}, no transaction around an auto-commit write in either
     * consistency) and invalidates exactly what the images name.
     */
    @Test
    void aConditionThatNamesTheImagesSendsTheCallersStatementAlone() throws SQLException {
        String viewsById = "select views from i14r_post where id = ?";
        for (Consistency consistency : Consistency.values()) {
            open(consistency, 1_000);
            warm(viewsById, 8);
            warm(viewsById, 9);
            warm(BY_CATEGORY, 1);
            warm(BY_CATEGORY, 2);
            warm(BY_CATEGORY, 0);
            counting.reset();
            try (Connection c = ds.getConnection()) {
                try (PreparedStatement ps = c.prepareStatement("update i14r_post set views = views + 1 where id = ?")) {
                    ps.setInt(1, 8);
                    assertThat(ps.executeUpdate()).isEqualTo(1);
                }
            }
            assertThat(counting.executed()).as(consistency.name())
                    .containsExactly("update i14r_post set views = views + 1 where id = ?");
            assertThat(counting.commits()).as("no transaction around it").isZero();
            assertThat(hit(viewsById, 8)).isFalse();
            assertThat(hit(viewsById, 9)).isTrue();
            assertThat(hit(BY_CATEGORY, 2)).as("lists no views").isTrue();

            // a row moved between categories, both fixed: the old and the new one only
            counting.reset();
            try (Connection c = ds.getConnection();
                 PreparedStatement ps = c.prepareStatement(
                         "update i14r_post set category_id = ? where id = ? and category_id = ?")) {
                ps.setInt(1, 0);
                ps.setInt(2, 8);
                ps.setInt(3, 2);
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
            assertThat(counting.executed()).hasSize(1);
            assertThat(hit(BY_CATEGORY, 2)).isFalse();
            assertThat(hit(BY_CATEGORY, 0)).isFalse();
            assertThat(hit(BY_CATEGORY, 1)).isTrue();
            assertThat(CachingContract.query(ds, BY_CATEGORY, 0)).contains(List.of(8, "p8"));

            // a delete by key and category, and a batch of updates by key
            warm(BY_CATEGORY, 0);
            warm(BY_CATEGORY, 2);
            warm(viewsById, 9);
            warm(viewsById, 12);
            counting.reset();
            try (Connection c = ds.getConnection()) {
                try (PreparedStatement ps = c.prepareStatement("delete from i14r_post where id = ? and category_id = ?")) {
                    ps.setInt(1, 8);
                    ps.setInt(2, 0);
                    assertThat(ps.executeUpdate()).isEqualTo(1);
                }
                try (PreparedStatement ps = c.prepareStatement("update i14r_post set views = ? where id = ?")) {
                    for (int id : new int[] {9, 12}) {
                        ps.setInt(1, 40 + id);
                        ps.setInt(2, id);
                        ps.addBatch();
                    }
                    assertThat(ps.executeBatch()).containsExactly(1, 1);
                }
            }
            assertThat(counting.executed()).noneMatch(s -> s.contains("for update") || s.contains("returning"));
            assertThat(hit(BY_CATEGORY, 0)).isFalse();
            assertThat(hit(BY_CATEGORY, 2)).isTrue();
            assertThat(CachingContract.query(ds, viewsById, 9)).containsExactly(List.of(49));
            assertThat(CachingContract.query(ds, viewsById, 12)).containsExactly(List.of(52));
            setUp();
        }
    }

    /** The same in a transaction: no image select; invalidated at the commit. */
    @Test
    void aConditionThatNamesTheImagesInATransaction() throws SQLException {
        String viewsById = "select views from i14r_post where id = ?";
        warm(viewsById, 3);
        warm(viewsById, 6);
        counting.reset();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("update i14r_post set views = ? where id = ?")) {
                ps.setInt(1, 33);
                ps.setInt(2, 3);
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
            assertThat(CachingContract.query(c, viewsById, 3)).as("own write").containsExactly(List.of(33));
            c.commit();
        }
        assertThat(counting.executed()).noneMatch(s -> s.contains("for update") || s.contains("returning"));
        assertThat(CachingContract.query(ds, viewsById, 3)).containsExactly(List.of(33));
        assertThat(hit(viewsById, 6)).isTrue();
    }

    @Test
    void aliasQualifiedAndUnqualifiedColumnsAndLiteralsInAPlainStatement() throws SQLException {
        warm(BY_ID, 5);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("update i14r_post p set views = views + p.views + 7, title = 'x?' "
                    + "where p.id = 5 and category_id = 2")).isEqualTo(1);
            assertThat(s.getUpdateCount()).isEqualTo(1);
            assertThat(s.executeUpdate("update i14r_post p set views = 1 where p.id = 5 and category_id = 1"))
                    .as("no row matches").isZero();
        }
        assertThat(CachingContract.query(ds, BY_ID, 5)).containsExactly(List.of("x?", 7, 2));
    }

    @Test
    void executeReportsTheCountAsTheCallersStatementWould() throws SQLException {
        warm(BY_ID, 6);
        counting.reset();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("update i14r_post set views = views + 2 where id = ?")) {
            ps.setInt(1, 6);
            assertThat(ps.execute()).isFalse();
            assertThat(ps.getResultSet()).isNull();
            assertThat(ps.getUpdateCount()).isEqualTo(1);
            assertThat(ps.getLargeUpdateCount()).isEqualTo(1L);
            assertThat(ps.getMoreResults()).isFalse();
            assertThat(ps.getUpdateCount()).isEqualTo(-1);
        }
        assertThat(counting.executed()).hasSize(1);
        assertThat(CachingContract.query(ds, BY_ID, 6)).containsExactly(List.of("p6", 2, 0));
    }

    @Test
    void largeUpdateCountAndParametersAfterTheSetList() throws SQLException {
        warm(BY_ID, 7);
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "update i14r_post set title = ? || title, views = ? where category_id = ? and id = ?")) {
            ps.setString(1, "t-");
            ps.setInt(2, 9);
            ps.setInt(3, 1);
            ps.setInt(4, 7);
            assertThat(ps.executeLargeUpdate()).isEqualTo(1L);
        }
        assertThat(CachingContract.query(ds, BY_ID, 7)).containsExactly(List.of("t-p7", 9, 1));
    }

    @Test
    void deleteReturnsItsRowsInOneStatement() throws SQLException {
        warm(BY_CATEGORY, 1);
        warm(BY_CATEGORY, 2);
        counting.reset();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("delete from i14r_post where category_id = ? and id < ?")) {
            ps.setInt(1, 1);
            ps.setInt(2, 11);
            assertThat(ps.executeUpdate()).isEqualTo(4); // 1, 4, 7, 10
        }
        assertThat(counting.executed()).hasSize(1);
        assertThat(counting.executed().get(0)).startsWith("delete from").contains("returning");
        assertThat(hit(BY_CATEGORY, 1)).isFalse();
        assertThat(hit(BY_CATEGORY, 2)).isTrue();
        assertThat(CachingContract.query(ds, BY_CATEGORY, 1)).hasSize(6);
    }

    @Test
    void moreRowsThanBulkRowsInvalidateTheTableWhole() throws SQLException {
        open(Consistency.STRICT, 2);
        warm(BY_CATEGORY, 2);
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("delete from i14r_post where category_id = ?")) {
            ps.setInt(1, 1);
            assertThat(ps.executeUpdate()).isEqualTo(10);
        }
        assertThat(hit(BY_CATEGORY, 2)).as("whole table").isFalse();
    }

    @Test
    void shapesTheRewriteDoesNotCoverKeepTheImageSelect() throws SQLException {
        warm(BY_CATEGORY, 1);
        warm("select title from i14r_log where category_id = ?", 1);
        counting.reset();
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "update i14r_post set views = views + 1, category_id = category_id where category_id between ? and ?")) {
                ps.setInt(1, 1);
                ps.setInt(2, 1);
                assertThat(ps.executeUpdate()).as("assigns a needed column the condition does not fix").isEqualTo(10);
            }
            try (PreparedStatement ps = c.prepareStatement("update i14r_post set views = 5 where id = ? returning views")) {
                ps.setInt(1, 1);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).as("the caller's own returning").isEqualTo(5);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("update i14r_post set views = 6 where category_id = ?",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setInt(1, 1);
                assertThat(ps.executeUpdate()).isEqualTo(10);
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    assertThat(keys.next()).as("generated keys as the driver returns them").isTrue();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("update i14r_log set category_id = ? where title = ?")) {
                ps.setInt(1, 1);
                ps.setString(2, "a");
                assertThat(ps.executeUpdate()).as("the same without a primary key").isEqualTo(1);
            }
        }
        assertThat(counting.executed().stream().filter(s -> s.contains("for update") && s.startsWith("select")).count())
                .as("image selects").isEqualTo(4);
        assertThat(counting.executed()).noneMatch(s -> s.contains("__cacheops_"));
        assertThat(CachingContract.query(ds, BY_ID, 1)).containsExactly(List.of("p1", 6, 1));
    }

    /**
     * An {@code UPDATE} that changes no column the invalidation needs is the caller's statement
     * plus {@code RETURNING}, whatever its condition and with or without a primary key: its rows'
     * values before and after agree on those columns.
     */
    @Test
    void anUpdateThatChangesNoNeededColumnReturnsItsRowsWhateverItsCondition() throws SQLException {
        String viewsByCategory = "select id, views from i14r_post where category_id = ? order by id";
        String logByCategory = "select title from i14r_log where category_id = ?";
        for (Consistency consistency : Consistency.values()) {
            open(consistency, 1_000);
            warm(viewsByCategory, 1);
            warm(viewsByCategory, 2);
            warm(logByCategory, 1);
            warm(logByCategory, 2);
            counting.reset();
            try (Connection c = ds.getConnection()) {
                try (PreparedStatement ps = c.prepareStatement("update i14r_post set views = views + 1 where category_id = ?")) {
                    ps.setInt(1, 1);
                    assertThat(ps.executeUpdate()).isEqualTo(10);
                }
                try (PreparedStatement ps = c.prepareStatement("update i14r_log set title = ? where category_id = ?")) {
                    ps.setString(1, consistency.name());
                    ps.setInt(2, 1);
                    assertThat(ps.executeUpdate()).as("no primary key").isEqualTo(1);
                }
            }
            assertThat(counting.executed()).as(consistency + ": one statement per update").containsExactly(
                    "update i14r_post set views = views + 1 where category_id = ? returning i14r_post.\"category_id\", i14r_post.\"id\"",
                    "update i14r_log set title = ? where category_id = ? returning i14r_log.\"category_id\"");
            assertThat(hit(viewsByCategory, 1)).as(consistency + ": the updated category").isFalse();
            assertThat(hit(viewsByCategory, 2)).as(consistency + ": another category").isTrue();
            assertThat(hit(logByCategory, 1)).isFalse();
            assertThat(hit(logByCategory, 2)).isTrue();
        }
        assertThat(CachingContract.query(ds, viewsByCategory, 1)).hasSize(10).allMatch(r -> r.get(1).equals(2));
        assertThat(CachingContract.query(ds, logByCategory, 1)).containsExactly(List.of("RELAXED"));
    }

    /**
     * An {@code UPDATE} that moves rows out of a value its condition fixes ({@code set category_id
     * = ? where category_id = ?}, a status transition) is its own statement plus {@code RETURNING}
     * too: the new images are returned, the old ones are the same rows with the fixed value, so
     * both the category the rows left and the one they joined are invalidated, and no other.
     */
    @Test
    void anUpdateMovingRowsOutOfAFixedValueReturnsItsNewImages() throws SQLException {
        for (Consistency consistency : Consistency.values()) {
            setUp();
            open(consistency, 1_000);
            warm(BY_CATEGORY, 0);
            warm(BY_CATEGORY, 1);
            warm(BY_CATEGORY, 2);
            counting.reset();
            try (Connection c = ds.getConnection();
                 PreparedStatement ps = c.prepareStatement("update i14r_post set category_id = ? where category_id = ? and id < ?")) {
                ps.setInt(1, 2);
                ps.setInt(2, 1);
                ps.setInt(3, 11);
                assertThat(ps.executeUpdate()).isEqualTo(4); // 1, 4, 7, 10
            }
            assertThat(counting.executed()).as(consistency + ": one statement").containsExactly(
                    "update i14r_post set category_id = ? where category_id = ? AND id < ? returning i14r_post.\"category_id\", i14r_post.\"id\"");
            assertThat(hit(BY_CATEGORY, 1)).as(consistency + ": left").isFalse();
            assertThat(hit(BY_CATEGORY, 2)).as(consistency + ": joined").isFalse();
            assertThat(hit(BY_CATEGORY, 0)).as(consistency + ": untouched").isTrue();
            assertThat(CachingContract.query(ds, BY_CATEGORY, 2).stream().map(r -> r.get(0)).toList())
                    .contains(1, 4, 7, 10).hasSize(14);

            // an expression and a literal on the left of the equality: the new value comes back
            warm(BY_CATEGORY, 1);
            counting.reset();
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                assertThat(st.executeUpdate("update i14r_post set category_id = category_id + 1 where 0 = category_id"))
                        .isEqualTo(10);
            }
            assertThat(counting.executed()).hasSize(1).allMatch(sql -> sql.startsWith("update i14r_post set"));
            assertThat(hit(BY_CATEGORY, 0)).as(consistency + ": left").isFalse();
            assertThat(hit(BY_CATEGORY, 1)).as(consistency + ": joined").isFalse();
            assertThat(CachingContract.query(ds, BY_CATEGORY, 1)).hasSize(16);
            assertThat(CachingContract.query(ds, BY_CATEGORY, 0)).isEmpty();
        }
    }

    /** A needed column the condition does not fix to one value keeps the image select. */
    @Test
    void anUpdateMovingRowsFromSeveralValuesKeepsTheImageSelect() throws SQLException {
        warm(BY_CATEGORY, 1);
        warm(BY_CATEGORY, 0);
        counting.reset();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("update i14r_post set category_id = ? where category_id in (?, ?) and id < ?")) {
            ps.setInt(1, 0);
            ps.setInt(2, 1);
            ps.setInt(3, 2);
            ps.setInt(4, 6);
            assertThat(ps.executeUpdate()).isEqualTo(4); // 1, 2, 4, 5
        }
        assertThat(counting.executed()).anyMatch(sql -> sql.startsWith("select") && sql.contains("for update"));
        assertThat(hit(BY_CATEGORY, 1)).isFalse();
        assertThat(hit(BY_CATEGORY, 0)).isFalse();
        assertThat(CachingContract.query(ds, BY_CATEGORY, 0).stream().map(r -> r.get(0)).toList()).contains(1, 2, 4, 5);
    }

    /**
     * A stored generated column changes with the columns it is computed from: read by it, it is
     * needed, so an update of one of those columns keeps the image select, and a result that
     * matched the row's old value is invalidated.
     */
    @Test
    void aGeneratedColumnTheInvalidationNeedsKeepsTheImageSelect() throws SQLException {
        DirtyPerTableSuite.exec(schema.dataSource(),
                "alter table i14r_post add column doubled int generated always as (views * 2) stored");
        String byDoubled = "select id from i14r_post where doubled = ? and category_id = ? order by id";
        CachingContract.warmOf(cacheops, ds, byDoubled, 0, 1);
        counting.reset();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("update i14r_post set views = ? where category_id = ? and title <> ?")) {
            ps.setInt(1, 1);
            ps.setInt(2, 1);
            ps.setString(3, "p4");
            assertThat(ps.executeUpdate()).isEqualTo(9);
        }
        assertThat(counting.executed()).anyMatch(s -> s.startsWith("select") && s.contains("for update"));
        assertThat(CachingContract.query(ds, byDoubled, 0, 1)).containsExactly(List.of(4));
    }

    /**
     * The case that keeps a multi-row {@code UPDATE} out of the {@code UPDATE ... FROM} form: a
     * concurrent transaction changes a matching row's key and the row still matches. The caller's
     * statement plus {@code RETURNING} updates it, as the statement alone would, and returns the
     * values it had when updated (the concurrent write's new key).
     */
    @Test
    void aConcurrentKeyChangeOfAMatchingRowIsStillUpdated() throws Exception {
        String byId = "select views from i14r_post where id = ?";
        warm(byId, 100);
        warm(BY_CATEGORY, 1);
        assertThat(waitingBehind("update i14r_post set id = 100 where id = 13", // category 1
                "update i14r_post set views = views + 5 where category_id = ?", 1))
                .as("the moved row too, as the original").isEqualTo(10);
        assertThat(CachingContract.query(ds, byId, 100)).containsExactly(List.of(5));
        assertThat(CachingContract.query(ds, BY_CATEGORY, 1).stream().map(r -> r.get(0)).toList()).contains(100)
                .doesNotContain(13);
    }

    /**
     * PostgreSQL refuses {@code RETURNING} on a table with a {@code DO INSTEAD} rule that has
     * none; a table with rules (or triggers, or row-level security) keeps the caller's statement
     * and the image select, so the caller's valid write still succeeds.
     */
    @Test
    void aTableWithARewriteRuleKeepsTheCallersStatement() throws SQLException {
        DirtyPerTableSuite.exec(schema.dataSource(),
                "create rule i14r_instead as on update to i14r_post do instead "
                        + "update i14r_log set title = new.title where category_id = old.category_id");
        warm(BY_ID, 4);
        counting.reset();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("update i14r_post set title = ? where id = ?")) {
            ps.setString(1, "ruled");
            ps.setInt(2, 4);
            ps.executeUpdate();
        }
        assertThat(counting.executed()).noneMatch(s -> s.contains("returning"));
        assertThat(CachingContract.query(ds, "select title from i14r_log where category_id = ?", 1))
                .containsExactly(List.of("ruled"));
        assertThat(CachingContract.query(ds, BY_ID, 4)).containsExactly(List.of("p4", 0, 1));
    }

    @Test
    void relaxedAutoCommitNeedsNoTransaction() throws SQLException {
        open(Consistency.RELAXED, 1_000);
        warm(BY_ID, 3);
        counting.reset();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("update i14r_post set views = views + 1 where id = ?")) {
            ps.setInt(1, 3);
            assertThat(ps.executeUpdate()).isEqualTo(1);
            assertThat(c.getAutoCommit()).isTrue();
        }
        assertThat(counting.executed()).hasSize(1);
        assertThat(hit(BY_ID, 3)).isFalse();
        assertThat(CachingContract.query(ds, BY_ID, 3)).containsExactly(List.of("p3", 1, 0));
    }

    @Test
    void insideATransactionTheImagesComeWithTheStatementAndARollbackInvalidatesNothing() throws SQLException {
        warm(BY_ID, 8);
        counting.reset();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("update i14r_post set title = ? where id = ?")) {
                ps.setString(1, "rolled back");
                ps.setInt(2, 8);
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
            assertThat(CachingContract.query(c, BY_ID, 8)).as("own write").containsExactly(List.of("rolled back", 0, 2));
            c.rollback();
            try (PreparedStatement ps = c.prepareStatement("update i14r_post set title = ? where id = ?")) {
                ps.setString(1, "committed");
                ps.setInt(2, 8);
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
            c.commit();
        }
        assertThat(counting.executed()).noneMatch(s -> s.startsWith("select") && s.contains("for update"));
        assertThat(CachingContract.query(ds, BY_ID, 8)).containsExactly(List.of("committed", 0, 2));
    }

    @Test
    void concurrentUpdatesOfTheSameRowBothApply() throws Exception {
        warm(BY_ID, 9);
        assertThat(waitingBehind("update i14r_post set views = views + 1 where id = 9",
                "update i14r_post set views = views + 10, category_id = ? where id = ? and views < ?", 1, 9, 5))
                .as("re-checked on the newest row (views 1 < 5), as the original").isEqualTo(1);
        assertThat(CachingContract.query(ds, BY_ID, 9)).containsExactly(List.of("p9", 11, 1));
        assertThat(CachingContract.query(ds, BY_CATEGORY, 1).stream().map(r -> r.get(0)).toList()).contains(9);
    }

    @Test
    void aConcurrentUpdateThatMakesTheRowNoLongerMatchLeavesItAlone() throws Exception {
        warm(BY_ID, 10);
        assertThat(waitingBehind("update i14r_post set category_id = 2 where id = 10",
                "update i14r_post set views = 100 where id = ? and category_id = ?", 10, 1)).isZero();
        assertThat(CachingContract.query(ds, BY_ID, 10)).containsExactly(List.of("p10", 0, 2));
    }

    @Test
    void insertSelectReturnsItsRowsAndInvalidatesOnlyWhereTheyLand() throws SQLException {
        for (Consistency consistency : Consistency.values()) {
            open(consistency, 1_000);
            int id = consistency == Consistency.STRICT ? 101 : 201;
            warm(BY_CATEGORY, 0);
            warm(BY_CATEGORY, 1);
            warm(BY_CATEGORY, 2);
            warm(BY_ID, id);
            counting.reset();
            try (Connection c = ds.getConnection();
                 PreparedStatement ps = c.prepareStatement("insert into i14r_post (id, category_id, title) "
                         + "select ? + category_id, category_id, title from i14r_log where category_id = ?")) {
                ps.setInt(1, id - 1);
                ps.setInt(2, 1);
                assertThat(ps.executeUpdate()).isEqualTo(1);
                assertThat(c.getAutoCommit()).isTrue();
            }
            assertThat(counting.executed()).as(consistency + ": one statement").hasSize(1);
            assertThat(counting.executed().get(0)).startsWith("INSERT INTO i14r_post").contains(" returning ");
            assertThat(hit(BY_CATEGORY, 1)).as(consistency + ": where the row lands").isFalse();
            assertThat(hit(BY_CATEGORY, 0)).as(consistency + ": elsewhere").isTrue();
            assertThat(hit(BY_CATEGORY, 2)).isTrue();
            assertThat(CachingContract.query(ds, BY_ID, id)).as("views from the column default")
                    .containsExactly(List.of("a", 0, 1));
        }
    }

    @Test
    void insertSelectInATransactionBatchOrPastBulkRows() throws SQLException {
        warm(BY_CATEGORY, 0);
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                assertThat(s.executeUpdate("insert into i14r_post select 300 + category_id, 2, title, 5 from i14r_log"))
                        .isEqualTo(2);
            }
            c.commit();
        }
        assertThat(hit(BY_CATEGORY, 0)).as("in a transaction: rows only").isTrue();
        assertThat(CachingContract.query(ds, BY_CATEGORY, 2).stream().map(r -> r.get(0)).toList()).contains(301, 302);
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "insert into i14r_post select ? + category_id, 2, title, 5 from i14r_log")) {
            ps.setInt(1, 400);
            ps.addBatch();
            ps.executeBatch();
        }
        assertThat(hit(BY_CATEGORY, 0)).as("a batch: its rows are not returned, the whole table").isFalse();
        open(Consistency.STRICT, 1);
        warm(BY_CATEGORY, 0);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("insert into i14r_post select 500 + category_id, 2, title, 5 from i14r_log"))
                    .isEqualTo(2);
        }
        assertThat(hit(BY_CATEGORY, 0)).as("past bulkRows: the whole table").isFalse();
        Explanation e = cacheops.explain(schema.dataSource(), "insert into i14r_post select * from i14r_post",
                List.of());
        assertThat(e.writes().get(0).wholeTable()).isFalse();
        assertThat(e.writes().get(0).reason()).contains("returned by the statement itself");
    }

    @Test
    void insertSelectAskedForGeneratedKeysRunsAsWrittenAndInvalidatesTheTable() throws SQLException {
        open(Consistency.RELAXED, 1_000);
        warm(BY_CATEGORY, 0);
        counting.reset();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("insert into i14r_post select 600 + category_id, 2, title, 5 from i14r_log",
                    Statement.RETURN_GENERATED_KEYS)).isEqualTo(2);
            try (ResultSet keys = s.getGeneratedKeys()) {
                assertThat(keys.next()).as("the driver's generated keys, as asked").isTrue();
            }
        }
        assertThat(counting.executed()).hasSize(1).noneMatch(sql -> sql.contains(" returning "));
        assertThat(hit(BY_CATEGORY, 0)).as("its rows are not known: the whole table").isFalse();
    }

    /**
     * Runs {@code held} in a transaction of its own, then {@code waiting} through the cache on
     * another connection, checks that it waits for the first's row locks, commits the first, and
     * returns the update count of {@code waiting}.
     */
    private int waitingBehind(String held, String waiting, Object... params) throws Exception {
        try (Connection first = ds.getConnection()) {
            first.setAutoCommit(false);
            try (Statement st = first.createStatement()) {
                assertThat(st.executeUpdate(held)).isEqualTo(1);
            }
            CompletableFuture<Integer> second = CompletableFuture.supplyAsync(() -> {
                try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(waiting)) {
                    for (int i = 0; i < params.length; i++) {
                        ps.setObject(i + 1, params[i]);
                    }
                    return ps.executeUpdate();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(300);
            assertThat(second).as("waits for the first's row lock").isNotDone();
            first.commit();
            return second.get(20, TimeUnit.SECONDS);
        }
    }

    private void warm(String sql, Object param) {
        CachingContract.warmOf(cacheops, ds, sql, param);
    }

    private boolean hit(String sql, Object param) {
        return CachingContract.hitOf(cacheops, ds, sql, param);
    }
}
