package dev.cacheops.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Robustness: whatever the input, {@link StatementAnalyzer#analyze} returns an analysis (it never
 * throws, not even a {@link StackOverflowError}) and finishes quickly.
 *
 * <p>Time bound: each statement must be analysed within <b>2 seconds</b>. Typical statements take
 * about a millisecond; the slowest inputs here (80,000-character AND/OR chains just under
 * {@code maxLength}) take about half a second once the JIT has compiled the parser. The bound is
 * deliberately generous so that a slow or busy build machine cannot make the test flaky, and it is
 * a bound on the analysis, not on JIT compilation or a GC pause: a statement over the bound is
 * analysed once more and the faster run counts. Times are measured with {@link System#nanoTime()}. The mutations come from a seeded {@link Random}, so a failure is
 * reproducible: the message names the input.
 */
class AnalyzerFuzzTest {
    private static final long BOUND_NANOS = 2_000_000_000L;
    private static final StatementAnalyzer ANALYZER = new StatementAnalyzer(AnalyzerSettings.DEFAULTS);

    private static final List<String> CORPUS = List.of(
            "select * from post where id = ?",
            "select p.* from post p join category c on p.category_id = c.id where c.id = ? and p.visible = true",
            "select * from post p left join category c on c.id = p.category_id where c.id is null",
            "select count(*) from post where category_id in (1, 2, 3) or title like 'a%'",
            "with c as (select * from category where id = 4) select * from post p join c on c.id = p.category_id",
            "select id from post where id = 1 union all select id from author where name = 'it''s'",
            "select * from post where exists (select 1 from tag t where t.post_id = post.id) order by id limit 1",
            "select p1_0.id from post p1_0 where p1_0.id = any(?) offset ? rows fetch first ? rows only",
            "select * from post where created_at > now() for update of post nowait",
            "insert into post (id, title) values (?, 'x'), (default, ?) on conflict (id) do update set title = excluded.title",
            "update post p set title = ?, score = score + 1 where p.id = ? and p.version = ?",
            "delete from post where id in (select post_id from tag where name = ?) returning *",
            "/* c */ select -- x\n * from \"Post\" where `a` = $$str$$ and b = E'\\n' and c = 'x'::date",
            "truncate table post, category",
            "begin; delete from post; commit");

    @Test
    void survivesMutationsOfValidStatements() {
        Random random = new Random(20_240_101L);
        List<String> inputs = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            inputs.add(mutate(CORPUS.get(random.nextInt(CORPUS.size())), random));
        }
        for (String sql : inputs) {
            assertAnalysedInTime(sql);
        }
    }

    @Test
    void survivesEveryTruncationOfEveryCorpusStatement() {
        for (String sql : CORPUS) {
            for (int end = 0; end <= sql.length(); end++) {
                assertAnalysedInTime(sql.substring(0, end));
            }
        }
    }

    static Stream<String> pathological() {
        return Stream.of(
                "select * from post where id = " + "(".repeat(10_000) + "1" + ")".repeat(10_000),
                "select * from post where id = " + "(".repeat(10_000),
                ")".repeat(10_000) + " select 1",
                "select * from post where id = " + "[".repeat(5_000) + "1",
                "select * from post where id in (" + "1,".repeat(99_999) + "1)",
                "select * from post where title = '" + "x".repeat(1_000_000) + "'",
                "select * from post where " + "id = 1 and ".repeat(8_000) + "id = 1",
                "select * from post where " + "id = 1 or ".repeat(8_000) + "id = 1",
                "select * from post where " + "(id = 1 or id = 2) and ".repeat(200) + "id = 1",
                "select * from post where " + "not ".repeat(5_000) + "id = 1",
                "select " + "1 + ".repeat(20_000) + "1 from post",
                "update post set title = 'x' where " + "id = ? and ".repeat(8_000) + "id = ?",
                "select " + "lower(".repeat(90) + "title" + ")".repeat(90) + " from post",
                "select * from post where title = '\uD800' and id = \uDC00",
                "select \uDBFF\uDFFF from \uD83D\uDE00 where x = '\uDFFF\uD800'",
                "select * /* unterminated comment",
                "select * from post where title = 'unterminated",
                "select * from \"unterminated",
                "select/**/*/**/from/**/post/**/where/**/id/**/=/**/1",
                "select * from post -- comment ( ( (\n where id = 1",
                "/* /* nested */ comment */ select * from post",
                "select * from post where id = 1 /* ; delete from post */",
                "select $a$ ( ( ( $a$ from post",
                "\u0000select\u0000 * from post",
                "select * from post where id = ?" + "?".repeat(10_000),
                "select (((((((((((((((((((((((((((((((((((((((((((((((((((((select 1)))))))))))))))))))))))))"
                        + "))))))))))))))))))))))))))",
                "with " + "a as (select 1), ".repeat(1_000) + "b as (select 1) select * from b",
                "select * from " + "a join b on a.id = b.id ".repeat(500),
                "case when when then end end",
                ";;;;",
                "   ",
                "\n\t\r");
    }

    @ParameterizedTest
    @MethodSource("pathological")
    void survivesPathologicalInput(String sql) {
        assertAnalysedInTime(sql);
    }

    @Test
    void parserStackOverflowIsCaughtWhenTheGuardIsLoosened() {
        // Past the guard, the parser overflows its stack: that must come back as NotUnderstood.
        StatementAnalyzer loose = new StatementAnalyzer(
                new AnalyzerSettings(16, 10_000_000, 100_000, Set.of(), Set.of()));
        String deep = "select * from post where id = " + "(".repeat(10_000) + "1" + ")".repeat(10_000);
        assertThat(loose.analyze(deep, SchemaLookup.NONE)).isInstanceOf(Analysis.NotUnderstood.class);
        String deepWrite = "delete from post where id = " + "(".repeat(10_000) + "1" + ")".repeat(10_000);
        assertThat(Rendered.of(loose.analyze(deepWrite, SchemaLookup.NONE))).isEqualTo("DELETE [post] whole table");
        String deepCall = "call p(" + "(".repeat(10_000) + "1" + ")".repeat(10_000) + ")";
        assertThat(loose.analyze(deepCall, SchemaLookup.NONE))
                .isInstanceOfSatisfying(Analysis.NotUnderstood.class, n -> assertThat(n.mayWrite()).isTrue());
    }

    @Test
    void bulkWritesOverTheGuardStillNameTheirTable() {
        String insert = "insert into post (id, title) values " + "(1, 'a'), ".repeat(5_000) + "(2, 'b')";
        assertThat(Rendered.of(ANALYZER.analyze(insert, SchemaLookup.NONE))).isEqualTo("INSERT [post] whole table");
        String delete = "delete from post where id in (" + "1, ".repeat(20_000) + "2)";
        assertThat(Rendered.of(ANALYZER.analyze(delete, SchemaLookup.NONE))).isEqualTo("DELETE [post] whole table");
        String sneaky = "delete from post where id in (" + "1, ".repeat(20_000) + "2) or id in (select id from x)";
        assertThat(Rendered.of(ANALYZER.analyze(sneaky, SchemaLookup.NONE))).isEqualTo("NOT UNDERSTOOD (may write)");
        String twoStatements = "delete from post where id in (" + "1, ".repeat(20_000) + "2); delete from tag";
        assertThat(Rendered.of(ANALYZER.analyze(twoStatements, SchemaLookup.NONE)))
                .isEqualTo("NOT UNDERSTOOD (may write)");
    }

    @Test
    void longListsWithinMaxLengthAreRejectedBeforeTheSlowParse() {
        // 49,000 one-digit values fit in 100,000 chars but would take JSqlParser over two seconds.
        String sql = "select * from post where id in (" + "1,".repeat(49_000) + "1)";
        assertThat(sql.length()).isLessThan(AnalyzerSettings.DEFAULTS.maxLength());
        assertThat(ANALYZER.analyze(sql, SchemaLookup.NONE))
                .isEqualTo(new Analysis.NotUnderstood("more than 10000 tokens", false));
        assertAnalysedInTime(sql);
    }

    private static void assertAnalysedInTime(String sql) {
        // CPU time of this thread, not wall time: the bound catches runaway parsing, and on a
        // loaded two-core machine wall time also counts the other processes' turns (a CI run saw
        // 2.03 s of wall time for well under that of work).
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        boolean cpuTime = cpu.isCurrentThreadCpuTimeSupported();
        long elapsed = Long.MAX_VALUE;
        Analysis analysis = null;
        for (int run = 0; run < 2 && elapsed >= BOUND_NANOS; run++) {
            long start = cpuTime ? cpu.getCurrentThreadCpuTime() : System.nanoTime();
            analysis = ANALYZER.analyze(sql, ReadAnalysisTest.BLOG);
            elapsed = Math.min(elapsed, (cpuTime ? cpu.getCurrentThreadCpuTime() : System.nanoTime()) - start);
        }
        String shown = sql.length() > 200 ? sql.substring(0, 200) + "... (" + sql.length() + " chars)" : sql;
        assertThat(analysis).as(shown).isNotNull();
        assertThat(elapsed).as("analysis time in ns of: %s", shown).isLessThan(BOUND_NANOS);
    }

    private static String mutate(String sql, Random random) {
        StringBuilder s = new StringBuilder(sql);
        int edits = 1 + random.nextInt(4);
        String[] tokens = {"(", ")", "'", "\"", "`", "--", "/*", "*/", ";", "?", "select", "from", "where", "and", "or",
                           "not", "in", "(select 1)", "exists", "union", "for update", "null", "is", "=", ",", "$$",
                           "\uD800", "\\", "join", "on", "left", "any(?)", "::int", "1e309", "-", "--\n"};
        for (int e = 0; e < edits && s.length() > 0; e++) {
            int at = random.nextInt(s.length() + 1);
            switch (random.nextInt(4)) {
                case 0 -> s.insert(at, " " + tokens[random.nextInt(tokens.length)] + " ");
                case 1 -> s.delete(at, Math.min(s.length(), at + 1 + random.nextInt(8)));
                case 2 -> s.setLength(at);
                default -> {
                    int from = random.nextInt(s.length());
                    int to = Math.min(s.length(), from + random.nextInt(20));
                    s.insert(at, s.substring(from, to));
                }
            }
        }
        return s.toString();
    }
}
