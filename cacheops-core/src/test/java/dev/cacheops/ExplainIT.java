package dev.cacheops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheops.testing.TestServices;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link Cacheops#explain}: statement in, what the engine makes of it out, against a real
 * PostgreSQL schema of its own (table-driven in spirit: one statement per test).
 */
class ExplainIT {
    private static TestServices.SchemaDataSource schema;
    private static Cacheops cacheops;
    private static String post;

    @BeforeAll
    static void setUp() throws Exception {
        schema = TestServices.freshPostgresSchema();
        try (Connection c = schema.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("create table category (id int primary key, title text)");
            s.execute("create table post (id int primary key, category_id int references category on delete cascade,"
                    + " visible boolean, title text)");
            s.execute("create table audit_log (id int primary key, line text)");
        }
        cacheops = Cacheops.builder()
                .profile("post", Op.ALL, Duration.ofMinutes(15))
                .profile("category", EnumSet.of(Op.GET), Duration.ofMinutes(5))
                .disable("audit_log")
                .build();
        post = schema.schema() + ".post";
    }

    @AfterAll
    static void tearDown() {
        cacheops.close();
        schema.close();
    }

    private static Explanation explain(String sql, Object... params) throws Exception {
        return cacheops.explain(schema.dataSource(), sql, java.util.Arrays.asList(params));
    }

    @Test
    void cacheableReadShowsItsConditionsSchemesAndStampKeys() throws Exception {
        Explanation e = explain("select * from post where category_id = ? and visible = true", 5);
        assertThat(e.kind()).isEqualTo(Explanation.Kind.READ);
        assertThat(e.op()).isEqualTo(Op.FETCH);
        assertThat(e.cacheable()).isTrue();
        assertThat(e.passReason()).isNull();
        assertThat(e.profileTable()).isEqualTo(post);
        assertThat(e.timeout()).isEqualTo(Duration.ofMinutes(15));
        Explanation.TableRead t = e.reads().get(0);
        assertThat(t.table()).isEqualTo(post);
        assertThat(t.conditions()).containsExactly(List.of("category_id = ?1", "visible = true"));
        // canonical values: booleans as PostgreSQL prints them
        assertThat(t.conjunctions()).containsExactly(Map.of("category_id", "5", "visible", "t"));
        assertThat(t.schemes()).containsExactly("category_id,visible");
        assertThat(t.stampKeys()).containsExactly("cacheops:sv:" + post + ":category_id,visible",
                "cacheops:conj:" + post + ":category_id=5&visible=t");
        assertThat(e.stampKeys()).first().isEqualTo("cacheops:epoch");
        assertThat(e.stampKeys()).containsAll(t.stampKeys());
    }

    @Test
    void joinCarriesTheConstantAcrossTablesAndReadsEveryTable() throws Exception {
        Explanation e = explain("select p.title from post p join category c on p.category_id = c.id where c.id = ?", 7);
        assertThat(e.reads()).extracting(Explanation.TableRead::table)
                .containsExactlyInAnyOrder(post, schema.schema() + ".category");
        assertThat(e.reads()).allSatisfy(t -> assertThat(t.conjunctions()).hasSize(1));
    }

    @Test
    void primaryKeyLookupIsAGet() throws Exception {
        Explanation e = explain("select title from category where id = ?", 1);
        assertThat(e.op()).isEqualTo(Op.GET);
        assertThat(e.cacheable()).isTrue();
        assertThat(e.detail()).startsWith("a lookup by id: also stored from the rows of cached results");
        assertThat(explain("select id, title from category where id = 1").detail())
                .startsWith("its rows (up to 100) also answer the lookups by key");
        assertThat(explain("select c.title, p.title from category c join post p on p.category_id = c.id where c.id = 1")
                .detail()).isEmpty();
    }

    @Test
    void opNotInTheProfileIsNotEnabledButManuallyCacheable() throws Exception {
        Explanation e = explain("select count(*) from category");
        assertThat(e.op()).isEqualTo(Op.COUNT);
        assertThat(e.cacheable()).isFalse();
        assertThat(e.passReason()).isEqualTo(PassReason.NOT_ENABLED);
        assertThat(e.detail()).contains("manual");
        assertThat(e.reads().get(0).conjunctions()).containsExactly(Map.of());
        // count(*) references no column: an empty column set, which only inserts and deletes affect
        assertThat(e.reads().get(0).schemes()).containsExactly(":");
    }

    @Test
    void disabledTableAndVolatileFunctionsGiveTheirPassReason() throws Exception {
        assertThat(explain("select * from audit_log").passReason()).isEqualTo(PassReason.DISABLED);
        Explanation e = explain("select * from post where title = now()::text");
        assertThat(e.passReason()).isEqualTo(PassReason.UNCACHEABLE);
        assertThat(e.detail()).isNotEmpty();
        assertThat(explain("select * from no_such_table").passReason()).isEqualTo(PassReason.UNKNOWN_TABLE);
    }

    @Test
    void updateInvalidatesOldAndNewImagesAndCascades() throws Exception {
        Explanation e = explain("update category set title = ? where id = ?", "x", 3);
        assertThat(e.kind()).isEqualTo(Explanation.Kind.WRITE);
        Explanation.TableWrite w = e.writes().get(0);
        assertThat(w.table()).isEqualTo(schema.schema() + ".category");
        assertThat(w.wholeTable()).isFalse();
        assertThat(w.reason()).contains("where id = ?").contains("title = x");
        assertThat(e.writes()).extracting(Explanation.TableWrite::table).contains(post);
    }

    @Test
    void insertNamesTheInsertedRowAndTruncateTheWholeTable() throws Exception {
        Explanation e = explain("insert into post (id, category_id, visible) values (?, ?, true)", 10, 5);
        assertThat(e.writes().get(0).rows()).containsExactly(Map.of("id", "10", "category_id", "5", "visible", "true"));
        Explanation t = explain("truncate post");
        assertThat(t.writes().get(0).wholeTable()).isTrue();
    }

    @Test
    void neutralAndNotUnderstood() throws Exception {
        assertThat(explain("begin").kind()).isEqualTo(Explanation.Kind.NEUTRAL);
        assertThat(explain("select from where !!").kind()).isIn(Explanation.Kind.NOT_UNDERSTOOD, Explanation.Kind.READ);
    }
}
