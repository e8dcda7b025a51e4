package dev.cacheops.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which reads return stored rows of one table, and which of those are lookups by one column (DESIGN §3, "Rows of a result"). */
class RowShapeTest {
    private static final StatementAnalyzer ANALYZER = new StatementAnalyzer(AnalyzerSettings.DEFAULTS);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // what Hibernate sends for find and for a page of entities
        "select p1_0.id,p1_0.title,p1_0.category_id from post p1_0 where p1_0.id=? | id,title,category_id | id",
        "select p1_0.id,p1_0.title from post p1_0 where p1_0.category_id=? order by p1_0.id offset ? rows fetch first ? rows only | id,title |",
        "select id, title from post where ? = id | id,title | id",
        "select post.id, \"Title\" from post where post.id = ? | id,Title | id",
        "select id as x, title from post where visible = true | id,title |",
        // lookups only without anything that trims, orders, or adds a condition
        "select id, title from post where id = ? limit 1 | id,title |",
        "select id, title from post where id = ? order by id | id,title |",
        "select id, title from post where id = ? and visible = true | id,title |",
        "select id, title from post where id = 5 | id,title |",
    })
    void rowsOfOneTable(String sql, String columns, String key) {
        RowShape shape = shape(sql);
        assertThat(shape).isNotNull();
        assertThat(shape.table().name()).isEqualTo("post");
        assertThat(shape.columns()).isEqualTo(List.of(columns.split(",")));
        assertThat(shape.key()).isEqualTo(key);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "select *, 1 from post where id = ?",
        "select c.* from post p where p.id = ?",
        "select id, title || 'x' from post where id = ?",
        "select distinct id, title from post",
        "select id, count(*) from post group by id",
        "select p.id, c.name from post p join category c on c.id = p.category_id where p.id = ?",
        "select p.id from post p, category c where p.id = ?",
        "select id from post where id in (select post_id from comment)",
        "select id, (select 1) from post where id = ?",
        "with x as (select id from post) select id from x where id = ?",
        "select id from post where id = ? union select id from post where id = ?",
        "select c.id from post p where p.id = ?",
        "select id, ? from post where id = ?",
        "select id, title from post where id = ?1",
    })
    void notRowsOfOneTable(String sql) {
        assertThat(shape(sql)).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "select * from post where id = ? | id",
        "select p.* from post p where p.id = ? | id",
        "select post.* from post where category_id = ? order by id limit 10 |",
    })
    void everyColumnOfOneTable(String sql, String key) {
        RowShape shape = shape(sql);
        assertThat(shape).isNotNull();
        assertThat(shape.columns()).as("every column").isNull();
        assertThat(shape.key()).isEqualTo(key);
    }

    private static RowShape shape(String sql) {
        Analysis a = ANALYZER.analyze(sql, ReadAnalysisTest.BLOG);
        return a instanceof Analysis.Read r ? r.rows() : null;
    }
}
