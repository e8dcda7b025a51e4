package dev.cacheops.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table-driven: statements that must not be cached, statements with no effect, statements the
 * analysis cannot understand (and whether they may write), DDL and TRUNCATE.
 */
class StatementKindTest {
    private static final StatementAnalyzer ANALYZER = new StatementAnalyzer(AnalyzerSettings.DEFAULTS);

    static Stream<Arguments> kinds() {
        return Stream.of(
                // locking reads, including the one JSqlParser cannot parse
                row("select * from post for update", "UNCACHEABLE"),
                row("select * from post where id = ? for share", "UNCACHEABLE"),
                row("select * from post for no key update", "UNCACHEABLE"),
                row("select * from post p for update of p skip locked", "UNCACHEABLE"),
                row("select * from post a, category b for update of a, b nowait", "UNCACHEABLE"),
                row("select * from post where id in (select id from post for update)", "UNCACHEABLE"),
                // select into, no table
                row("select * into post_copy from post", "UNCACHEABLE"),
                row("select 1", "UNCACHEABLE"),
                row("select now()", "UNCACHEABLE"),
                row("values (1, 2)", "UNCACHEABLE"),
                row("select * from generate_series(1, 10)", "UNCACHEABLE"),
                // volatile and session functions anywhere
                row("select * from post where created_at > now()", "UNCACHEABLE"),
                row("select * from post where created_at > current_timestamp", "UNCACHEABLE"),
                row("select * from post where created_at > current_date - 1", "UNCACHEABLE"),
                row("select * from post order by random() limit 1", "UNCACHEABLE"),
                row("select * from post order by rand()", "UNCACHEABLE"),
                row("select nextval('post_seq') from post", "UNCACHEABLE"),
                row("select * from post where author = current_user", "UNCACHEABLE"),
                row("select * from post where author = user", "UNCACHEABLE"),
                row("select current_setting('x'), id from post", "UNCACHEABLE"),
                row("select pg_backend_pid(), id from post", "UNCACHEABLE"),
                row("select id from post group by id having max(created_at) < clock_timestamp()", "UNCACHEABLE"),
                row("select gen_random_uuid(), id from post", "UNCACHEABLE"),
                row("select * from post where id = (select max(id) from post where created_at < now())", "UNCACHEABLE"),
                row("select id, row_number() over (order by random()) from post", "UNCACHEABLE"),
                row("select * from post where id = @last_id", "UNCACHEABLE"),
                // unknown (possibly table-reading) functions; schema-qualified user functions
                row("select my_func(id) from post", "UNCACHEABLE"),
                row("select * from post where app.visible_to(id, ?)", "UNCACHEABLE"),
                // system catalogs
                row("select * from pg_catalog.pg_class", "UNCACHEABLE"),
                row("select * from pg_tables", "UNCACHEABLE"),
                row("select * from information_schema.columns where table_name = 'post'", "UNCACHEABLE"),
                // allowed functions keep the read cacheable
                row("select lower(title), coalesce(category_id, 0) from post where id = 1", "FETCH post: post{id=1}"),
                row("select date_trunc('day', created_at), count(*) from post group by 1", "AGGREGATE post: post{*}"),
                row("select * from post where id = any(?) and upper(title) like ?", "FETCH post: post{id=any(?1)}"),
                row("select string_agg(title, ',') from post", "AGGREGATE post: post{*}"),
                // data-modifying CTEs are never reads
                row("with d as (delete from post where id = 1 returning *) select * from d", "NOT UNDERSTOOD (may write)"),
                row("with u as (update post set title = 'x' returning id) select count(*) from u",
                        "NOT UNDERSTOOD (may write)"),
                // several statements, or anything after the first
                row("select 1; delete from post", "NOT UNDERSTOOD (may write)"),
                row("select * from post; select * from category", "NOT UNDERSTOOD"),
                // neutral
                row("begin", "NEUTRAL"),
                row("start transaction", "NEUTRAL"),
                row("commit", "NEUTRAL"),
                row("rollback", "NEUTRAL"),
                row("rollback to savepoint s1", "NEUTRAL"),
                row("savepoint s1", "NEUTRAL"),
                row("release savepoint s1", "NEUTRAL"),
                row("set search_path to app, public", "NEUTRAL"),
                row("set statement_timeout = 1000", "NEUTRAL"),
                row("show search_path", "NEUTRAL"),
                row("explain select * from post", "NEUTRAL"),
                row("lock table post in exclusive mode", "NEUTRAL"),
                row("vacuum post", "NEUTRAL"),
                row("analyze post", "NEUTRAL"),
                row("listen events", "NEUTRAL"),
                row("notify events", "NEUTRAL"),
                row("declare c cursor for select * from post", "NOT UNDERSTOOD"),
                row("fetch next from c", "NOT UNDERSTOOD"),
                // procedures and blocks may write
                row("call refresh_counts(1)", "NOT UNDERSTOOD (may write)"),
                row("exec refresh_counts 1", "NOT UNDERSTOOD (may write)"),
                row("do $$ begin delete from post; end $$", "NOT UNDERSTOOD (may write)"),
                row("begin delete from post; end;", "NOT UNDERSTOOD (may write)"),
                row("explain analyze delete from post where id = 1", "NOT UNDERSTOOD (may write)"),
                row("explain analyze select * from post", "UNCACHEABLE"),
                // truncate and DDL
                row("truncate post", "TRUNCATE [post] whole table"),
                row("truncate table post, category", "TRUNCATE [post, category] whole table"),
                row("create table post_archive (id int)", "DDL [post_archive] whole table"),
                row("alter table post add column rating int", "DDL [post] whole table"),
                row("alter table post rename to article", "DDL [post] whole table"),
                row("drop table post", "DDL [post] whole table"),
                row("create index post_title on post (title)", "DDL [post] whole table"),
                row("create or replace view recent as select * from post", "DDL [recent] whole table"),
                row("rename table post to article", "DDL [post, article] whole table"),
                row("create sequence post_seq", "NEUTRAL"),
                row("drop schema app cascade", "NOT UNDERSTOOD (may write)"),
                row("create function f() returns int as $$ select 1 $$ language sql", "NOT UNDERSTOOD (may write)"),
                // unparsable: may write unless it plainly is a query
                row("select * from post where id = (((", "NOT UNDERSTOOD"),
                row("with x as (select 1) select * frm x", "NOT UNDERSTOOD"),
                row("with x as (delete from post) select * frm x", "NOT UNDERSTOOD (may write)"),
                row("explain analyze garbage garbage", "NOT UNDERSTOOD (may write)"),
                row("frobnicate the table", "NOT UNDERSTOOD (may write)"),
                // plain single-table writes JSqlParser cannot parse still name their table
                row("update post set tags = tags || ?::text[] where id = ? garbage", "UPDATE [post] whole table"),
                row("delete from post where id = ? and garbage garbage", "DELETE [post] whole table"),
                row("insert into post (id) values (1) on conflict garbage do update set x = 1",
                        "UPSERT [post] whole table"),
                row("update post set x = 1 from category where garbage garbage", "NOT UNDERSTOOD (may write)"),
                row("update post set x = (select 1 from a garbage garbage)", "NOT UNDERSTOOD (may write)"),
                row("/* comment */ ( select * from post where garbage garbage", "NOT UNDERSTOOD"),
                row("update post set x = 1 where current of c1", "UPDATE [post] whole table"),
                row("DELETE FROM app.\"Post\" WHERE CURRENT OF c1;", "DELETE [app.Post] whole table"),
                row("update post set x = 1 where current of c1; delete from category", "NOT UNDERSTOOD (may write)"),
                row("drop table post, category cascade", "DDL [post, category] whole table"),
                row("drop table if exists post", "DDL [post] whole table"),
                row("", "NOT UNDERSTOOD"),
                row("   -- only a comment", "NOT UNDERSTOOD"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("kinds")
    void classifies(String sql, String expected) {
        assertThat(Rendered.of(ANALYZER.analyze(sql, SchemaLookup.NONE))).isEqualTo(expected);
    }

    @Test
    void volatileAndSafeFunctionsFromSettings() {
        StatementAnalyzer custom = new StatementAnalyzer(
                new AnalyzerSettings(16, 100_000, 100, Set.of("my_func"), Set.of("lower")));
        assertThat(Rendered.of(custom.analyze("select my_func(id) from post", SchemaLookup.NONE)))
                .isEqualTo("FETCH post: post{*}");
        assertThat(Rendered.of(custom.analyze("select lower(title) from post", SchemaLookup.NONE)))
                .isEqualTo("UNCACHEABLE");
    }

    @Test
    void reasonsNameTheCause() {
        assertThat(ANALYZER.analyze("select * from post where x = now()", SchemaLookup.NONE))
                .isEqualTo(new Analysis.UncacheableRead("volatile function now"));
        assertThat(ANALYZER.analyze("select 1", SchemaLookup.NONE))
                .isEqualTo(new Analysis.UncacheableRead("reads no table"));
    }

    @Test
    void inListLimitComesFromSettings() {
        StatementAnalyzer two = new StatementAnalyzer(new AnalyzerSettings(2, 100_000, 100, Set.of(), Set.of()));
        assertThat(Rendered.of(two.analyze("select * from post where id in (1, 2)", SchemaLookup.NONE)))
                .isEqualTo("FETCH post: post{id=1 | id=2}");
        assertThat(Rendered.of(two.analyze("select * from post where id in (1, 2, 3)", SchemaLookup.NONE)))
                .isEqualTo("FETCH post: post{*}");
    }

    @Test
    void tooLongOrTooDeepIsNotParsed() {
        StatementAnalyzer small = new StatementAnalyzer(new AnalyzerSettings(16, 100, 10, Set.of(), Set.of()));
        assertThat(small.analyze("select * from post where title = '" + "x".repeat(200) + "'", SchemaLookup.NONE))
                .isEqualTo(new Analysis.NotUnderstood("longer than 100 characters", false));
        assertThat(small.analyze("select * from t where id = " + "(".repeat(11) + "1" + ")".repeat(11),
                SchemaLookup.NONE))
                .isEqualTo(new Analysis.NotUnderstood("brackets nest deeper than 10", false));
        assertThat(small.analyze("call p(" + "(".repeat(11) + "1" + ")".repeat(11) + ")", SchemaLookup.NONE))
                .isEqualTo(new Analysis.NotUnderstood("brackets nest deeper than 10", true));
        // a plain single-table write still names its table
        assertThat(Rendered.of(small.analyze("delete from post where id = " + "(".repeat(11) + "1" + ")".repeat(11),
                SchemaLookup.NONE))).isEqualTo("DELETE [post] whole table");
        // brackets inside literals and comments do not count
        assertThat(Rendered.of(small.analyze("select * from post where t = '((((((((((((' /* (((((((((((( */",
                SchemaLookup.NONE))).isEqualTo("FETCH post: post{t='(((((((((((('}");
    }

    private static Arguments row(String sql, String expected) {
        return Arguments.of(sql, expected);
    }
}
