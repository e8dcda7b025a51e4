package dev.cacheops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheops.testing.CountingDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Images in the write statement on H2 (DESIGN §4, "Images in the statement"): a plain
 * {@code DELETE}, an {@code UPDATE} assigning known values and an {@code INSERT ... SELECT} run
 * inside a data change delta table ({@code SELECT ... FROM OLD TABLE (...)}, {@code FINAL TABLE})
 * instead of an image select before them (or a whole-table invalidation for the insert); an
 * {@code UPDATE} assigning an expression to a column the images need keeps the select. Embedded
 * H2, in-process store.
 */
class ImagesInStatementH2Test {
    static final String BY_CATEGORY = "select id, title from post where category_id = ? order by id";
    static final String BY_ID = "select title, views, category_id from post where id = ?";

    private CountingDataSource counting;
    private Cacheops cacheops;
    private javax.sql.DataSource ds;

    @BeforeEach
    void setUp() throws SQLException {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:images" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1");
        try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
            s.execute("create table post (id int primary key, category_id int not null, title varchar(40), "
                    + "views int default 0 not null)");
            s.execute("create table log (category_id int, title varchar(40))");
            s.execute("insert into post (id, category_id, title) "
                    + "select x, mod(x, 3), 'p' || x from system_range(1, 30)");
            s.execute("insert into log values (1, 'a'), (2, 'b')");
        }
        counting = new CountingDataSource(h2);
    }

    private void open(Consistency consistency) {
        if (cacheops != null) {
            cacheops.close();
        }
        cacheops = Cacheops.builder().inMemory().consistency(consistency)
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
    void deleteRunsInsideItsDeltaTable() throws SQLException {
        open(Consistency.STRICT);
        warm(BY_CATEGORY, 1);
        warm(BY_CATEGORY, 2);
        counting.reset();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("delete from post where category_id = ? and id < ?")) {
            ps.setInt(1, 1);
            ps.setInt(2, 11);
            assertThat(ps.executeUpdate()).isEqualTo(4); // 1, 4, 7, 10
        }
        assertThat(counting.executed()).as("no image select").hasSize(1);
        assertThat(counting.executed().get(0)).startsWith("select").contains("from old table (delete from post");
        assertThat(hit(BY_CATEGORY, 1)).isFalse();
        assertThat(hit(BY_CATEGORY, 2)).isTrue();
        assertThat(CachingContract.query(ds, BY_CATEGORY, 1)).hasSize(6);
    }

    @Test
    void updateOfKnownValuesRunsInsideItsDeltaTableInBothConsistencies() throws SQLException {
        for (Consistency consistency : Consistency.values()) {
            open(consistency);
            int id = consistency == Consistency.STRICT ? 4 : 13; // both category 1
            warm(BY_CATEGORY, 0);
            warm(BY_CATEGORY, 1);
            warm(BY_CATEGORY, 2);
            counting.reset();
            try (Connection c = ds.getConnection();
                 PreparedStatement ps = c.prepareStatement(
                         "update post set category_id = ?, title = 'moved' where id = ?")) {
                ps.setInt(1, 2);
                ps.setInt(2, id);
                assertThat(ps.executeUpdate()).isEqualTo(1);
                assertThat(c.getAutoCommit()).isTrue();
            }
            assertThat(counting.executed()).as(consistency + ": one statement").hasSize(1);
            assertThat(counting.executed().get(0)).contains("from old table (update post set");
            assertThat(hit(BY_CATEGORY, 1)).as(consistency + ": old category").isFalse();
            assertThat(hit(BY_CATEGORY, 2)).as(consistency + ": new category").isFalse();
            assertThat(hit(BY_CATEGORY, 0)).as(consistency + ": untouched").isTrue();
            assertThat(CachingContract.query(ds, BY_ID, id)).containsExactly(List.of("moved", 0, 2));
        }
    }

    @Test
    void insertSelectRunsInsideItsFinalTable() throws SQLException {
        open(Consistency.STRICT);
        warm(BY_CATEGORY, 0);
        warm(BY_CATEGORY, 1);
        warm(BY_ID, 101);
        counting.reset();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("insert into post (id, category_id, title) "
                     + "select ? + category_id, category_id, title from log where category_id = ?")) {
            ps.setInt(1, 100);
            ps.setInt(2, 1);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        assertThat(counting.executed()).hasSize(1);
        assertThat(counting.executed().get(0)).contains("from final table (INSERT INTO post");
        assertThat(hit(BY_CATEGORY, 1)).isFalse();
        assertThat(hit(BY_CATEGORY, 0)).as("elsewhere").isTrue();
        assertThat(CachingContract.query(ds, BY_ID, 101)).as("views from the column default")
                .containsExactly(List.of("a", 0, 1));
    }

    @Test
    void anUpdateAssigningAnExpressionToAnImageColumnKeepsTheImageSelect() throws SQLException {
        open(Consistency.STRICT);
        warm(BY_CATEGORY, 2);
        warm(BY_ID, 5);
        counting.reset();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("update post set category_id = category_id - 2, "
                     + "views = views + 1 where id = ?")) {
            ps.setInt(1, 5);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        assertThat(counting.executed()).as("category_id is read by a cached result: its new value must be known")
                .noneMatch(s -> s.contains("old table"));
        assertThat(hit(BY_CATEGORY, 2)).isFalse();
        assertThat(CachingContract.query(ds, BY_ID, 5)).containsExactly(List.of("p5", 1, 0));
    }

    /**
     * A generated column the images need is computed again by the update: its new value follows
     * neither from the old image nor from the assignments, so the update keeps the image select and
     * re-reads the rows, and results that matched the old or match the new value are invalidated.
     */
    @Test
    void aGeneratedColumnTheImagesNeedIsReadBackAfterTheUpdate() throws SQLException {
        try (Connection c = counting.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("alter table post add column doubled int generated always as (views * 2)");
        }
        String byDoubled = "select id from post where doubled = ? and category_id = ? order by id";
        List<List<Object>> first = List.of(List.of(1), List.of(4), List.of(7), List.of(10));
        List<List<Object>> rest = List.of(List.of(13), List.of(16), List.of(19), List.of(22), List.of(25), List.of(28));
        for (Consistency consistency : Consistency.values()) {
            open(consistency);
            boolean strict = consistency == Consistency.STRICT;
            CachingContract.warmOf(cacheops, ds, byDoubled, 0, 1);
            CachingContract.warmOf(cacheops, ds, byDoubled, 2, 1);
            try (Connection c = ds.getConnection();
                 PreparedStatement ps = c.prepareStatement("update post set views = views + 1 where category_id = ? and "
                         + (strict ? "id < ?" : "id > ?"))) {
                ps.setInt(1, 1);
                ps.setInt(2, 11);
                assertThat(ps.executeUpdate()).isEqualTo(strict ? 4 : 6);
            }
            assertThat(CachingContract.query(ds, byDoubled, 0, 1)).as(consistency + ": rows left the old value")
                    .isEqualTo(strict ? rest : List.of());
            assertThat(CachingContract.query(ds, byDoubled, 2, 1)).as(consistency + ": rows took the new value")
                    .hasSize(strict ? 4 : 10).containsAll(first);
        }
    }

    private void warm(String sql, Object param) {
        CachingContract.warmOf(cacheops, ds, sql, param);
    }

    private boolean hit(String sql, Object param) {
        return CachingContract.hitOf(cacheops, ds, sql, param);
    }
}
