package dev.cacheops.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** INSERT, UPDATE, DELETE, upserts and MERGE: what the engine needs to compute row images. */
class WriteAnalysisTest {
    private static final StatementAnalyzer ANALYZER = new StatementAnalyzer(AnalyzerSettings.DEFAULTS);

    private static Analysis.Write write(String sql) {
        Analysis analysis = ANALYZER.analyze(sql, SchemaLookup.NONE);
        assertThat(analysis).as(sql).isInstanceOf(Analysis.Write.class);
        return (Analysis.Write) analysis;
    }

    private static List<String> rows(Analysis.Write w) {
        return w.rows().stream().map(Rendered::values).toList();
    }

    private static Map<String, String> assignments(Analysis.Write w) {
        Map<String, String> out = new LinkedHashMap<>();
        w.assignments().forEach((k, v) -> out.put(k, Rendered.value(v)));
        return out;
    }

    @Test
    void insertSingleRow() {
        Analysis.Write w = write("insert into post (id, title, visible) values (?, 'x', true)");
        assertThat(w.kind()).isEqualTo(Analysis.WriteKind.INSERT);
        assertThat(w.tables()).containsExactly(TableName.of("post"));
        assertThat(w.wholeTable()).isNull();
        assertThat(w.columns()).containsExactly("id", "title", "visible");
        assertThat(rows(w)).containsExactly("?1, 'x', true");
        assertThat(w.returnsRows()).isFalse();
        assertThat(w.reads()).isEmpty();
    }

    @Test
    void insertMultiRowWithDefaultsAndExpressions() {
        Analysis.Write w = write("insert into post (id, title, score) values (1, ?, default), (-2, upper(?), 3 + 4)");
        assertThat(rows(w)).containsExactly("1, ?1, DEFAULT", "-2, <upper(?)>, <3 + 4>");
    }

    @Test
    void insertWithoutColumnList() {
        Analysis.Write w = write("insert into post values (1, 'a', null)");
        assertThat(w.columns()).isNull();
        assertThat(rows(w)).containsExactly("1, 'a', NULL");
    }

    @Test
    void insertQuotedIdentifiersAndReturning() {
        Analysis.Write w = write("insert into \"Post\" (\"Id\", Title) values (1, 'a') returning \"Id\"");
        assertThat(w.tables()).containsExactly(TableName.of("Post"));
        assertThat(w.columns()).containsExactly("Id", "title");
        assertThat(w.returnsRows()).isTrue();
    }

    @Test
    void insertSelectIsWholeTableAndReadsTheSource() {
        Analysis.Write w = write("insert into post_archive (id, title) select p.id, p.title from post p"
                + " join category c on c.id = p.category_id where c.name = ?");
        assertThat(w.kind()).isEqualTo(Analysis.WriteKind.INSERT);
        assertThat(w.wholeTable()).isEqualTo("insert ... select");
        assertThat(w.tables()).containsExactly(TableName.of("post_archive"));
        assertThat(w.reads()).containsExactly(TableName.of("post"), TableName.of("category"));
        assertThat(w.plain().insertSql()).as("deparsed, so that RETURNING can be appended")
                .isEqualTo("INSERT INTO post_archive (id, title) SELECT p.id, p.title FROM post p"
                        + " JOIN category c ON c.id = p.category_id WHERE c.name = ?");
        assertThat(w.plain().setParameters()).containsExactly(1);
    }

    @Test
    void insertSelectsThatCannotReturnTheirRowsHaveNoPlainForm() {
        assertThat(write("insert into a select * from b returning id").plain()).isNull();
        assertThat(write("insert into a select * from b on conflict do nothing").plain()).isNull();
        assertThat(write("with x as (select * from b) insert into a select * from x").plain()).isNull();
        assertThat(write("insert into a values (1, ?)").plain()).isNull();
        assertThat(write("insert into a select ?, ? from b; -- trailing").plain().insertSql())
                .isEqualTo("INSERT INTO a SELECT ?, ? FROM b");
    }

    @Test
    void postgresUpsert() {
        Analysis.Write w = write("insert into counter (name, hits) values (?, 1)"
                + " on conflict (name) do update set hits = counter.hits + 1, touched = ?");
        assertThat(w.kind()).isEqualTo(Analysis.WriteKind.UPSERT);
        assertThat(w.conflictColumns()).containsExactly("name");
        assertThat(rows(w)).containsExactly("?1, 1");
        assertThat(assignments(w)).containsExactly(Map.entry("hits", "<counter.hits + 1>"), Map.entry("touched", "?2"));
    }

    @Test
    void postgresUpsertDoNothing() {
        Analysis.Write w = write("insert into tag (name) values (?) on conflict do nothing");
        assertThat(w.kind()).isEqualTo(Analysis.WriteKind.UPSERT);
        assertThat(w.conflictColumns()).isEmpty();
        assertThat(w.assignments()).isEmpty();
    }

    @Test
    void mysqlUpsert() {
        Analysis.Write w = write("insert into counter (name, hits) values ('a', 1) on duplicate key update hits = hits + 1");
        assertThat(w.kind()).isEqualTo(Analysis.WriteKind.UPSERT);
        assertThat(w.conflictColumns()).isEmpty();
        assertThat(assignments(w)).containsExactly(Map.entry("hits", "<hits + 1>"));
    }

    @Test
    void mergeIsWholeTable() {
        Analysis.Write w = write("merge into post t using staging s on t.id = s.id when matched then update set title = s.title");
        assertThat(w.kind()).isEqualTo(Analysis.WriteKind.UPSERT);
        assertThat(w.wholeTable()).isNotNull();
        assertThat(w.tables()).containsExactly(TableName.of("post"));
        assertThat(w.reads()).containsExactly(TableName.of("staging"));
    }

    @Test
    void updateWithLiteralsParametersAndExpressions() {
        Analysis.Write w = write("update post p set title = ?, visible = false, score = score + 1, rating = default"
                + " where p.id = ? and p.category_id = ?");
        assertThat(w.kind()).isEqualTo(Analysis.WriteKind.UPDATE);
        assertThat(w.wholeTable()).isNull();
        assertThat(assignments(w)).containsExactly(Map.entry("title", "?1"), Map.entry("visible", "false"),
                Map.entry("score", "<score + 1>"), Map.entry("rating", "DEFAULT"));
        assertThat(w.targetSql()).isEqualTo("post p");
        assertThat(w.whereSql()).isEqualTo("p.id = ? AND p.category_id = ?");
        assertThat(w.whereParameters()).containsExactly(2, 3);
    }

    @Test
    void updateWithoutWhereTouchesEveryRow() {
        Analysis.Write w = write("update post set visible = true");
        assertThat(w.whereSql()).isNull();
        assertThat(w.whereParameters()).isEmpty();
        assertThat(w.targetSql()).isEqualTo("post");
    }

    @Test
    void updateWithSubqueryInWhereReadsItsTable() {
        Analysis.Write w = write("update post set visible = ? where category_id in (select id from category where name = ?)");
        assertThat(w.wholeTable()).isNull();
        assertThat(w.whereParameters()).containsExactly(2);
        assertThat(w.reads()).containsExactly(TableName.of("category"));
    }

    @Test
    void updateRowValueAssignment() {
        Analysis.Write w = write("update post set (title, score) = (?, 5) where id = ?");
        assertThat(assignments(w)).containsExactly(Map.entry("title", "?1"), Map.entry("score", "5"));
        assertThat(w.whereParameters()).containsExactly(2);
    }

    @Test
    void updateFromIsWholeTable() {
        Analysis.Write w = write("update post p set title = c.name from category c where c.id = p.category_id");
        assertThat(w.wholeTable()).isNotNull();
        assertThat(w.tables()).containsExactly(TableName.of("post"));
        assertThat(w.reads()).containsExactly(TableName.of("category"));
    }

    @Test
    void updateWithLimitIsWholeTable() {
        assertThat(write("update post set title = 'x' where visible = true order by id limit 10").wholeTable())
                .isNotNull();
        assertThat(write("delete from post where visible = false limit 10").wholeTable()).isNotNull();
    }

    @Test
    void delete() {
        Analysis.Write w = write("delete from post where id = ? returning *");
        assertThat(w.kind()).isEqualTo(Analysis.WriteKind.DELETE);
        assertThat(w.targetSql()).isEqualTo("post");
        assertThat(w.whereSql()).isEqualTo("id = ?");
        assertThat(w.whereParameters()).containsExactly(1);
        assertThat(w.returnsRows()).isTrue();
    }

    @Test
    void deleteUsingIsWholeTable() {
        Analysis.Write w = write("delete from post p using category c where c.id = p.category_id and c.name = ?");
        assertThat(w.wholeTable()).isNotNull();
        assertThat(w.reads()).containsExactly(TableName.of("category"));
    }

    @Test
    void hibernateStyleWrites() {
        Analysis.Write w = write("update post set category_id=?,title=?,version=? where id=? and version=?");
        assertThat(assignments(w)).containsExactly(Map.entry("category_id", "?1"), Map.entry("title", "?2"),
                Map.entry("version", "?3"));
        assertThat(w.whereParameters()).containsExactly(4, 5);
        Analysis.Write d = write("delete from post where id=? and version=?");
        assertThat(d.whereParameters()).containsExactly(1, 2);
    }

    @Test
    void writeAfterAnotherStatementIsNotUnderstood() {
        assertThat(ANALYZER.analyze("delete from post; delete from category", SchemaLookup.NONE))
                .isInstanceOf(Analysis.NotUnderstood.class)
                .extracting(a -> ((Analysis.NotUnderstood) a).mayWrite()).isEqualTo(true);
    }

    @Test
    void writeWithDataModifyingCteIsNotUnderstood() {
        assertThat(ANALYZER.analyze("with d as (delete from post returning *) insert into archive select * from d",
                SchemaLookup.NONE)).isEqualTo(new Analysis.NotUnderstood("a write with a data-modifying part", true));
    }

    // ---- plain forms, rebuilt by the engine to return row images (DESIGN §4)

    @Test
    void plainUpdateGivesSetListParametersAndFixedColumns() {
        Analysis.Write w = write("update post p set views = p.views + ?, title = ? where p.id = ? and category_id = 5 and x > 1");
        Analysis.Plain plain = w.plain();
        assertThat(plain).isNotNull();
        assertThat(plain.targetRef()).isEqualTo("p");
        assertThat(plain.setSql()).isEqualTo("views = p.views + ?, title = ?");
        assertThat(plain.setParameters()).containsExactly(1, 2);
        assertThat(w.whereParameters()).containsExactly(3);
        assertThat(plain.fixedValues().keySet()).containsExactlyInAnyOrder("id", "category_id");
        assertThat(plain.fixedValues()).containsEntry("id", new ValueRef.Parameter(3))
                .containsEntry("category_id", new ValueRef.Literal(ValueRef.LiteralType.NUMBER, "5"));
        assertThat(write("update post set a = 1 where 'x' = title").plain().fixedValues())
                .containsExactly(java.util.Map.entry("title", new ValueRef.Literal(ValueRef.LiteralType.STRING, "x")));
    }

    @Test
    void plainFixedColumnsIgnoreOtherQualifiersAndOrBranches() {
        assertThat(write("update post set a = 1 where other.id = ? and (b = ? or c = 1)").plain().fixedValues().keySet()).isEmpty();
        assertThat(write("update public.post set a = 1 where ? = post.id").plain().fixedValues().keySet()).containsExactly("id");
        assertThat(write("update post set a = 1 where id = other_col").plain().fixedValues().keySet()).isEmpty();
        assertThat(write("update post set a = 1").plain().fixedValues().keySet()).isEmpty();
    }

    @Test
    void plainDelete() {
        Analysis.Write w = write("delete from post where id in (?, ?)");
        assertThat(w.plain()).isNotNull();
        assertThat(w.plain().targetRef()).isEqualTo("post");
        assertThat(w.plain().setSql()).isNull();
        assertThat(w.plain().fixedValues().keySet()).isEmpty();
    }

    @Test
    void notPlainWithReturningWithFromOrLimit() {
        assertThat(write("update post set a = 1 where id = 1 returning id").plain()).isNull();
        assertThat(write("update post set a = b.x from b where post.id = b.id").plain()).isNull();
        assertThat(write("delete from post where id = 1 returning *").plain()).isNull();
        assertThat(write("with x as (select 1 as id) delete from post where id in (select id from x)").plain()).isNull();
        assertThat(write("insert into post (id) values (1)").plain()).isNull();
    }
}
