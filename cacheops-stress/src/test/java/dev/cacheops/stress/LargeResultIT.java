package dev.cacheops.stress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheops.Cacheops;
import dev.cacheops.Op;
import dev.cacheops.PassReason;
import dev.cacheops.testing.TestServices;
import java.sql.ResultSet;
import java.time.Duration;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A million-row result through the wrapper in a forked JVM with {@code -Xmx64m}
 * ({@link LargeResultMain}): above {@code maxRows} or {@code maxBytes} the rows must stream
 * through uncached, neither failing nor buffering (a million buffered rows of this table need well
 * over 64 MiB).
 */
class LargeResultIT {
    private static final long ROWS = 1_000_000;
    private static final long SUM = ROWS * (ROWS + 1) / 2;

    @Test
    void millionRowResultsStreamThroughASmallHeap() throws Exception {
        PGSimpleDataSource pg = (PGSimpleDataSource) TestServices.postgres();
        try (TestServices.SchemaDataSource schema = TestServices.freshPostgresSchema()) {
            try (Connection c = schema.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("create table big (id int primary key, payload text not null)");
                s.execute("insert into big select g, md5(g::text) from generate_series(1, " + ROWS + ") g");
                s.execute("analyze big");
            }
            List<String> args = List.of("--jdbc-url", pg.getURL(), "--user", pg.getUser(),
                    "--password", pg.getPassword() == null ? "" : pg.getPassword(), "--schema", schema.schema(),
                    "--redis", TestServices.redisUri(), "--prefix", TestServices.uniquePrefix());
            Path out = Path.of("target", "large-result-" + schema.schema().toLowerCase(Locale.ROOT) + ".log");
            try (JvmFork child = JvmFork.start(LargeResultMain.class, List.of("-Xmx64m", "-XX:+UseSerialGC"),
                    args, out)) {
                int exit = child.await(600_000);
                List<String> lines = child.lines();
                lines.stream().filter(l -> l.startsWith("LARGE") || l.startsWith("heap") || l.contains("Error")
                        || l.contains("Exception")).forEach(System.out::println);
                assertThat(exit).as("exit code; output in " + out + "\n" + String.join("\n", lines)).isZero();
                List<String> results = lines.stream().filter(l -> l.startsWith("LARGE ")).toList();
                assertThat(results).hasSize(4);
                for (String r : results) {
                    assertThat(r).contains("rows=" + ROWS + " ", "sum=" + SUM + " ");
                }
                assertThat(results.get(1)).as("over the row limit: not cached, so the second read is no hit")
                        .contains(" hits=0 ", " stores=0 ");
                assertThat(results.get(2)).as("over the byte limit: not cached").contains(" hits=0 ", " stores=0 ");
            }
        }
    }

    /**
     * The README says results larger than maxRows pass through "counted by reason in
     * cacheops.stats()": an oversized result must show up as {@link PassReason#NOT_STORABLE}.
     */
    @Test
    void anOversizedResultIsCountedAsNotStorable() throws Exception {
        try (TestServices.SchemaDataSource schema = TestServices.freshPostgresSchema();
             Cacheops cacheops = Cacheops.builder().redis(TestServices.redisUri()).prefix(TestServices.uniquePrefix())
                     .redisTimeout(Duration.ofSeconds(2)).profile("small", Op.ALL, Duration.ofMinutes(1))
                     .maxRows(10).build()) {
            try (Connection c = schema.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("create table small (id int primary key)");
                s.execute("insert into small select g from generate_series(1, 20) g");
            }
            try (Connection c = cacheops.wrap(schema.dataSource()).getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select id from small")) {
                int n = 0;
                while (rs.next()) {
                    n++;
                }
                assertThat(n).isEqualTo(20);
            }
            assertThat(cacheops.stats().stores()).isZero();
            assertThat(cacheops.stats().passThroughs().get(PassReason.NOT_STORABLE))
                    .as("NOT_STORABLE after a 20-row result with maxRows 10; " + cacheops.stats()).isEqualTo(1L);
        }
    }
}
