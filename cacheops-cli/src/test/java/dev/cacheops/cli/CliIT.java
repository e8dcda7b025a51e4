package dev.cacheops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cacheops.Cacheops;
import dev.cacheops.Op;
import dev.cacheops.testing.RedisCluster;
import dev.cacheops.testing.TestServices;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import picocli.CommandLine;

/**
 * The three commands run in-process, as {@code bin/cacheops} runs them, against the real
 * PostgreSQL (a schema of its own) and Redis (a prefix of its own); assertions on what they print.
 */
class CliIT {
    private static TestServices.SchemaDataSource schema;
    private static String jdbcUrl;
    private static String user;
    private static String password;
    private static String redis;
    private static RedisClient client;
    private static StatefulRedisConnection<String, String> connection;
    private String prefix;
    private Cacheops cacheops;
    private DataSource cached;

    /** What one command run printed. */
    record Run(int code, String out, String err) { }

    @BeforeAll
    static void services() throws Exception {
        schema = TestServices.freshPostgresSchema();
        PGSimpleDataSource pg = (PGSimpleDataSource) schema.dataSource();
        jdbcUrl = pg.getURL() + (pg.getURL().contains("?") ? "&" : "?") + "currentSchema=" + schema.schema();
        user = pg.getUser();
        password = pg.getPassword();
        redis = TestServices.redisUri();
        client = RedisClient.create(redis);
        connection = client.connect();
        try (Connection c = schema.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("create table category (id int primary key, title text)");
            s.execute("create table post (id int primary key, category_id int references category on delete cascade,"
                    + " visible boolean, title text)");
            s.execute("insert into category values (5, 'five'), (6, 'six')");
            s.execute("insert into post select i, 5 + i % 2, true, 'post ' || i from generate_series(1, 20) i");
        }
    }

    @AfterAll
    static void close() {
        connection.close();
        client.shutdown();
        schema.close();
    }

    @BeforeEach
    void instance() {
        prefix = TestServices.uniquePrefix();
        cacheops = Cacheops.builder().redis(redis).prefix(prefix)
                .profile("post", Op.ALL, Duration.ofMinutes(15))
                .profile("category", Set.of(Op.GET), Duration.ofMinutes(5)).build();
        cached = cacheops.wrap(schema.dataSource());
    }

    @org.junit.jupiter.api.AfterEach
    void closeInstance() {
        cacheops.close();
        // only this test's own prefix, by SCAN like the command itself
        var args = io.lettuce.core.ScanArgs.Builder.matches(prefix + ":*").limit(1000);
        io.lettuce.core.KeyScanCursor<String> page = connection.sync().scan(args);
        while (true) {
            if (!page.getKeys().isEmpty()) {
                connection.sync().del(page.getKeys().toArray(String[]::new));
            }
            if (page.isFinished()) {
                break;
            }
            page = connection.sync().scan(page, args);
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = CacheopsCli.commandLine();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int code = cmd.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private List<String> db(String... more) {
        List<String> args = new ArrayList<>(List.of("--jdbc-url", jdbcUrl, "--user", user));
        if (password != null && !password.isEmpty()) {
            args.addAll(List.of("--password", password));
        }
        args.addAll(List.of(more));
        return args;
    }

    private String[] explain(String... more) {
        List<String> args = new ArrayList<>(List.of("explain", "--no-color"));
        args.addAll(db());
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    /** Reads until a result is cached (stores are asynchronous), then once more for a hit. */
    private void warm(String sql, Object param) throws Exception {
        warm(cacheops, cached, sql, param);
    }

    private static void warm(Cacheops cacheops, DataSource cached, String sql, Object param) throws Exception {
        long hits = cacheops.stats().hits();
        for (int i = 0; i < 200 && cacheops.stats().hits() == hits; i++) {
            try (Connection c = cached.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setObject(1, param);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rs.getObject(1);
                    }
                }
            }
            Thread.sleep(5);
        }
        assertThat(cacheops.stats().hits()).as("cached " + sql).isGreaterThan(hits);
    }

    private boolean hits(String sql, Object param) throws Exception {
        long before = cacheops.stats().hits();
        try (Connection c = cached.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rs.getObject(1);
                }
            }
        }
        return cacheops.stats().hits() > before;
    }

    @Test
    void explainShowsACacheableReadWithItsStampKeys() {
        Run r = run(explain("--profile", "post=all:15m", "select title from post where category_id = ? and visible", "5"));
        assertThat(r.code()).as(r.err()).isZero();
        String post = schema.schema() + ".post";
        assertThat(r.out()).contains("kind       READ FETCH", "cacheable  yes, for 15m (profile of " + post + ")",
                "conditions  category_id = ?1 and visible = true", "bound       category_id=5 & visible=t",
                "cacheops:conj:" + post + ":category_id=5&visible=t");
        Run find = run(explain("--profile", "post=all:15m", "select id, title from post where id = ?", "5"));
        assertThat(find.out()).contains("rows       a lookup by id: also stored from the rows of cached results of "
                + post + " with the same columns");
    }

    @Test
    void explainSaysWhyNotAndWhatAWriteInvalidates() {
        Run no = run(explain("--profile", "post=get:1m", "select count(*) from post"));
        assertThat(no.out()).contains("cacheable  no: NOT_ENABLED");
        Run none = run(explain("select * from post where title = now()::text"));
        assertThat(none.out()).contains("no: UNCACHEABLE (volatile function now)");
        Run write = run(explain("update category set title = ? where id = ?", "x", "5"));
        assertThat(write.out()).contains("WRITE UPDATE", schema.schema() + ".category  rows: old images",
                schema.schema() + ".post  rows: cascade");
    }

    @Test
    void noColourWhenTheOutputIsNotATerminal() {
        List<String> args = new ArrayList<>(List.of("explain"));
        args.addAll(db("--profile", "post=all:15m", "select title from post where id = ?", "1"));
        Run r = run(args.toArray(String[]::new));
        assertThat(r.out()).contains("cacheable  yes").doesNotContain("\u001b[");
    }

    @Test
    void explainJson() throws Exception {
        Run r = run(explain("--json", "--profile", "post=all:15m", "select * from post where id = ?", "3"));
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("op").asText()).isEqualTo("GET");
        assertThat(json.get("cacheable").asBoolean()).isTrue();
        assertThat(json.get("timeout").asText()).isEqualTo("PT15M");
        assertThat(json.get("reads").get(0).get("stampKeys").get(1).asText()).endsWith(".post:id=3");
    }

    @Test
    void badUsageNamesTheProblem() {
        Run r = run("explain", "select 1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--jdbc-url");
        Run p = run(explain("--profile", "post=sometimes:1m", "select 1 from post"));
        assertThat(p.code()).isEqualTo(1);
        assertThat(p.err()).contains("unknown op 'sometimes'");
    }

    @Test
    void statsCountsStampKeysAndSchemesPerTableAndTheEntries() throws Exception {
        String sql = "select title from post where category_id = ?";
        warm(sql, 5);
        warm(sql, 6);
        warm("select title from category where id = ?", 5);
        Run r = run("stats", "--no-color", "--progress", "--redis", redis, "--prefix", prefix);
        assertThat(r.code()).as(r.err()).isZero();
        String post = schema.schema() + ".post";
        // post: the scheme version of category_id and one conjunction per category
        assertThat(r.out()).containsPattern(post.replace(".", "\\.") + " +3 +1 +2 +1 +\\d");
        assertThat(r.out()).contains("entries       3 (", "epoch set");
        assertThat(r.err()).contains("scanning " + prefix + ":*");

        Run json = run("stats", "--json", "--redis", redis, "--prefix", prefix, "--memory-sample", "2");
        JsonNode j = new ObjectMapper().readTree(json.out());
        assertThat(j.get("entries").asLong()).isEqualTo(3);
        assertThat(j.get("complete").asBoolean()).isTrue();
        assertThat(j.get("bytesExact").asBoolean()).isFalse();
        assertThat(j.get("totalBytes").asLong()).isPositive();
        assertThat(j.get("tables")).hasSize(2);
    }

    @Test
    void statsOnARedisClusterVisitsEveryMaster() throws Exception {
        RedisCluster cluster = RedisCluster.shared();
        String clusterPrefix = TestServices.uniquePrefix();
        try (Cacheops onCluster = Cacheops.builder().redis(cluster.uri()).prefix(clusterPrefix)
                .profile("post", Op.ALL, Duration.ofMinutes(15)).build()) {
            DataSource ds = onCluster.wrap(schema.dataSource());
            warm(onCluster, ds, "select title from post where category_id = ?", 5);
            warm(onCluster, ds, "select title from post where category_id = ?", 6);
            Run r = run("stats", "--no-color", "--redis", cluster.uri(), "--prefix", clusterPrefix);
            assertThat(r.code()).as(r.err()).isZero();
            String post = schema.schema() + ".post";
            // the table's keys carry it as a hash tag; the census reads the table back without braces
            assertThat(r.out()).containsPattern(post.replace(".", "\\.") + " +3 +1 +2 +1 +\\d");
            assertThat(r.out()).contains("entries       2 (", "epoch set");
            onCluster.invalidateAll();
        }
    }

    @Test
    void statsStopsAtItsBound() throws Exception {
        warm("select title from post where category_id = ?", 5);
        Run r = run("stats", "--json", "--redis", redis, "--prefix", prefix, "--max-keys", "2", "--scan-count", "1");
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("keysScanned").asLong()).isEqualTo(2);
        assertThat(j.get("complete").asBoolean()).isFalse();
    }

    @Test
    void invalidateRowTableAndAll() throws Exception {
        String sql = "select title from post where category_id = ?";
        warm(sql, 5);
        warm(sql, 6);
        List<String> row = new ArrayList<>(List.of("invalidate", "--redis", redis, "--prefix", prefix));
        row.addAll(db("row", "--no-color", "post", "category_id=5"));
        Run r = run(row.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("invalidated row: post {category_id=5}");
        assertThat(hits(sql, 5)).as("category 5 invalidated").isFalse();
        assertThat(hits(sql, 6)).as("category 6 kept").isTrue();

        warm(sql, 5);
        List<String> table = new ArrayList<>(List.of("invalidate", "--redis", redis, "--prefix", prefix));
        table.addAll(db("table", "--json", "post"));
        Run t = run(table.toArray(String[]::new));
        assertThat(new ObjectMapper().readTree(t.out()).get("what").asText()).isEqualTo("table");
        assertThat(hits(sql, 5)).isFalse();
        assertThat(hits(sql, 6)).isFalse();

        warm(sql, 5);
        Run all = run("invalidate", "--redis", redis, "--prefix", prefix, "all", "--no-color");
        assertThat(all.out()).contains("invalidated all: everything under prefix " + prefix);
        assertThat(hits(sql, 5)).isFalse();
    }

    @Test
    void invalidateFailsLoudlyWhenRedisIsNotThere() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Run r = run("invalidate", "--redis", "redis://127.0.0.1:" + port, "--prefix", prefix, "all");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("did not take the invalidation");
    }
}
