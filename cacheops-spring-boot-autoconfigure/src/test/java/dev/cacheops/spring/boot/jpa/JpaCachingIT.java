package dev.cacheops.spring.boot.jpa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cacheops.spring.boot.CacheopsEndpoint;
import dev.cacheops.spring.boot.CacheopsHealthIndicator;
import dev.cacheops.testing.TestServices;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import dev.cacheops.testing.TestServices.SchemaDataSource;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Spring Data JPA (Hibernate 7 from Boot's BOM) on PostgreSQL and Redis through the starter:
 * what is served from the cache (counted below the pool by {@link StatementLog}), what an
 * entity update invalidates, {@code @Transactional} commit, rollback and {@code REQUIRES_NEW},
 * and {@code @Cached}/{@code @NoCache} on repository methods. Each test uses its own rows.
 */
@SpringBootTest(classes = JpaApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.jpa.hibernate.ddl-auto=create-drop",
        "spring.jpa.open-in-view=false",
        // counts are left out on purpose: only @Cached caches them
        "cacheops.profiles.post.ops=get,fetch",
        "cacheops.profiles.post.timeout=10m",
        // the 100 ms default times out on a loaded CI machine (first script loads, JIT): a store
        // timeout is a pass-through, which would make the statement counts flaky
        "cacheops.redis.timeout=5s",
        // lets the org.hibernate.comment hint reach JDBC as /* cacheops:nocache */
        "spring.jpa.properties.hibernate.use_sql_comments=true",
        "management.endpoints.web.exposure.include=health,cacheops",
        "management.endpoint.health.show-details=always"})
class JpaCachingIT {
    /** Hibernate's alias for the post table in the selects it generates. */
    private static final String SELECT_POST = "from post p1_0";

    private static final SchemaDataSource SCHEMA = TestServices.freshPostgresSchema();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        PGSimpleDataSource pg = (PGSimpleDataSource) SCHEMA.dataSource();
        String base = ((PGSimpleDataSource) TestServices.postgres()).getURL();
        registry.add("spring.datasource.url", () -> base + (base.contains("?") ? "&" : "?")
                + "currentSchema=" + pg.getCurrentSchema());
        registry.add("spring.datasource.username", pg::getUser);
        registry.add("spring.datasource.password", () -> pg.getPassword() == null ? "" : pg.getPassword());
        registry.add("cacheops.redis.url", TestServices::redisUri);
        registry.add("cacheops.prefix", TestServices::uniquePrefix);
    }

    @AfterAll
    static void dropSchema() {
        SCHEMA.close();
    }

    @Autowired
    PostRepository posts;

    @Autowired
    PostService service;

    @Autowired
    OuterService outer;

    @Autowired
    StatementLog log;

    @Autowired
    TopPosts topPosts;

    @Autowired
    DataSource dataSource;

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry registry;

    @Autowired
    CacheopsEndpoint endpoint;

    @Autowired
    CacheopsHealthIndicator health;

    @Test
    void findByIdIsServedFromTheCache() {
        long id = posts.save(new Post("hello", category())).getId();
        assertThat(statements(() -> {
            assertThat(posts.findById(id)).get().extracting(Post::getTitle).isEqualTo("hello");
            return posts.findById(id);
        })).isEqualTo(1);
    }

    @Test
    void derivedQueryIsServedFromTheCache() {
        String category = category();
        posts.save(new Post("a", category));
        posts.save(new Post("b", category));
        assertThat(statements(() -> {
            assertThat(posts.findByCategoryOrderById(category)).extracting(Post::getTitle).containsExactly("a", "b");
            assertThat(posts.findByCategoryOrderById(category)).extracting(Post::getTitle).containsExactly("a", "b");
            return null;
        })).isEqualTo(1);
    }

    @Test
    void aCommittedEntityUpdateInvalidates() {
        String category = category();
        long id = posts.save(new Post("old", category)).getId();
        posts.findById(id);
        posts.findByCategoryOrderById(category);
        assertThat(statements(() -> posts.findById(id))).isZero();

        service.rename(id, "new");

        assertThat(statements(() -> {
            assertThat(posts.findById(id)).get().extracting(Post::getTitle).isEqualTo("new");
            assertThat(posts.findByCategoryOrderById(category)).extracting(Post::getTitle).containsExactly("new");
            return null;
        })).isEqualTo(2);
        assertThat(statements(() -> posts.findById(id))).isZero();
    }

    @Test
    void aRollbackInvalidatesNothing() {
        long id = posts.save(new Post("kept", category())).getId();
        posts.findById(id);
        long before = log.count(SELECT_POST);

        assertThatThrownBy(() -> service.renameThenFail(id, "lost")).hasMessageContaining("on purpose");
        assertThat(log.all()).anyMatch(s -> s.startsWith("update post"));

        assertThat(posts.findById(id)).get().extracting(Post::getTitle).isEqualTo("kept");
        assertThat(log.count(SELECT_POST)).isEqualTo(before);
    }

    @Test
    void requiresNewCommitsAndInvalidatesBeforeTheOuterTransactionEnds() {
        long id = posts.save(new Post("first", category())).getId();
        posts.findById(id);
        assertThat(outer.renameInnerThenRead(id, "second")).isEqualTo("first->second");
        assertThat(posts.findById(id)).get().extracting(Post::getTitle).isEqualTo("second");
    }

    /**
     * NESTED needs savepoints, which Spring's JPA transaction manager does not offer (its
     * Hibernate dialect has none): this uses a DataSourceTransactionManager on the same wrapped
     * data source, as an application mixing JDBC would.
     */
    @Test
    void nestedSavepointRollbackAndReleaseAreInvalidatedAtTheOuterCommit() {
        long id = posts.save(new Post("orig", category())).getId();
        posts.findById(id);
        DataSourceTransactionManager tm = new DataSourceTransactionManager(dataSource);
        TransactionTemplate outerTx = new TransactionTemplate(tm);
        TransactionTemplate nestedTx = new TransactionTemplate(tm);
        nestedTx.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);

        outerTx.executeWithoutResult(s -> nestedTx.executeWithoutResult(n -> {
            jdbc.update("update post set title = 'rolled-back' where id = ?", id);
            n.setRollbackOnly();
        }));
        assertThat(posts.findById(id)).get().extracting(Post::getTitle).isEqualTo("orig");

        String inside = outerTx.execute(s -> {
            nestedTx.executeWithoutResult(n -> jdbc.update("update post set title = 'kept' where id = ?", id));
            return jdbc.queryForObject("select title from post where id = ?", String.class, id);
        });
        assertThat(inside).isEqualTo("kept");
        assertThat(posts.findById(id)).get().extracting(Post::getTitle).isEqualTo("kept");
        assertThat(statements(() -> posts.findById(id))).isZero();
    }

    @Test
    void cachedAnnotationCachesWhatTheProfileDoesNot() {
        String category = category();
        posts.save(new Post("c", category));
        assertThat(statements("count(", () -> {
            assertThat(posts.countByCategory(category)).isEqualTo(1);
            return posts.countByCategory(category);
        })).isEqualTo(1);
        assertThat(statements("count(", () -> {
            posts.countByTitle("c");
            return posts.countByTitle("c");
        })).isEqualTo(2);
    }

    @Test
    void nocacheQueryHintReachesJdbcAsAComment() {
        String category = category();
        posts.save(new Post("h", category));
        assertThat(statements(() -> {
            assertThat(posts.findByCategoryAndTitle(category, "h")).hasSize(1);
            return posts.findByCategoryAndTitle(category, "h");
        })).isEqualTo(2);
        assertThat(log.all()).anyMatch(sql -> sql.contains("cacheops:nocache"));
    }

    @Test
    void noCacheAnnotationReadsTheDatabase() {
        String title = "t-" + UUID.randomUUID();
        posts.save(new Post(title, category()));
        assertThat(statements(() -> {
            assertThat(posts.findByTitle(title)).hasSize(1);
            return posts.findByTitle(title);
        })).isEqualTo(2);
    }

    @Test
    @SuppressWarnings("unchecked")
    void metersEndpointAndHealthReportTheReads() {
        long id = posts.save(new Post("metered", category())).getId();
        posts.findById(id);
        posts.findById(id);
        posts.findByTitle("metered");

        assertThat(registry.get("cacheops.reads").tags("table", "post", "result", "hit", "reason", "none")
                .counter().count()).isGreaterThanOrEqualTo(1);
        assertThat(registry.get("cacheops.reads").tags("table", "post", "result", "miss", "reason", "none")
                .counter().count()).isGreaterThanOrEqualTo(1);
        assertThat(registry.get("cacheops.reads").tags("table", "post", "result", "pass", "reason", "nocache")
                .counter().count()).isGreaterThanOrEqualTo(1);
        assertThat(registry.get("cacheops.invalidations").tags("table", "post").counter().count()).isGreaterThanOrEqualTo(1);
        assertThat(registry.get("cacheops.store.errors").functionCounter().count()).isZero();
        Timer fetches = registry.get("cacheops.store.latency").tags("operation", "fetch", "outcome", "success").timer();
        assertThat(fetches.count()).isGreaterThanOrEqualTo(2);
        assertThat(fetches.totalTime(TimeUnit.NANOSECONDS)).isPositive();
        assertThat(registry.get("cacheops.store.latency").tags("operation", "invalidate", "outcome", "success")
                .timer().count()).isGreaterThanOrEqualTo(1);
        assertThat(registry.get("cacheops.degraded").gauge().value()).isZero();

        Map<String, Object> report = endpoint.report();
        assertThat(report).containsKeys("configuration", "profiles", "totals", "tables", "store");
        assertThat((Map<String, Object>) report.get("configuration")).containsEntry("store", "redis");
        assertThat((Map<String, Object>) report.get("profiles")).containsKey("post");
        String schema = ((PGSimpleDataSource) SCHEMA.dataSource()).getCurrentSchema();
        Map<String, Map<String, Object>> perTable = (Map<String, Map<String, Object>>) report.get("tableProfiles");
        assertThat(perTable.get(schema + ".post")).containsEntry("pattern", "post")
                .containsEntry("ops", List.of("fetch", "get")).containsEntry("timeout", "PT10M");
        // a table of the schema with no profile here (JpaRepositoryCachingIT's entities)
        assertThat(perTable.get(schema + ".article")).containsEntry("ops", List.of())
                .containsEntry("reason", "no pattern matches: reads pass through");
        Map<String, Object> post = ((Map<String, Map<String, Object>>) report.get("tables")).get("post");
        assertThat((Long) post.get("hits")).isGreaterThanOrEqualTo(1);
        assertThat((Map<String, Long>) post.get("passes")).containsKey("nocache");
        assertThat(health.health().getStatus().getCode()).isEqualTo("UP");
        assertThat(health.health().getDetails()).containsEntry("degraded", false);
    }

    @Test
    void endpointOverHttpReportsAndInvalidates() throws Exception {
        long id = posts.save(new Post("cached", category())).getId();
        posts.findById(id);
        assertThat(statements(() -> posts.findById(id))).isZero();

        HttpResponse<String> get = http("GET", "/actuator/cacheops", null);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).contains("\"configuration\"", "\"profiles\"", "\"tableProfiles\"", "\"tables\"", "\"post\"",
                "\"hits\"", "\"store\"", "\"degraded\":false");

        assertThat(http("POST", "/actuator/cacheops", "{\"table\":\"post\"}").statusCode()).isEqualTo(200);
        assertThat(statements(() -> posts.findById(id))).isEqualTo(1);
        assertThat(statements(() -> posts.findById(id))).isZero();

        assertThat(http("POST", "/actuator/cacheops", "{\"all\":true}").statusCode()).isEqualTo(200);
        assertThat(statements(() -> posts.findById(id))).isEqualTo(1);
        assertThat(http("POST", "/actuator/cacheops", "{}").statusCode()).isEqualTo(400);

        HttpResponse<String> health = http("GET", "/actuator/health", null);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"cacheops\"", "\"degraded\":false");
    }

    private HttpResponse<String> http(String method, String path, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (json == null) {
            request.GET();
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void cacheableIsInvalidatedByTheRowsItsQueriesRead() {
        String category = category();
        String other = category();
        posts.save(new Post("x", category));
        posts.save(new Post("y", other));
        int runs = topPosts.runs();
        assertThat(topPosts.titles(category)).containsExactly("x");
        assertThat(topPosts.titles(category)).containsExactly("x");
        assertThat(topPosts.runs()).isEqualTo(runs + 1);

        posts.save(new Post("unrelated", other));
        assertThat(topPosts.titles(category)).containsExactly("x");
        assertThat(topPosts.runs()).isEqualTo(runs + 1);

        posts.save(new Post("x2", category));
        assertThat(topPosts.titles(category)).containsExactly("x", "x2");
        assertThat(topPosts.runs()).isEqualTo(runs + 2);
    }

    @Test
    void cacheableSyncIsInvalidatedToo() {
        String category = category();
        long id = posts.save(new Post("s", category)).getId();
        int runs = topPosts.runs();
        assertThat(topPosts.titlesSync(category)).containsExactly("s");
        assertThat(topPosts.titlesSync(category)).containsExactly("s");
        assertThat(topPosts.runs()).isEqualTo(runs + 1);
        service.rename(id, "s2");
        assertThat(topPosts.titlesSync(category)).containsExactly("s2");
        assertThat(topPosts.runs()).isEqualTo(runs + 2);
    }

    @Test
    void aFailingCacheableCachesNothingAndLeavesNoCaptureOpen() {
        String category = category();
        posts.save(new Post("f", category));
        int runs = topPosts.runs();
        assertThatThrownBy(() -> topPosts.failing(category)).hasMessageContaining("on purpose");
        assertThatThrownBy(() -> topPosts.failing(category)).hasMessageContaining("on purpose");
        assertThat(topPosts.runs()).isEqualTo(runs + 2);
        // an open capture would have recorded this read and kept it out of the statement cache
        long id = posts.save(new Post("after", category())).getId();
        posts.findById(id);
        assertThat(statements(() -> posts.findById(id))).isZero();
    }

    private long statements(Supplier<?> body) {
        return statements(SELECT_POST, body);
    }

    private long statements(String fragment, Supplier<?> body) {
        long before = log.count(fragment);
        body.get();
        return log.count(fragment) - before;
    }

    private static String category() {
        return "c-" + UUID.randomUUID();
    }
}
