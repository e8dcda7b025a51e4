package dev.cacheops.spring.boot.jpa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cacheops.testing.TestServices;
import dev.cacheops.testing.TestServices.SchemaDataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.orm.ObjectOptimisticLockingFailureException;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Spring Data JPA repositories on PostgreSQL and Redis, one kind of query or write per test:
 * JPQL with a join, a native query, a {@code Page} and its count query, lazy associations,
 * deletes cascaded by JPA and by the database, {@code @Modifying} bulk updates, {@code saveAll}
 * batches and {@code @Version} conflicts. Each asserts that a repeated read reaches no database
 * (the {@link StatementLog} under the pool), that a write makes the next read fresh, that
 * unrelated rows stay cached, and that what the repository returns is what the database holds
 * (read directly, not through the cache). Each test uses its own rows. {@code findById},
 * derived queries and entity updates are in {@link JpaCachingIT}.
 */
@SpringBootTest(classes = JpaApp.class, properties = {
        "spring.jpa.hibernate.ddl-auto=create-drop",
        "spring.jpa.open-in-view=false",
        "spring.jpa.properties.hibernate.jdbc.batch_size=20",
        "spring.jpa.properties.hibernate.order_inserts=true",
        "spring.jpa.properties.hibernate.order_updates=true",
        "cacheops.profiles.article.ops=all",
        "cacheops.profiles.author.ops=all",
        "cacheops.profiles.comment.ops=all",
        "cacheops.profiles.post.ops=all",
        "cacheops.redis.timeout=5s"})
class JpaRepositoryCachingIT {
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
    ArticleRepository articles;

    @Autowired
    AuthorRepository authors;

    @Autowired
    CommentRepository comments;

    @Autowired
    ArticleService service;

    @Autowired
    StatementLog log;

    @Autowired
    PlatformTransactionManager transactions;

    /** The database itself, under the cache. */
    private final JdbcTemplate db = new JdbcTemplate(SCHEMA.dataSource());

    @Test
    void jpqlJoinIsCachedAndInvalidatedByItsAuthorOnly() {
        Author ann = authors.save(new Author(unique("ann")));
        Author bob = authors.save(new Author(unique("bob")));
        articles.save(new Article("by ann", status(), ann));
        articles.save(new Article("by bob", status(), bob));
        String name = ann.getName();
        assertThat(selects(() -> {
            assertThat(titles(articles.byAuthorName(name))).containsExactly("by ann");
            assertThat(titles(articles.byAuthorName(name))).containsExactly("by ann");
        })).isEqualTo(1);

        bob.setName(unique("bobby"));
        authors.save(bob);
        assertThat(selects("join author", () -> articles.byAuthorName(name))).isZero();

        ann.setName(unique("anna"));
        authors.save(ann);
        assertThat(selects("join author", () -> assertThat(articles.byAuthorName(name)).isEmpty())).isEqualTo(1);
        assertThat(titles(articles.byAuthorName(ann.getName())))
                .containsExactly("by ann")
                .isEqualTo(db.queryForList("select a.title from article a join author u on u.id = a.author_id"
                        + " where u.name = ? order by a.id", String.class, ann.getName()));
    }

    @Test
    void nativeQueryIsCachedAndInvalidatedByAnInsertOfItsStatus() {
        Author author = author();
        String status = status();
        String other = status();
        articles.save(new Article("n1", status, author));
        assertThat(selects(() -> {
            assertThat(titles(articles.nativeByStatus(status))).containsExactly("n1");
            assertThat(titles(articles.nativeByStatus(status))).containsExactly("n1");
        })).isEqualTo(1);

        articles.save(new Article("other", other, author));
        assertThat(selects(() -> articles.nativeByStatus(status))).isZero();

        articles.save(new Article("n2", status, author));
        assertThat(selects(() -> assertThat(titles(articles.nativeByStatus(status))).containsExactly("n1", "n2")))
                .isEqualTo(1);
        assertThat(titles(articles.nativeByStatus(status))).isEqualTo(dbTitles(status));
    }

    @Test
    void pageAndItsCountQueryAreCachedAndInvalidatedTogether() {
        Author author = author();
        String status = status();
        for (String title : List.of("p1", "p2", "p3")) {
            articles.save(new Article(title, status, author));
        }
        PageRequest first = PageRequest.of(0, 2);
        long counts = log.count("count(");
        Page<Article> page = articles.findByStatusOrderById(status, first);
        assertThat(titles(page.getContent())).containsExactly("p1", "p2");
        assertThat(page.getTotalElements()).isEqualTo(3);
        assertThat(log.count("count(") - counts).isEqualTo(1);

        assertThat(selects(() -> {
            Page<Article> again = articles.findByStatusOrderById(status, first);
            assertThat(titles(again.getContent())).containsExactly("p1", "p2");
            assertThat(again.getTotalElements()).isEqualTo(3);
        })).isZero();

        articles.save(new Article("p4", status, author));
        long[] total = new long[1];
        assertThat(selects(() -> total[0] = articles.findByStatusOrderById(status, first).getTotalElements()))
                .isEqualTo(2);
        assertThat(total[0]).isEqualTo(4).isEqualTo(dbTitles(status).size());
        assertThat(titles(articles.findByStatusOrderById(status, PageRequest.of(1, 2)).getContent()))
                .containsExactly("p3", "p4");
    }

    @Test
    void lazyAssociationsAreServedFromTheCacheAndInvalidatedByTheirRows() {
        Author author = author();
        Article article = new Article("lazy", status(), author);
        article.comment("c1");
        article.comment("c2");
        long id = articles.save(article).getId();
        TransactionTemplate tx = new TransactionTemplate(transactions);
        java.util.function.Supplier<List<String>> read = () -> tx.execute(s -> {
            Article a = articles.findById(id).orElseThrow();
            List<String> seen = new ArrayList<>();
            seen.add(a.getAuthor().getName()); // a lazy reference: loaded by id
            a.getComments().forEach(c -> seen.add(c.getBody())); // a lazy collection
            return seen;
        });
        assertThat(read.get()).containsExactly(author.getName(), "c1", "c2");
        assertThat(selects(() -> assertThat(read.get()).containsExactly(author.getName(), "c1", "c2"))).isZero();

        service.comment(id, "c3");
        assertThat(selects("from comment", () -> assertThat(read.get()).containsExactly(author.getName(), "c1", "c2", "c3")))
                .isEqualTo(1);
        assertThat(selects("from author", read::get)).isZero();

        service.removeFirstComment(id);
        assertThat(read.get()).containsExactly(author.getName(), "c2", "c3");
        assertThat(db.queryForList("select body from comment where article_id = ? order by id", String.class, id))
                .containsExactly("c2", "c3");
    }

    @Test
    void deletingAnArticleCascadesToItsCommentsAndInvalidatesThem() {
        Article article = new Article("doomed", status(), author());
        article.comment("x1");
        article.comment("x2");
        long id = articles.save(article).getId();
        assertThat(selects(() -> {
            assertThat(comments.findByArticleIdOrderById(id)).extracting(Comment::getBody).containsExactly("x1", "x2");
            assertThat(comments.findByArticleIdOrderById(id)).hasSize(2);
            assertThat(articles.findById(id)).isPresent();
            assertThat(articles.findById(id)).isPresent();
        })).isEqualTo(2);

        articles.deleteById(id);

        assertThat(comments.findByArticleIdOrderById(id)).isEmpty();
        assertThat(articles.findById(id)).isEmpty();
        assertThat(db.queryForObject("select count(*) from comment where article_id = ?", Long.class, id)).isZero();
    }

    @Test
    void deletingAnAuthorCascadesInTheDatabaseAndInvalidatesArticlesAndComments() {
        Author doomed = author();
        Author kept = author();
        Article article = new Article("gone", status(), doomed);
        article.comment("gone too");
        long id = articles.save(article).getId();
        long keptId = articles.save(new Article("kept", status(), kept)).getId();
        articles.findByAuthorIdOrderById(doomed.getId());
        articles.findByAuthorIdOrderById(kept.getId());
        comments.findByArticleIdOrderById(id);
        articles.findById(id);
        articles.findById(keptId);
        assertThat(selects(() -> {
            articles.findByAuthorIdOrderById(doomed.getId());
            comments.findByArticleIdOrderById(id);
            articles.findById(id);
        })).isZero();

        // Hibernate deletes the author row only: the articles and comments go by ON DELETE CASCADE
        authors.deleteById(doomed.getId());
        assertThat(log.all()).noneMatch(sql -> sql.startsWith("delete from article"));

        assertThat(articles.findByAuthorIdOrderById(doomed.getId())).isEmpty();
        assertThat(comments.findByArticleIdOrderById(id)).isEmpty();
        assertThat(articles.findById(id)).isEmpty();
        assertThat(db.queryForObject("select count(*) from article where id = ?", Long.class, id)).isZero();
        // the other author's articles, cached by author_id, stay cached
        assertThat(selects(() -> assertThat(titles(articles.findByAuthorIdOrderById(kept.getId())))
                .containsExactly("kept"))).isZero();
        // on PostgreSQL the cascaded rows are read whole before the delete (DESIGN §4, "Cascades of
        // a DELETE"), so they are invalidated by their ids: the other author's article by id stays
        assertThat(selects(() -> assertThat(articles.findById(keptId)).isPresent())).isZero();
    }

    @Test
    void modifyingBulkUpdatesInvalidateTheRowsTheyChange() {
        Author author = author();
        String from = status();
        String to = status();
        long one = articles.save(new Article("m1", from, author)).getId();
        long two = articles.save(new Article("m2", status(), author)).getId();
        articles.findById(one);
        articles.findById(two);
        articles.nativeByStatus(from);
        articles.nativeByStatus(to);

        // views = views + 1: an expression, so the new images are re-read
        assertThat(articles.addView(from)).isEqualTo(1);
        assertThat(selects(() -> assertThat(articles.findById(one)).get().extracting(Article::getViews).isEqualTo(1)))
                .isEqualTo(1);
        assertThat(selects(() -> articles.findById(two))).isZero();

        // status = :to, a constant
        assertThat(articles.moveStatus(from, to)).isEqualTo(1);
        assertThat(articles.nativeByStatus(from)).isEmpty();
        assertThat(titles(articles.nativeByStatus(to))).containsExactly("m1").isEqualTo(dbTitles(to));
        assertThat(selects(() -> articles.findById(two))).isZero();
        assertThat(db.queryForObject("select views from article where id = ?", Integer.class, one)).isEqualTo(1);
    }

    @Test
    void saveAllBatchesAreInvalidatedLikeSingleWrites() {
        Author author = author();
        String status = status();
        assertThat(articles.nativeByStatus(status)).isEmpty();

        long inserts = log.count("insert into article");
        List<Article> saved = articles.saveAll(IntStream.range(0, 5)
                .mapToObj(i -> new Article("s" + i, status, author)).toList());
        assertThat(log.count("insert into article") - inserts).as("one JDBC batch").isEqualTo(1);
        assertThat(selects(() -> assertThat(titles(articles.nativeByStatus(status)))
                .containsExactly("s0", "s1", "s2", "s3", "s4"))).isEqualTo(1);

        saved.forEach(a -> a.setTitle(a.getTitle() + "!"));
        long updates = log.count("update article");
        articles.saveAll(saved);
        assertThat(log.count("update article") - updates).as("one JDBC batch").isEqualTo(1);
        assertThat(titles(articles.nativeByStatus(status)))
                .containsExactly("s0!", "s1!", "s2!", "s3!", "s4!")
                .isEqualTo(dbTitles(status));
        assertThat(articles.findById(saved.get(0).getId())).get().extracting(Article::getVersion).isEqualTo(1L);
    }

    @Test
    void anOptimisticLockConflictFailsAndTheCacheServesTheWinningVersion() {
        long id = articles.save(new Article("v0", status(), author())).getId();
        articles.findById(id);
        TransactionTemplate tx = new TransactionTemplate(transactions);

        // an update that loses: another transaction commits version 1 between its read and its flush
        assertThatThrownBy(() -> tx.executeWithoutResult(s -> {
            Article mine = articles.findById(id).orElseThrow();
            service.retitleInNewTransaction(id, "theirs");
            mine.setTitle("mine");
            articles.flush();
        })).isInstanceOf(ObjectOptimisticLockingFailureException.class);
        Article after = articles.findById(id).orElseThrow();
        assertThat(after.getTitle()).isEqualTo("theirs");
        assertThat(after.getVersion()).isEqualTo(1L);

        // a stale detached copy is refused too; a fresh read (served from the cache) saves
        service.retitleInNewTransaction(id, "third");
        after.setTitle("stale");
        assertThatThrownBy(() -> articles.save(after)).isInstanceOf(ObjectOptimisticLockingFailureException.class);
        Article fresh = articles.findById(id).orElseThrow();
        assertThat(fresh.getVersion()).isEqualTo(2L);
        assertThat(selects(() -> articles.findById(id))).isZero();
        fresh.setTitle("retried");
        articles.save(fresh);
        assertThat(articles.findById(id)).get().extracting(Article::getTitle).isEqualTo("retried");
        assertThat(db.queryForMap("select title, version from article where id = ?", id))
                .containsEntry("title", "retried").containsEntry("version", 3L);
    }

    /** How many selects reached the database while {@code body} ran. */
    private long selects(Runnable body) {
        return selects("select ", body);
    }

    private long selects(String fragment, Runnable body) {
        long before = log.count(fragment);
        body.run();
        return log.count(fragment) - before;
    }

    private List<String> dbTitles(String status) {
        return db.queryForList("select title from article where status = ? order by id", String.class, status);
    }

    private Author author() {
        return authors.save(new Author(unique("author")));
    }

    private static List<String> titles(List<Article> list) {
        return list.stream().map(Article::getTitle).toList();
    }

    private static String status() {
        return unique("s");
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }
}
