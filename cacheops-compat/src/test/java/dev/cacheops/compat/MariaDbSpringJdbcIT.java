package dev.cacheops.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cacheops.testing.TestServices;
import dev.cacheops.testing.TestServices.SchemaDataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mariadb.jdbc.MariaDbDataSource;
import org.springframework.jdbc.core.BeanPropertyRowMapper;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Proves that Spring JDBC and plain JDBC work on MariaDB (optional service, see
 * {@link TestServices#mariaDbUrl(String)}: 127.0.0.1:3306, root, no password; without it the class
 * is reported as skipped, with the reason) behind HikariCP and Cacheops as they do on PostgreSQL:
 * reads hit and equal the raw pool, result metadata of a hit equals the driver's, generated keys
 * come from the driver's insert id (no {@code RETURNING}) and invalidate, and transactions
 * invalidate on commit only.
 */
class MariaDbSpringJdbcIT extends CompatFixture {
    private static final String BY_CATEGORY = "select id, title, score from post where category_id = ? order by id";
    private static final RowMapper<String> ROW = (rs, i) -> rs.getLong(1) + ":" + rs.getString(2) + "@" + rs.getBigDecimal(3);

    private JdbcTemplate jdbc;
    private JdbcTemplate rawJdbc;

    @Override
    protected SchemaDataSource freshDatabase() {
        String name = TestServices.uniquePrefix().toLowerCase(Locale.ROOT);
        DataSource admin = mariaDb("test");
        try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
            s.execute("create database " + name);
        } catch (SQLException e) {
            Assumptions.abort("MariaDB not reachable at " + TestServices.mariaDbUrl("test") + " as root: "
                    + e.getMessage());
        }
        return new SchemaDataSource(mariaDb(name), name, admin);
    }

    @Override
    protected void dropDatabase() {
        execute(schema.admin(), "drop database if exists " + schema.schema());
    }

    private static DataSource mariaDb(String database) {
        try {
            return new MariaDbDataSource(TestServices.mariaDbUrl(database) + "?user=root&allowMultiQueries=true");
        } catch (SQLException e) {
            throw new IllegalStateException("bad MariaDB URL", e);
        }
    }

    @Override
    protected List<String> tables() {
        return List.of("category", "post");
    }

    @Override
    protected String schemaSql() {
        return """
                create table category (id bigint auto_increment primary key, name varchar(100) not null unique);
                create table post (
                    id bigint auto_increment primary key,
                    category_id bigint not null,
                    title varchar(200) not null,
                    published boolean not null,
                    score decimal(10, 2),
                    publish_date date,
                    created_at datetime(6),
                    status varchar(20) not null,
                    foreign key (category_id) references category (id));
                """;
    }

    @Override
    protected String seedSql() {
        return """
                set foreign_key_checks = 0;
                truncate table post;
                truncate table category;
                set foreign_key_checks = 1;
                insert into category (name) values ('java'), ('sql'), ('redis');
                insert into post (category_id, title, published, score, publish_date, created_at, status) values
                 (1, 'Hello JDBC', true, 4.50, '2024-01-15', '2024-01-15 10:00:00.123456', 'PUBLISHED'),
                 (1, 'Hibernate tips', true, 3.25, '2024-02-01', '2024-02-01 08:30:00', 'PUBLISHED'),
                 (1, 'Draft on pools', false, null, null, '2024-03-03 12:00:00', 'DRAFT'),
                 (2, 'Window functions', true, 5.00, '2024-03-10', '2024-03-10 09:15:00', 'PUBLISHED'),
                 (2, 'Indexes', true, 2.75, '2024-04-01', '2024-04-01 18:00:00', 'ARCHIVED'),
                 (3, 'Redis scripts', true, 4.00, '2024-05-05', '2024-05-05 07:45:00', 'PUBLISHED');
                """;
    }

    @BeforeEach
    void templates() {
        jdbc = new JdbcTemplate(cached);
        rawJdbc = new JdbcTemplate(raw);
    }

    /** A post as a JavaBean, for BeanPropertyRowMapper. */
    public static class PostBean {
        private Long id;
        private String title;
        private boolean published;
        private BigDecimal score;
        private LocalDate publishDate;
        private LocalDateTime createdAt;

        public Long getId() {
            return id;
        }

        public void setId(Long id) {
            this.id = id;
        }

        public String getTitle() {
            return title;
        }

        public void setTitle(String title) {
            this.title = title;
        }

        public boolean isPublished() {
            return published;
        }

        public void setPublished(boolean published) {
            this.published = published;
        }

        public BigDecimal getScore() {
            return score;
        }

        public void setScore(BigDecimal score) {
            this.score = score;
        }

        public LocalDate getPublishDate() {
            return publishDate;
        }

        public void setPublishDate(LocalDate publishDate) {
            this.publishDate = publishDate;
        }

        public LocalDateTime getCreatedAt() {
            return createdAt;
        }

        public void setCreatedAt(LocalDateTime createdAt) {
            this.createdAt = createdAt;
        }
    }

    private <T> T hitEqualTo(Callable<T> cachedRead, Callable<T> rawRead) {
        T hit = awaitHit(cachedRead);
        assertThat(hit).as("cached result equals the raw pool's").isEqualTo(call(rawRead));
        return hit;
    }

    private boolean hit(long category) {
        Read<List<String>> r = read(() -> jdbc.query(BY_CATEGORY, ROW, category));
        assertThat(r.value()).isEqualTo(rawJdbc.query(BY_CATEGORY, ROW, category));
        return r.hit();
    }

    private void warm(long... categories) {
        for (long c : categories) {
            hitEqualTo(() -> jdbc.query(BY_CATEGORY, ROW, c), () -> rawJdbc.query(BY_CATEGORY, ROW, c));
        }
    }

    @Test
    void readsAreHitsEqualToTheDatabase() {
        assertThat(hitEqualTo(() -> jdbc.query(BY_CATEGORY, ROW, 1L), () -> rawJdbc.query(BY_CATEGORY, ROW, 1L)))
                .containsExactly("1:Hello JDBC@4.50", "2:Hibernate tips@3.25", "3:Draft on pools@null");
        String all = "select * from post where category_id = ? order by id";
        BeanPropertyRowMapper<PostBean> mapper = new BeanPropertyRowMapper<>(PostBean.class);
        List<PostBean> beans = awaitHit(() -> jdbc.query(all, mapper, 1L));
        assertThat(beans).usingRecursiveFieldByFieldElementComparator().isEqualTo(rawJdbc.query(all, mapper, 1L));
        assertThat(beans.get(0).getCreatedAt()).isEqualTo(LocalDateTime.of(2024, 1, 15, 10, 0, 0, 123_456_000));
        String count = "select count(*) from post where published = ?";
        assertThat(hitEqualTo(() -> jdbc.queryForObject(count, Long.class, true),
                () -> rawJdbc.queryForObject(count, Long.class, true))).isEqualTo(5L);
    }

    private static List<String> metaData(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select * from post order by id")) {
            ResultSetMetaData md = rs.getMetaData();
            List<String> out = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                out.add(md.getColumnName(i) + "|" + md.getColumnLabel(i) + "|" + md.getColumnType(i) + "|"
                        + md.getColumnTypeName(i) + "|" + md.getColumnClassName(i) + "|" + md.getPrecision(i) + "|"
                        + md.getScale(i) + "|" + md.isNullable(i) + "|" + md.isAutoIncrement(i) + "|" + md.isSigned(i)
                        + "|" + md.getTableName(i) + "|" + md.getCatalogName(i) + "|" + md.getColumnDisplaySize(i));
            }
            while (rs.next()) {
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    Object o = rs.getObject(i);
                    out.add(i + "=" + (o == null ? "null" : o.getClass().getSimpleName() + ":" + o) + "/" + rs.getString(i));
                }
            }
            return out;
        }
    }

    @Test
    void metaDataAndValuesOfAHitEqualTheDrivers() throws SQLException {
        assertThat(awaitHit(() -> metaData(cached))).containsExactlyElementsOf(metaData(raw));
    }

    @Test
    void generatedKeysComeFromTheInsertIdAndInvalidate() throws SQLException {
        warm(1, 2, 3);
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.update(con -> {
            PreparedStatement ps = con.prepareStatement(
                    "insert into post (category_id, title, published, status) values (?, ?, false, 'DRAFT')",
                    Statement.RETURN_GENERATED_KEYS);
            ps.setLong(1, 3);
            ps.setString(2, "Keys");
            return ps;
        }, keys);
        assertThat(keys.getKey().longValue()).isEqualTo(7L);
        List<Long> viaCache = multiRowInsertKeys(cached);
        assertThat(hit(3)).isFalse();
        assertThat(hit(2)).isFalse();
        assertThat(hit(1)).isTrue();
        // Last, since a write beside the cache leaves it stale: the driver's own answer, for comparison.
        List<Long> viaDriver = multiRowInsertKeys(raw);
        assertThat(viaCache).as("keys of a two-row insert through the cache").hasSameSizeAs(viaDriver)
                .first().isEqualTo(8L);
    }

    private static List<Long> multiRowInsertKeys(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("insert into post (category_id, title, published, status) values "
                    + "(2, 'a', false, 'DRAFT'), (2, 'b', false, 'DRAFT')", Statement.RETURN_GENERATED_KEYS);
            List<Long> ids = new ArrayList<>();
            try (ResultSet rs = s.getGeneratedKeys()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            return ids;
        }
    }

    @Test
    void transactionsInvalidateOnCommitOnly() {
        warm(1, 2);
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(cached));
        assertThatThrownBy(() -> tx.executeWithoutResult(status -> {
            jdbc.update("update post set category_id = 2 where id = 1");
            throw new IllegalStateException("roll back");
        })).hasMessage("roll back");
        assertThat(hit(1)).isTrue();
        assertThat(hit(2)).isTrue();
        tx.executeWithoutResult(status -> jdbc.update("update post set category_id = 2 where id = 1"));
        assertThat(hit(1)).isFalse();
        assertThat(hit(2)).isFalse();
    }
}
