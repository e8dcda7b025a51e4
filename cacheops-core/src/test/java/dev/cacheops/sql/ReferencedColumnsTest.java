package dev.cacheops.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table-driven: a query in, the column names it references out (DESIGN §3, "Column sets"), or
 * {@code ALL} when it may depend on columns it does not name. Names are attributed to tables by
 * the engine (by name, whatever the qualifier), so here they are one set per statement.
 */
class ReferencedColumnsTest {
    private static final StatementAnalyzer ANALYZER = new StatementAnalyzer(AnalyzerSettings.DEFAULTS);

    static Stream<Arguments> reads() {
        return Stream.of(
                // select list, conditions, ordering
                row("select title from post where id = ?", "id,title"),
                row("select p.title from post p where p.category_id = 5 order by p.views desc", "category_id,title,views"),
                row("select count(*) from post", ""),
                row("select count(*) from post where category_id = ?", "category_id"),
                row("select count(id) from post", "id"),
                row("select category_id, count(*) from post group by category_id having max(views) > 3",
                        "category_id,views"),
                row("select lower(title) from post where id in (?, ?)", "id,title"),
                row("select title, row_number() over (partition by category_id order by created) from post",
                        "category_id,created,title"),
                // joins, aliases, USING
                row("select p.title, c.name from post p join category c on c.id = p.category_id",
                        "category_id,id,name,title"),
                row("select title from post join category using (category_id)", "category_id,title"),
                // subqueries: EXISTS' select list names nothing, correlated references count
                row("select title from post p where exists (select * from tag t where t.post_id = p.id)",
                        "id,post_id,title"),
                row("select title from post p where (select count(*) from tag t where t.post_id = p.id) > 1",
                        "id,post_id,title"),
                row("select title from post where id in (select post_id from tag where name = ?)",
                        "id,name,post_id,title"),
                row("with recent as (select id, title from post where views > 10) select title from recent",
                        "id,title,views"),
                row("select x from (select title as x from post) d", "title,x"),
                // quoted names keep their case
                row("select \"Title\" from post", "Title"),
                // every column, or columns not named
                row("select * from post where id = 1", "ALL"),
                row("select p.* from post p", "ALL"),
                row("select p.title from post p join category c on c.id = p.category_id where exists (select c.* from tag)",
                        "ALL"),
                row("select count(p.*) from post p", "ALL"),
                row("select p from post p", "ALL"),
                row("select row_to_json(p) from post p", "ALL"),
                row("select to_json(post) from post", "ALL"),
                row("select title from post natural join category", "ALL"),
                row("select ctid, title from post", "ALL"),
                row("select xmin from post", "ALL"),
                row("select d.* from (select title from post) d", "ALL"),
                row("select title from post where id in (select * from ids)", "ALL"),
                row("table post", "ALL"));
    }

    @org.junit.jupiter.api.Test
    void aFunctionTheApplicationDeclaredSafeMayReadAnyColumn() {
        StatementAnalyzer analyzer = new StatementAnalyzer(
                new AnalyzerSettings(16, 100_000, 100, java.util.Set.of("score_of"), java.util.Set.of()));
        Analysis a = analyzer.analyze("select title, score_of(id) from post", ReadAnalysisTest.BLOG);
        assertThat(a).isInstanceOf(Analysis.Read.class);
        assertThat(((Analysis.Read) a).columns()).as("score_of may read any column of post").isNull();
        Analysis builtIn = analyzer.analyze("select lower(title) from post", ReadAnalysisTest.BLOG);
        assertThat(((Analysis.Read) builtIn).columns()).containsExactly("title");
    }

    private static Arguments row(String sql, String expected) {
        return Arguments.of(sql, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reads")
    void referencedColumns(String sql, String expected) {
        Analysis a = ANALYZER.analyze(sql, ReadAnalysisTest.BLOG);
        assertThat(a).as(sql).isInstanceOf(Analysis.Read.class);
        Analysis.Read r = (Analysis.Read) a;
        String actual = r.columns() == null ? "ALL" : String.join(",", new TreeSet<>(r.columns()));
        assertThat(actual).as(sql).isEqualTo(expected);
    }
}
