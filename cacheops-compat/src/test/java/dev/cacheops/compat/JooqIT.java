package dev.cacheops.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.table;
import static org.jooq.impl.DSL.val;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Proves that jOOQ (open-source edition, no code generation: {@code DSL.table/field}) works unchanged
 * on a data source wrapped by Cacheops: selects with conditions, {@code fetchOne}, {@code fetchInto}
 * a POJO, counts, aggregates and plain-SQL result queries (whose types jOOQ takes from the result's
 * metadata) are hits on repetition and equal the raw pool's; {@code insert ... returning},
 * {@code update}, {@code delete} and {@code dsl.transaction(...)} invalidate on commit only.
 */
class JooqIT extends BlogFixture {
    private static final Table<?> POST = table("post");
    private static final Field<Long> ID = field("id", Long.class);
    private static final Field<Long> CATEGORY_ID = field("category_id", Long.class);
    private static final Field<String> TITLE = field("title", String.class);
    private static final Field<String> BODY = field("body", String.class);
    private static final Field<Boolean> PUBLISHED = field("published", Boolean.class);
    private static final Field<BigDecimal> SCORE = field("score", BigDecimal.class);
    private static final Field<LocalDate> PUBLISH_DATE = field("publish_date", LocalDate.class);
    private static final Field<LocalDateTime> CREATED_AT = field("created_at", LocalDateTime.class);
    private static final Field<OffsetDateTime> UPDATED_AT = field("updated_at", OffsetDateTime.class);
    private static final Field<UUID> EXTERNAL_ID = field("external_id", UUID.class);
    private static final Field<String> STATUS = field("status", String.class);

    private DSLContext dsl;
    private DSLContext rawDsl;

    /** A post row for {@code fetchInto}; jOOQ maps columns to components by name. */
    public record PostRow(Long id, String title, BigDecimal score, LocalDate publishDate, LocalDateTime createdAt,
                          OffsetDateTime updatedAt, UUID externalId, String status) {
    }

    @BeforeEach
    void contexts() {
        dsl = dsl(cached);
        rawDsl = dsl(raw);
    }

    private static DSLContext dsl(DataSource ds) {
        return DSL.using(ds, SQLDialect.POSTGRES);
    }

    private <T> T hitEqualToRaw(Function<DSLContext, T> query) {
        T hit = awaitHit(() -> query.apply(dsl));
        assertThat(hit).as("cached result equals the raw pool's").isEqualTo(query.apply(rawDsl));
        return hit;
    }

    private <T> boolean hit(Function<DSLContext, T> query) {
        Read<T> r = read(() -> query.apply(dsl));
        assertThat(r.value()).as("cached result equals the raw pool's").isEqualTo(query.apply(rawDsl));
        return r.hit();
    }

    private static Function<DSLContext, List<List<Object>>> byCategory(long category) {
        return d -> d.select(ID, TITLE, SCORE, UPDATED_AT).from(POST).where(CATEGORY_ID.eq(category)).orderBy(ID)
                .fetch().stream().map(r -> Arrays.asList(r.intoArray())).toList();
    }

    @Test
    void selectWithConditionsIsCached() {
        Function<DSLContext, List<List<Object>>> q = d -> d.select(ID, TITLE, PUBLISHED, SCORE, PUBLISH_DATE,
                        CREATED_AT, UPDATED_AT, EXTERNAL_ID, STATUS, BODY)
                .from(POST).where(CATEGORY_ID.eq(1L).and(PUBLISHED.isTrue())).orderBy(ID)
                .fetch().stream().map(r -> Arrays.asList(r.intoArray())).toList();
        assertThat(read(() -> q.apply(dsl)).hit()).isFalse();
        List<List<Object>> rows = hitEqualToRaw(q);
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsExactly(1L, "Hello JDBC", true, new BigDecimal("4.50"), LocalDate.of(2024, 1, 15),
                LocalDateTime.of(2024, 1, 15, 10, 0, 0, 123_456_000), rows.get(0).get(6),
                UUID.fromString("00000000-0000-0000-0000-000000000001"), "PUBLISHED", "first body");
        assertThat(((OffsetDateTime) rows.get(0).get(6)).toInstant()).hasToString("2024-01-15T10:00:00.500Z");
    }

    @Test
    void fetchOneAndFetchIntoArePopulatedFromTheCache() {
        Function<DSLContext, List<Object>> one = d -> {
            Record r = d.select().from(POST).where(ID.eq(4L)).fetchOne();
            return Arrays.asList(r.intoArray());
        };
        assertThat(hitEqualToRaw(one)).contains("Window functions", new BigDecimal("5.00"));
        Function<DSLContext, List<PostRow>> into = d -> d.select(ID, TITLE, SCORE, PUBLISH_DATE.as("publishDate"),
                        CREATED_AT.as("createdAt"), UPDATED_AT.as("updatedAt"), EXTERNAL_ID.as("externalId"), STATUS)
                .from(POST).where(CATEGORY_ID.in(2L, 3L)).orderBy(ID).fetchInto(PostRow.class);
        List<PostRow> rows = hitEqualToRaw(into);
        assertThat(rows).extracting(PostRow::id).containsExactly(4L, 5L, 6L);
        assertThat(rows.get(0).publishDate()).isEqualTo(LocalDate.of(2024, 3, 10));
        assertThat(rows.get(0).updatedAt().toInstant()).hasToString("2024-03-10T14:15:00Z");
        Function<DSLContext, PostRow> missing = d -> d.select(ID, TITLE).from(POST).where(ID.eq(99L))
                .fetchOneInto(PostRow.class);
        assertThat(hitEqualToRaw(missing)).isNull();
    }

    @Test
    void countsAndAggregatesAreCached() {
        Function<DSLContext, Integer> countQuery = d -> d.fetchCount(POST, CATEGORY_ID.eq(1L));
        assertThat(hitEqualToRaw(countQuery)).isEqualTo(3);
        Function<DSLContext, List<List<Object>>> aggregate = d -> d.select(CATEGORY_ID, count(), DSL.sum(SCORE),
                        DSL.max(PUBLISH_DATE)).from(POST).groupBy(CATEGORY_ID).orderBy(CATEGORY_ID)
                .fetch().stream().map(r -> Arrays.asList(r.intoArray())).toList();
        assertThat(hitEqualToRaw(aggregate).get(0)).containsExactly(1L, 3, new BigDecimal("7.75"), LocalDate.of(2024, 2, 1));
    }

    @Test
    void plainSqlResultQueriesAreCached() {
        Function<DSLContext, List<List<Object>>> q = d -> d.resultQuery(
                        "select id, title, score, created_at, updated_at, external_id from post where id = {0} or id = {1}",
                        val(2L), val(5L)).fetch().stream().map(r -> Arrays.asList(r.intoArray())).toList();
        List<List<Object>> rows = hitEqualToRaw(q);
        assertThat(rows).extracting(r -> r.get(1)).containsExactlyInAnyOrder("Hibernate tips", "Indexes");
        Function<DSLContext, List<String>> types = d -> Arrays.stream(d.resultQuery(
                        "select id, title, score, created_at, updated_at, external_id from post where id = {0}", val(2L))
                .fetch().fields()).map(f -> f.getName() + ":" + f.getType().getSimpleName()).toList();
        assertThat(hitEqualToRaw(types)).containsExactly("id:Long", "title:String", "score:BigDecimal",
                "created_at:Timestamp", "updated_at:OffsetDateTime", "external_id:UUID");
    }

    @Test
    void insertReturningGetsTheKeyAndInvalidates() {
        hitEqualToRaw(byCategory(2));
        hitEqualToRaw(byCategory(3));
        Long id = dsl.insertInto(POST).columns(CATEGORY_ID, TITLE, PUBLISHED, SCORE, EXTERNAL_ID, STATUS)
                .values(2L, "Returning", true, new BigDecimal("0.50"), UUID.randomUUID(), "DRAFT")
                .returningResult(ID).fetchOne(ID);
        assertThat(id).isEqualTo(7L);
        assertThat(hit(byCategory(2))).isFalse();
        assertThat(hit(byCategory(3))).isTrue();
        assertThat(hitEqualToRaw(byCategory(2))).extracting(r -> r.get(0)).containsExactly(4L, 5L, 7L);
    }

    @Test
    void updateAndDeleteInvalidateWhatTheyTouch() {
        hitEqualToRaw(byCategory(1));
        hitEqualToRaw(byCategory(2));
        hitEqualToRaw(byCategory(3));
        int updated = dsl.update(POST).set(TITLE, "moved").set(CATEGORY_ID, 3L).where(ID.eq(2L)).execute();
        assertThat(updated).isEqualTo(1);
        assertThat(hit(byCategory(1))).isFalse();
        assertThat(hit(byCategory(3))).isFalse();
        assertThat(hit(byCategory(2))).isTrue();
        hitEqualToRaw(byCategory(1));
        int deleted = dsl.deleteFrom(POST).where(ID.eq(5L)).execute();
        assertThat(deleted).isEqualTo(1);
        assertThat(hit(byCategory(2))).isFalse();
        assertThat(hit(byCategory(1))).isTrue();
    }

    @Test
    void transactionsInvalidateOnCommitOnly() {
        hitEqualToRaw(byCategory(1));
        hitEqualToRaw(byCategory(2));
        assertThatThrownBy(() -> dsl.transaction(cfg -> {
            DSL.using(cfg).update(POST).set(SCORE, new BigDecimal("9.99")).where(ID.eq(1L)).execute();
            assertThat(DSL.using(cfg).select(SCORE).from(POST).where(ID.eq(1L)).fetchOne(SCORE))
                    .isEqualTo(new BigDecimal("9.99"));
            throw new IllegalStateException("roll back");
        })).hasMessage("roll back");
        assertThat(hit(byCategory(1))).as("rolled back: still cached").isTrue();
        dsl.transaction(cfg -> {
            DSL.using(cfg).update(POST).set(SCORE, new BigDecimal("9.99")).where(ID.eq(1L)).execute();
            DSL.using(cfg).insertInto(POST).columns(CATEGORY_ID, TITLE, PUBLISHED, EXTERNAL_ID, STATUS)
                    .values(1L, "in tx", false, UUID.randomUUID(), "DRAFT").execute();
        });
        assertThat(hit(byCategory(1))).as("committed: invalidated").isFalse();
        assertThat(hit(byCategory(2))).isTrue();
        assertThat(hitEqualToRaw(byCategory(1))).extracting(r -> r.get(2))
                .containsExactly(new BigDecimal("9.99"), new BigDecimal("3.25"), null, null);
    }

    @Test
    void lazyCursorsAndStreamsAreCached() {
        Function<DSLContext, List<String>> lazy = d -> {
            try (org.jooq.Cursor<org.jooq.Record2<Long, String>> cursor = d.select(ID, TITLE).from(POST)
                    .where(PUBLISHED.isTrue()).orderBy(ID).fetchSize(2).fetchLazy()) {
                List<String> out = new java.util.ArrayList<>();
                for (org.jooq.Record2<Long, String> r : cursor) {
                    out.add(r.value1() + ":" + r.value2());
                }
                return out;
            }
        };
        assertThat(hitEqualToRaw(lazy)).hasSize(5);
        Function<DSLContext, List<Long>> stream = d -> {
            try (java.util.stream.Stream<Long> ids = d.select(ID).from(POST).where(CATEGORY_ID.eq(1L)).orderBy(ID)
                    .fetchStream().map(r -> r.value1())) {
                return ids.toList();
            }
        };
        assertThat(hitEqualToRaw(stream)).containsExactly(1L, 2L, 3L);
    }
}
