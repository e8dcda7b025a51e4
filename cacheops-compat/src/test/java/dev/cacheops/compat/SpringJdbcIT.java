package dev.cacheops.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.BeanPropertyRowMapper;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.SimpleJdbcInsert;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Proves that Spring JDBC works unchanged on a data source wrapped by Cacheops: {@code JdbcTemplate}
 * reads (RowMapper, BeanPropertyRowMapper, queryForObject/List/Map) and {@code NamedParameterJdbcTemplate}
 * IN lists are hits on repetition and equal the raw pool's results; {@code update} with a
 * {@code KeyHolder}, {@code batchUpdate} and {@code SimpleJdbcInsert} get their generated keys and
 * invalidate; under {@code DataSourceTransactionManager} a rollback keeps the cache valid and a commit
 * invalidates.
 */
class SpringJdbcIT extends BlogFixture {
    private static final String BY_CATEGORY = "select id, title, score from post where category_id = ? order by id";
    private static final RowMapper<String> TITLE_AT_SCORE =
            (rs, i) -> rs.getLong("id") + ":" + rs.getString("title") + "@" + rs.getBigDecimal("score");

    private JdbcTemplate jdbc;
    private JdbcTemplate rawJdbc;
    private NamedParameterJdbcTemplate named;
    private TransactionTemplate tx;

    @BeforeEach
    void templates() {
        jdbc = new JdbcTemplate(cached);
        rawJdbc = new JdbcTemplate(raw);
        named = new NamedParameterJdbcTemplate(jdbc);
        tx = new TransactionTemplate(new DataSourceTransactionManager(cached));
    }

    /** A post as a JavaBean, for BeanPropertyRowMapper. */
    public static class PostBean {
        private Long id;
        private Long categoryId;
        private String title;
        private String body;
        private boolean published;
        private BigDecimal score;
        private LocalDate publishDate;
        private LocalDateTime createdAt;
        private OffsetDateTime updatedAt;
        private UUID externalId;
        private String status;

        public Long getId() {
            return id;
        }

        public void setId(Long id) {
            this.id = id;
        }

        public Long getCategoryId() {
            return categoryId;
        }

        public void setCategoryId(Long categoryId) {
            this.categoryId = categoryId;
        }

        public String getTitle() {
            return title;
        }

        public void setTitle(String title) {
            this.title = title;
        }

        public String getBody() {
            return body;
        }

        public void setBody(String body) {
            this.body = body;
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

        public OffsetDateTime getUpdatedAt() {
            return updatedAt;
        }

        public void setUpdatedAt(OffsetDateTime updatedAt) {
            this.updatedAt = updatedAt;
        }

        public UUID getExternalId() {
            return externalId;
        }

        public void setExternalId(UUID externalId) {
            this.externalId = externalId;
        }

        public String getStatus() {
            return status;
        }

        public void setStatus(String status) {
            this.status = status;
        }
    }

    /** Waits for {@code cachedRead} to be a hit and checks it equals {@code rawRead}. */
    private <T> T hitEqualTo(Callable<T> cachedRead, Callable<T> rawRead) {
        T hit = awaitHit(cachedRead);
        assertThat(hit).as("cached result equals the raw pool's").isEqualTo(call(rawRead));
        return hit;
    }

    private List<String> byCategory(JdbcTemplate t, long category) {
        return t.query(BY_CATEGORY, TITLE_AT_SCORE, category);
    }

    private boolean hit(long category) {
        Read<List<String>> r = read(() -> byCategory(jdbc, category));
        assertThat(r.value()).isEqualTo(byCategory(rawJdbc, category));
        return r.hit();
    }

    private void warm(long... categories) {
        for (long c : categories) {
            hitEqualTo(() -> byCategory(jdbc, c), () -> byCategory(rawJdbc, c));
        }
    }

    @Test
    void queryWithARowMapperIsCached() {
        Read<List<String>> miss = read(() -> byCategory(jdbc, 1));
        assertThat(miss.hit()).isFalse();
        assertThat(hitEqualTo(() -> byCategory(jdbc, 1), () -> byCategory(rawJdbc, 1)))
                .containsExactly("1:Hello JDBC@4.50", "2:Hibernate tips@3.25", "3:Draft on pools@null");
    }

    @Test
    void queryForObjectListAndMapAreCached() {
        String count = "select count(*) from post where published = ?";
        assertThat(hitEqualTo(() -> jdbc.queryForObject(count, Long.class, true),
                () -> rawJdbc.queryForObject(count, Long.class, true))).isEqualTo(5L);
        String titles = "select title from post where category_id = ? order by id";
        assertThat(hitEqualTo(() -> jdbc.queryForList(titles, String.class, 2L),
                () -> rawJdbc.queryForList(titles, String.class, 2L))).containsExactly("Window functions", "Indexes");
        String all = "select * from post where category_id = ? order by id";
        List<Map<String, Object>> rows = hitEqualTo(() -> jdbc.queryForList(all, 1L), () -> rawJdbc.queryForList(all, 1L));
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0)).containsEntry("external_id", UUID.fromString("00000000-0000-0000-0000-000000000001"))
                .containsEntry("score", new BigDecimal("4.50"));
        String one = "select * from post where id = ?";
        assertThat(hitEqualTo(() -> jdbc.queryForMap(one, 4L), () -> rawJdbc.queryForMap(one, 4L)))
                .containsEntry("title", "Window functions").containsKeys("created_at", "updated_at", "publish_date");
    }

    @Test
    void beanPropertyRowMapperIsCached() {
        String sql = "select * from post where category_id = ? order by id";
        BeanPropertyRowMapper<PostBean> mapper = new BeanPropertyRowMapper<>(PostBean.class);
        List<PostBean> hit = awaitHit(() -> jdbc.query(sql, mapper, 1L));
        List<PostBean> fromDb = rawJdbc.query(sql, mapper, 1L);
        assertThat(hit).usingRecursiveFieldByFieldElementComparator().isEqualTo(fromDb);
        assertThat(hit.get(0).getExternalId()).isEqualTo(UUID.fromString("00000000-0000-0000-0000-000000000001"));
        assertThat(hit.get(0).getCreatedAt()).isEqualTo(LocalDateTime.of(2024, 1, 15, 10, 0, 0, 123_456_000));
        assertThat(hit.get(2).getScore()).isNull();
        assertThat(hit.get(2).getUpdatedAt()).isNull();
    }

    @Test
    void namedParametersWithAnInListAreCachedAndGranular() {
        String sql = "select id, title, score from post where category_id in (:ids) order by id";
        MapSqlParameterSource params = new MapSqlParameterSource("ids", List.of(1L, 3L));
        NamedParameterJdbcTemplate rawNamed = new NamedParameterJdbcTemplate(rawJdbc);
        assertThat(hitEqualTo(() -> named.query(sql, params, TITLE_AT_SCORE), () -> rawNamed.query(sql, params, TITLE_AT_SCORE)))
                .hasSize(4);
        jdbc.update("update post set title = 'Indexes 2' where id = 5"); // category 2
        assertThat(read(() -> named.query(sql, params, TITLE_AT_SCORE)).hit()).as("other category: still cached").isTrue();
        jdbc.update("update post set title = 'Scripts 2' where id = 6"); // category 3
        Read<List<String>> after = read(() -> named.query(sql, params, TITLE_AT_SCORE));
        assertThat(after.hit()).isFalse();
        assertThat(after.value()).contains("6:Scripts 2@4.00");
    }

    @Test
    void updateWithAKeyHolderReturnsTheGeneratedKeyAndInvalidates() {
        warm(1, 2, 3);
        KeyHolder keys = new GeneratedKeyHolder();
        int inserted = jdbc.update(con -> {
            PreparedStatement ps = con.prepareStatement("insert into post (category_id, title, published, score, "
                    + "external_id, status) values (?, ?, ?, ?, ?, ?)", new String[] {"id"});
            ps.setLong(1, 3);
            ps.setString(2, "Keys");
            ps.setBoolean(3, true);
            ps.setBigDecimal(4, new BigDecimal("1.00"));
            ps.setObject(5, UUID.randomUUID());
            ps.setString(6, "DRAFT");
            return ps;
        }, keys);
        assertThat(inserted).isEqualTo(1);
        assertThat(keys.getKeyAs(Long.class)).isEqualTo(7L);
        assertThat(hit(3)).isFalse();
        assertThat(hit(1)).isTrue();
        assertThat(hit(2)).isTrue();

        KeyHolder all = new GeneratedKeyHolder();
        jdbc.update(con -> {
            PreparedStatement ps = con.prepareStatement("insert into category (name, slug) values (?, ?)",
                    Statement.RETURN_GENERATED_KEYS);
            ps.setString(1, "spring");
            ps.setString(2, "spring-jdbc");
            return ps;
        }, all);
        assertThat(all.getKeys()).containsEntry("id", 4L).containsEntry("name", "spring").containsEntry("slug", "spring-jdbc");
    }

    @Test
    void batchUpdateInvalidatesEveryCategoryItTouches() {
        warm(1, 2, 3);
        int[] counts = jdbc.batchUpdate("update post set score = score + ? where id = ?", List.of(
                new Object[] {new BigDecimal("1"), 1L}, new Object[] {new BigDecimal("2"), 4L}));
        assertThat(counts).containsExactly(1, 1);
        assertThat(hit(1)).isFalse();
        assertThat(hit(2)).isFalse();
        assertThat(hit(3)).isTrue();
        warm(1, 2);
        int[] plain = jdbc.batchUpdate("update post set title = title || '!' where id = 6",
                "insert into post (category_id, title, published, external_id, status) "
                        + "values (2, 'Batched', false, gen_random_uuid(), 'DRAFT')");
        assertThat(plain).containsExactly(1, 1);
        assertThat(hit(1)).isTrue();
        assertThat(hit(2)).isFalse();
        assertThat(hit(3)).isFalse();
    }

    @Test
    void rollbackKeepsTheCacheValidAndCommitInvalidates() {
        warm(1, 2);
        assertThatThrownBy(() -> tx.executeWithoutResult(status -> {
            jdbc.update("update post set category_id = 2 where id = 1");
            assertThat(byCategory(jdbc, 2)).as("the transaction sees its own write").hasSize(3);
            throw new IllegalStateException("roll back");
        })).hasMessage("roll back");
        assertThat(hit(1)).as("rollback: cache still valid").isTrue();
        assertThat(hit(2)).isTrue();

        tx.executeWithoutResult(status -> jdbc.update("update post set category_id = 2 where id = 1"));
        assertThat(hit(1)).as("commit: old category invalidated").isFalse();
        assertThat(hit(2)).as("commit: new category invalidated").isFalse();
        assertThat(byCategory(jdbc, 2)).hasSize(3);
    }

    @Test
    void readsInsideATransactionBeforeAWriteMayHitAndAfterItSeeTheWrite() {
        warm(1);
        List<String> seen = tx.execute(status -> {
            Read<List<String>> before = read(() -> byCategory(jdbc, 1));
            jdbc.update("update post set title = 'in tx' where id = 2");
            Read<List<String>> after = read(() -> byCategory(jdbc, 1));
            assertThat(after.hit()).as("a dirty transaction reads the database").isFalse();
            assertThat(before.value()).isNotEqualTo(after.value());
            return after.value();
        });
        assertThat(seen).contains("2:in tx@3.25");
        assertThat(hit(1)).isFalse();
    }

    @Test
    void simpleJdbcInsertReturnsTheKeyAndInvalidates() {
        String sql = "select id, author from comment where post_id = ? order by id";
        RowMapper<String> m = (rs, i) -> rs.getLong(1) + ":" + rs.getString(2);
        hitEqualTo(() -> jdbc.query(sql, m, 6L), () -> rawJdbc.query(sql, m, 6L));
        hitEqualTo(() -> jdbc.query(sql, m, 1L), () -> rawJdbc.query(sql, m, 1L));
        // The schema is named because the shared test database holds other schemas with a 'category'
        // table, which makes Spring's metadata lookup ambiguous (with or without the cache).
        SimpleJdbcInsert insertCategory = new SimpleJdbcInsert(jdbc).withSchemaName(schema.schema()).withTableName("category")
                .usingGeneratedKeyColumns("id");
        Number id = insertCategory.executeAndReturnKey(Map.of("name", "inserted", "slug", "ins"));
        assertThat(id.longValue()).isEqualTo(4L);
        SimpleJdbcInsert insertComment = new SimpleJdbcInsert(jdbc).withSchemaName(schema.schema())
                .withTableName("comment");
        int rows = insertComment.execute(Map.of("id", 50L, "post_id", 6L, "author", "zed",
                // a Timestamp: pgjdbc cannot bind an OffsetDateTime that Spring types as Types.TIMESTAMP
                "created_at", java.sql.Timestamp.from(java.time.Instant.parse("2024-06-01T00:00:00Z"))));
        assertThat(rows).isEqualTo(1);
        assertThat(read(() -> jdbc.query(sql, m, 6L))).satisfies(r -> {
            assertThat(r.hit()).isFalse();
            assertThat(r.value()).containsExactly("50:zed");
        });
        assertThat(read(() -> jdbc.query(sql, m, 1L)).hit()).isTrue();
    }

    @Test
    void queryForRowSetAndQueryForStreamAreCached() {
        String sql = "select id, title, score, publish_date, updated_at, external_id from post where category_id = ? order by id";
        Callable<List<String>> rowSet = () -> {
            org.springframework.jdbc.support.rowset.SqlRowSet rs = jdbc.queryForRowSet(sql, 1L);
            List<String> out = new java.util.ArrayList<>();
            org.springframework.jdbc.support.rowset.SqlRowSetMetaData md = rs.getMetaData();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                out.add(md.getColumnLabel(i) + ":" + md.getColumnType(i) + ":" + md.getColumnClassName(i));
            }
            while (rs.next()) {
                out.add(rs.getLong("id") + "/" + rs.getString("title") + "/" + rs.getBigDecimal("score") + "/"
                        + rs.getObject("publish_date") + "/" + rs.getObject("updated_at") + "/" + rs.getObject("external_id"));
            }
            return out;
        };
        JdbcTemplate saved = jdbc;
        List<String> hit = awaitHit(rowSet);
        jdbc = rawJdbc;
        try {
            assertThat(hit).isEqualTo(call(rowSet));
        } finally {
            jdbc = saved;
        }
        Callable<List<String>> stream = () -> {
            try (java.util.stream.Stream<String> titles = jdbc.queryForStream(BY_CATEGORY, TITLE_AT_SCORE, 2L)) {
                return titles.toList();
            }
        };
        assertThat(awaitHit(stream)).containsExactly("4:Window functions@5.00", "5:Indexes@2.75");
    }

    @Test
    void rollbackToASavepointDiscardsTheInvalidationsCollectedSince() {
        warm(1, 2, 3);
        TransactionTemplate nested = new TransactionTemplate(tx.getTransactionManager());
        nested.setPropagationBehavior(org.springframework.transaction.TransactionDefinition.PROPAGATION_NESTED);
        tx.executeWithoutResult(outer -> {
            jdbc.update("update post set title = 'outer' where id = 1"); // category 1
            nested.executeWithoutResult(inner -> {
                jdbc.update("update post set title = 'inner' where id = 4"); // category 2
                inner.setRollbackOnly();
            });
        });
        assertThat(hit(1)).as("committed write invalidated").isFalse();
        assertThat(hit(2)).as("write rolled back to the savepoint: nothing to invalidate").isTrue();
        assertThat(hit(3)).isTrue();
        assertThat(byCategory(jdbc, 2)).contains("4:Window functions@5.00");
    }

    @Test
    void readsInReadOnlyAndPlainTransactionsAreHits() {
        warm(1);
        TransactionTemplate readOnly = new TransactionTemplate(tx.getTransactionManager());
        readOnly.setReadOnly(true);
        // Spring Data's repositories read in read-only transactions by default: they must hit.
        Boolean inReadOnly = readOnly.execute(status -> read(() -> byCategory(jdbc, 1)).hit());
        assertThat(inReadOnly).as("read-only transaction").isTrue();
        Boolean inReadWrite = tx.execute(status -> read(() -> byCategory(jdbc, 1)).hit());
        assertThat(inReadWrite).as("read-write transaction").isTrue();
        List<String> filled = readOnly.execute(status -> awaitHit(() -> byCategory(jdbc, 2)));
        assertThat(filled).hasSize(2);
        assertThat(hit(2)).as("stored from a read-only transaction, hit outside").isTrue();
    }
}
