package dev.cacheops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheops.testing.CountingDataSource;
import dev.cacheops.testing.MariaDbDatabase;
import dev.cacheops.testing.TestServices;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Images in the write statement on MariaDB (DESIGN §4, "Images in the statement"): from 10.5 a
 * {@code DELETE} and an {@code INSERT ... SELECT} take a {@code RETURNING} list, so the delete
 * sends no image select and the insert invalidates its rows rather than the table; an
 * {@code UPDATE} (MariaDB has no {@code UPDATE ... RETURNING}) keeps the image select. In a
 * database of its own; optional: reported as skipped when MariaDB is not reachable.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImagesInStatementMariaDbIT {
    static final String BY_CATEGORY = "select id, title from i14m_post where category_id = ? order by id";
    static final String BY_ID = "select title, views, category_id from i14m_post where id = ?";

    private MariaDbDatabase database;
    private CountingDataSource counting;
    private Cacheops cacheops;
    private DataSource ds;

    @BeforeAll
    void createDatabase() {
        database = MariaDbDatabase.create("i14m");
    }

    @AfterAll
    void dropDatabase() throws SQLException {
        if (database != null) {
            database.close();
        }
    }

    @BeforeEach
    void setUp() throws SQLException {
        try (Connection c = database.getConnection(); Statement s = c.createStatement()) {
            s.execute("drop table if exists i14m_post");
            s.execute("drop table if exists i14m_log");
            s.execute("create table i14m_post (id int primary key, category_id int not null, title varchar(40), "
                    + "views int not null default 0)");
            s.execute("create table i14m_log (category_id int, title varchar(40))");
            StringBuilder rows = new StringBuilder("insert into i14m_post (id, category_id, title) values ");
            for (int i = 1; i <= 30; i++) {
                rows.append(i == 1 ? "" : ", ").append('(').append(i).append(", ").append(i % 3).append(", 'p")
                        .append(i).append("')");
            }
            s.execute(rows.toString());
            s.execute("insert into i14m_log values (1, 'a'), (2, 'b')");
        }
        counting = new CountingDataSource(database);
    }

    private void open(Consistency consistency) {
        if (cacheops != null) {
            cacheops.close();
        }
        cacheops = Cacheops.builder().redis(TestServices.redisUri()).redisTimeout(Duration.ofSeconds(2))
                .prefix("i14m" + TestServices.uniquePrefix()).consistency(consistency)
                .profile("*", Op.ALL, Duration.ofHours(1)).build();
        ds = cacheops.wrap(counting.dataSource());
    }

    @AfterEach
    void tearDown() {
        if (cacheops != null) {
            cacheops.close();
            cacheops = null;
        }
    }

    @Test
    void deleteReturnsItsRowsInOneStatement() throws SQLException {
        for (Consistency consistency : Consistency.values()) {
            setUp();
            open(consistency);
            warm(BY_CATEGORY, 1);
            warm(BY_CATEGORY, 2);
            counting.reset();
            try (Connection c = ds.getConnection();
                 PreparedStatement ps = c.prepareStatement("delete from i14m_post where category_id = ? and id < ?")) {
                ps.setInt(1, 1);
                ps.setInt(2, 11);
                assertThat(ps.executeUpdate()).isEqualTo(4); // 1, 4, 7, 10
            }
            assertThat(counting.executed()).as(consistency + ": no image select").hasSize(1);
            assertThat(counting.executed().get(0)).startsWith("delete from").contains(" returning ");
            assertThat(hit(BY_CATEGORY, 1)).as(consistency + ": the rows' category").isFalse();
            assertThat(hit(BY_CATEGORY, 2)).as(consistency + ": another").isTrue();
            assertThat(CachingContract.query(ds, BY_CATEGORY, 1)).hasSize(6);
        }
    }

    @Test
    void insertSelectReturnsItsRowsAndInvalidatesOnlyWhereTheyLand() throws SQLException {
        for (Consistency consistency : Consistency.values()) {
            setUp();
            open(consistency);
            warm(BY_CATEGORY, 0);
            warm(BY_CATEGORY, 1);
            warm(BY_ID, 101);
            counting.reset();
            try (Connection c = ds.getConnection();
                 PreparedStatement ps = c.prepareStatement("insert into i14m_post (id, category_id, title) "
                         + "select ? + category_id, category_id, title from i14m_log where category_id = ?")) {
                ps.setInt(1, 100);
                ps.setInt(2, 1);
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
            assertThat(counting.executed()).as(consistency + ": one statement").hasSize(1);
            assertThat(counting.executed().get(0)).contains(" returning ");
            assertThat(hit(BY_CATEGORY, 1)).as(consistency + ": where the row lands").isFalse();
            assertThat(hit(BY_CATEGORY, 0)).as(consistency + ": elsewhere").isTrue();
            assertThat(CachingContract.query(ds, BY_ID, 101)).as("views from the column default")
                    .containsExactly(List.of("a", 0, 1));
        }
        Explanation e = cacheops.explain(database, "insert into i14m_post select * from i14m_post", List.of());
        assertThat(e.writes().get(0).wholeTable()).isFalse();
    }

    @Test
    void anUpdateKeepsTheImageSelectUnlessItsConditionNamesTheImages() throws SQLException {
        open(Consistency.STRICT);
        warm(BY_ID, 4);
        warm(BY_CATEGORY, 1);
        counting.reset();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("update i14m_post set title = ? where category_id = ?")) {
            ps.setString(1, "t");
            ps.setInt(2, 1);
            assertThat(ps.executeUpdate()).isEqualTo(10);
        }
        assertThat(counting.executed()).anyMatch(s -> s.startsWith("select") && s.contains("for update"));
        assertThat(counting.executed()).noneMatch(s -> s.contains("returning"));
        assertThat(hit(BY_CATEGORY, 1)).isFalse();

        // by key, changing no column of the listing by category: the condition gives the images
        // (DESIGN §4, "Images from the condition"), so the update is the caller's statement alone
        warm(BY_ID, 4);
        warm(BY_CATEGORY, 1);
        counting.reset();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("update i14m_post set views = ? where id = ?")) {
            ps.setInt(1, 9);
            ps.setInt(2, 4);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        assertThat(counting.executed()).containsExactly("update i14m_post set views = ? where id = ?");
        assertThat(hit(BY_CATEGORY, 1)).as("lists no views").isTrue();
        assertThat(CachingContract.query(ds, BY_ID, 4)).containsExactly(List.of("t", 9, 1));
    }

    private void warm(String sql, Object param) {
        CachingContract.warmOf(cacheops, ds, sql, param);
    }

    private boolean hit(String sql, Object param) {
        return CachingContract.hitOf(cacheops, ds, sql, param);
    }
}
