package dev.cacheops.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Table-driven: a query in, its classification and per-table DNFs out (see {@link Rendered}). */
class ReadAnalysisTest {
    private static final StatementAnalyzer ANALYZER = new StatementAnalyzer(AnalyzerSettings.DEFAULTS);

    /** A schema for the tests that resolve unqualified columns. */
    static final SchemaLookup BLOG = table -> Optional.ofNullable(Map.of(
            "post", List.of("id", "title", "category_id", "author_id", "visible", "deleted_at"),
            "category", List.of("id", "name", "parent_id"),
            "author", List.of("id", "name", "country")).get(table.name()));

    static Stream<Arguments> reads() {
        return Stream.of(
                // simple equalities, parameters, literals
                row("select * from post where id = 5", "FETCH post: post{id=5}"),
                row("select * from post where 5 = id", "FETCH post: post{id=5}"),
                row("select * from post where category_id = ? and visible = ?",
                        "FETCH post: post{category_id=?1 & visible=?2}"),
                row("select * from post", "FETCH post: post{*}"),
                row("select * from post where title = 'it''s'", "FETCH post: post{title='it's'}"),
                row("select * from post where id = -3.5", "FETCH post: post{id=-3.5}"),
                row("select * from post where visible = true", "FETCH post: post{visible=true}"),
                row("select * from post where visible = false and id = 1", "FETCH post: post{id=1 & visible=false}"),
                // a bare boolean column is an equality with true; NOT makes it false
                row("select * from post p where p.visible and p.id = 1", "FETCH post: post{id=1 & visible=true}"),
                row("select * from post p where not p.visible", "FETCH post: post{visible=false}"),
                row("select * from post p where not (p.visible or p.id = 1)", "FETCH post: post{visible=false}"),
                // IN lists
                row("select * from post where id in (1, 2, 3)", "FETCH post: post{id=1 | id=2 | id=3}"),
                row("select * from post where id in (?, ?)", "FETCH post: post{id=?1 | id=?2}"),
                row("select * from post where id in (" + "1,".repeat(16) + "17)", "FETCH post: post{*}"),
                row("select * from post where id in (1, 2) and category_id in (3, 4)",
                        "FETCH post: post{category_id=3 & id=1 | category_id=4 & id=1 | category_id=3 & id=2 | category_id=4 & id=2}"),
                row("select * from post where id not in (1, 2)", "FETCH post: post{*}"),
                row("select * from post where id in (select t.post_id from tag t where t.name = 'x')",
                        "FETCH post: post{*} tag{name='x'}"),
                row("select * from post where id in (1, 2) and category_id = 3 or visible = true",
                        "FETCH post: post{category_id=3 & id=1 | category_id=3 & id=2 | visible=true}"),
                // IS NULL, IS NOT NULL
                row("select * from post where deleted_at is null", "FETCH post: post{deleted_at=NULL}"),
                row("select * from post where deleted_at is not null", "FETCH post: post{*}"),
                row("select * from post where not (deleted_at is not null)", "FETCH post: post{deleted_at=NULL}"),
                // OR / AND / NOT
                row("select * from post where id = 1 or id = 2", "FETCH post: post{id=1 | id=2}"),
                row("select * from post where id = 1 or title like 'a%'", "FETCH post: post{*}"),
                row("select * from post where (id = 1 or id = 2) and visible = true",
                        "FETCH post: post{id=1 & visible=true | id=2 & visible=true}"),
                row("select * from post where not (id = 1)", "FETCH post: post{*}"),
                row("select * from post where not (id <> 1)", "FETCH post: post{id=1}"),
                row("select * from post where not (id <> 1 or category_id <> 2)",
                        "FETCH post: post{category_id=2 & id=1}"),
                row("select * from post where not (id = 1 and category_id = 2)", "FETCH post: post{*}"),
                row("select * from post where id > 5 and category_id = 2", "FETCH post: post{category_id=2}"),
                row("select * from post where lower(title) = 'x' and id = 1", "FETCH post: post{id=1}"),
                row("select * from post where id <> 1", "FETCH post: post{*}"),
                // contradictions
                row("select * from post where id = 1 and id = 2", "FETCH post: post{*}"),
                row("select * from post where (id = 1 and id = 2) or category_id = 3", "FETCH post: post{category_id=3}"),
                row("select * from post where (id = 1 and id = 1.0) or category_id = 3",
                        "FETCH post: post{id=1 & id=1.0 | category_id=3}"),
                row("select * from post where id = ? and id = ?", "FETCH post: post{id=?1 & id=?2}"),
                // joins and constant propagation
                row("select p.* from post p join category c on p.category_id = c.id where c.id = ?",
                        "FETCH post: post{category_id=?1} category{id=?1}"),
                row("select p.* from post p, category c where p.category_id = c.id and c.id = 5",
                        "FETCH post: post{category_id=5} category{id=5}"),
                row("select * from post p join category c on p.category_id = c.id where p.visible = true",
                        "FETCH post: post{visible=true} category{*}"),
                row("select * from post p join category c on c.id = p.category_id join author a on a.id = p.author_id"
                        + " where c.id = 1 and a.country = 'fr'",
                        "FETCH post: post{category_id=1} category{id=1} author{country='fr'}"),
                // left joins: ON narrows only the nullable side
                row("select * from post p left join category c on c.id = p.category_id and c.name = 'x'"
                        + " where p.id = 3", "FETCH post: post{id=3} category{name='x'}"),
                row("select * from post p left join category c on c.id = p.category_id and p.visible = true",
                        "FETCH post: post{*} category{*}"),
                row("select * from post p left join category c on c.id = p.category_id where p.category_id = 7",
                        "FETCH post: post{category_id=7} category{id=7}"),
                row("select * from post p left join category c on c.id = p.category_id where c.id = 7",
                        "FETCH post: post{*} category{id=7}"),
                row("select * from post p left join category c on c.id = p.category_id where c.id is null",
                        "FETCH post: post{*} category{*}"),
                row("select * from post p left join category c on c.id = p.category_id and c.parent_id is null",
                        "FETCH post: post{*} category{parent_id=NULL}"),
                row("select * from category c right join post p on c.id = p.category_id and c.name = 'x'"
                        + " where p.id = 1", "FETCH category: category{name='x'} post{id=1}"),
                row("select * from post p full join category c on c.id = p.category_id and c.name = 'x'",
                        "FETCH post: post{*} category{*}"),
                row("select * from post p full join category c on c.id = p.category_id where p.deleted_at is null",
                        "FETCH post: post{*} category{*}"),
                row("select * from post p join category c on c.id = p.category_id and c.id = 2"
                        + " right join author a on a.id = p.author_id", "FETCH post: post{category_id=2} category{id=2} author{*}"),
                // self-join: one TableRead, DNFs united
                row("select * from post a join post b on a.id = b.category_id where a.id = 1",
                        "FETCH post: post{id=1 | category_id=1}"),
                row("select * from post a, post b where a.id = 1 and b.id = 1", "FETCH post: post{id=1}"),
                // subqueries everywhere
                row("select * from post p where exists (select 1 from category c where c.id = p.category_id and c.name = 'x')",
                        "FETCH post: post{*} category{name='x'}"),
                row("select * from post p where not exists (select 1 from category c where c.id = p.category_id)",
                        "FETCH post: post{*} category{*}"),
                row("select p.id, (select count(*) from author a where a.id = p.author_id) from post p where p.id = 2",
                        "FETCH post: post{id=2} author{*}"),
                row("select * from post where category_id = (select c.id from category c where c.name = ?)",
                        "FETCH post: post{*} category{name=?1}"),
                row("select category_id, count(*) from post group by category_id having count(*) > (select count(*) from author)",
                        "AGGREGATE post: post{*} author{*}"),
                row("select * from post p join (select * from category where id = 3) c on c.id = p.category_id",
                        "FETCH post: post{*} category{id=3}"),
                row("select * from (select * from post where id = 1) x", "FETCH post: post{id=1}"),
                row("select * from post p, lateral (select * from author a where a.id = p.author_id and a.country = 'x') a2",
                        "FETCH post: post{*} author{country='x'}"),
                // CTEs
                row("with c as (select * from category where id = 4) select * from post p join c on c.id = p.category_id",
                        "FETCH post: post{*} category{id=4}"),
                row("with c as (select * from category where id = 4) select * from c", "FETCH category: category{id=4}"),
                row("with recursive t(id) as (select id from category where id = 1 union all"
                        + " select c.id from category c join t on c.parent_id = t.id) select * from t",
                        "FETCH category: category{*}"),
                // unions
                row("select id from post where id = 1 union select id from author where id = 2",
                        "FETCH post: post{id=1} author{id=2}"),
                row("select id from post where id = 1 union all select id from post where id = 2",
                        "FETCH post: post{id=1 | id=2}"),
                row("select id from post intersect select id from author", "FETCH post: post{*} author{*}"),
                // any(?) and casts
                row("select * from post p1_0 where p1_0.id = any(?)", "FETCH post: post{id=any(?1)}"),
                row("select * from post where id = ?::int and category_id = cast(? as bigint)",
                        "FETCH post: post{category_id=?2 & id=?1}"),
                row("select * from post where deleted_at = DATE '2024-01-01'", "FETCH post: post{deleted_at=DATE'2024-01-01'}"),
                row("select * from post where deleted_at = '2024-01-01'::date", "FETCH post: post{deleted_at=DATE'2024-01-01'}"),
                row("select * from post where deleted_at = CAST('2024-01-01' AS date)",
                        "FETCH post: post{deleted_at=DATE'2024-01-01'}"),
                row("select * from post where deleted_at = TIMESTAMP '2024-01-01 10:00:00'",
                        "FETCH post: post{deleted_at=TIMESTAMP'2024-01-01 10:00:00'}"),
                // identifiers
                row("select * from \"Post\" where \"Id\" = 1", "FETCH Post: Post{Id=1}"),
                row("select * from `Post` where `Id` = 1", "FETCH Post: Post{Id=1}"),
                row("select * from PUBLIC.POST P where P.ID = 1", "FETCH public.post: public.post{id=1}"),
                row("select * from public.post where post.id = 1", "FETCH public.post: public.post{id=1}"),
                // classification
                row("select count(*) from post where category_id = 1", "COUNT post: post{category_id=1}"),
                row("select count(id) from post", "COUNT post: post{*}"),
                row("select count(distinct category_id) from post", "AGGREGATE post: post{*}"),
                row("select category_id, count(*) from post group by category_id", "AGGREGATE post: post{*}"),
                row("select max(id) from post", "AGGREGATE post: post{*}"),
                row("select count(*) + 1 from post", "AGGREGATE post: post{*}"),
                row("select id, count(*) over () from post", "FETCH post: post{*}"),
                row("select exists(select 1 from post where id = ?)", "EXISTS post: post{id=?1}"),
                row("select 1 from post where id = 3 limit 1", "EXISTS post: post{id=3}"),
                row("select * from post where id = 3 limit 1", "GET post: post{id=3}"),
                row("select * from post order by id fetch first 1 row only", "GET post: post{*}"),
                row("select * from post limit 10", "FETCH post: post{*}"),
                row("select distinct category_id from post", "FETCH post: post{*}"),
                row("table post", "FETCH post: post{*}"),
                // Hibernate-style SQL
                row("select p1_0.id,p1_0.category_id,p1_0.title from post p1_0 where p1_0.category_id=?"
                        + " order by p1_0.id offset ? rows fetch first ? rows only",
                        "FETCH post: post{category_id=?1}"),
                row("select p1_0.id from post p1_0 join category c1_0 on c1_0.id=p1_0.category_id"
                        + " where c1_0.name=? fetch first ? rows only",
                        "FETCH post: post{*} category{name=?1}"),
                row("select count(*) from post p1_0 where p1_0.category_id in (?,?)",
                        "COUNT post: post{category_id=?1 | category_id=?2}"),
                // more shapes
                row("select * from post a, category b where a.category_id = b.id(+) and b.name is null and a.id = 1",
                        "FETCH post: post{id=1} category{*}"),
                row("select * from post where id = any(?::int[]) and title = ?",
                        "FETCH post: post{id=any(?1) & title=?2}"),
                row("select * from post p where p.id = ? and not exists"
                        + " (select 1 from post q where q.category_id = p.category_id and q.visible = true)",
                        "FETCH post: post{id=?1 | visible=true}"),
                row("select count(*) from (select * from post where id = 2) x", "COUNT post: post{id=2}"),
                row("(select * from post where id = 1) union (select * from author where id = 2) limit 1",
                        "GET post: post{id=1} author{id=2}"),
                row("select * from post where id between 1 and 3 and category_id = 2", "FETCH post: post{category_id=2}"),
                row("select * from post where (category_id, id) in ((1, 2))", "FETCH post: post{*}"),
                row("select * from post where title = E'a\\nb'", "FETCH post: post{*}"),
                row("select * from post where title = 'a\\b'", "FETCH post: post{*}"),
                row("select * from post where id = 1 and deleted_at is null and category_id = ?",
                        "FETCH post: post{category_id=?1 & deleted_at=NULL & id=1}"),
                row("select * from post where id = 1 and id is null", "FETCH post: post{*}"),
                row("select * from post where id in (1, 2) and category_id = 3 and id = 2",
                        "FETCH post: post{category_id=3 & id=2}"),
                row("select * from post where id = :id", "FETCH post: post{*}"),
                // multi-statement and trailing semicolon
                row("select * from post where id = 1;", "FETCH post: post{id=1}"));
    }

    static Stream<Arguments> unqualified() {
        return Stream.of(
                // without a lookup: unqualified columns in a multi-table scope are dropped
                row2("select * from post p join category c on c.id = p.category_id where name = 'x'",
                        "FETCH post: post{*} category{*}", "FETCH post: post{*} category{name='x'}"),
                row2("select * from post p join category c on c.id = category_id where c.id = 1",
                        "FETCH post: post{*} category{id=1}", "FETCH post: post{category_id=1} category{id=1}"),
                // ambiguous even with the lookup (both have id)
                row2("select * from post, category where id = 1", "FETCH post: post{*} category{*}",
                        "FETCH post: post{*} category{*}"),
                // in a subquery: the only table is not enough without the lookup (could be an outer column)
                row2("select * from category c where exists (select 1 from post where category_id = c.id and visible = true)",
                        "FETCH category: category{*} post{*}", "FETCH category: category{*} post{visible=true}"),
                // an outer column in a subquery narrows nothing
                row2("select * from author where exists (select 1 from post where country = 'fr')",
                        "FETCH author: author{*} post{*}", "FETCH author: author{*} post{*}"),
                // a derived table's columns are unknown: never guess
                row2("select * from post p, (select 1 as z) d where title = 'x'", "FETCH post: post{*}",
                        "FETCH post: post{*}"),
                // a CTE named like a real table: some databases still read the table (H2), so it
                // is a dependency when the catalog knows it
                row2("with author as (select * from category where id = 1) select * from author",
                        "FETCH category: category{id=1}", "FETCH category: author{*} category{id=1}"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("reads")
    void analysesReads(String sql, String expected) {
        assertThat(Rendered.of(ANALYZER.analyze(sql, SchemaLookup.NONE))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("unqualified")
    void attributesUnqualifiedColumnsOnlyWhenCertain(String sql, String withoutLookup, String withLookup) {
        assertThat(Rendered.of(ANALYZER.analyze(sql, SchemaLookup.NONE))).isEqualTo(withoutLookup);
        assertThat(Rendered.of(ANALYZER.analyze(sql, BLOG))).isEqualTo(withLookup);
    }

    private static Arguments row(String sql, String expected) {
        return Arguments.of(sql, expected);
    }

    private static Arguments row2(String sql, String withoutLookup, String withLookup) {
        return Arguments.of(sql, withoutLookup, withLookup);
    }
}
