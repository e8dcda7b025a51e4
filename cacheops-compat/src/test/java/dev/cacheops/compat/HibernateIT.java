package dev.cacheops.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheops.compat.blog.Category;
import dev.cacheops.compat.blog.Comment;
import dev.cacheops.compat.blog.Post;
import dev.cacheops.compat.blog.PostStatus;
import dev.cacheops.compat.blog.Tag;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.boot.MetadataSources;
import org.hibernate.boot.registry.StandardServiceRegistry;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.cfg.AvailableSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Proves that Hibernate ORM 7 (plain bootstrap, second-level and query caches off) works unchanged on
 * a data source wrapped by Cacheops: entity loads, JPQL with parameters and pagination, counts,
 * aggregates, fetch joins, collection parameters, native queries, lazy collections and streams are
 * served from the cache on repetition and equal what a session over the raw pool returns; writes made
 * through the {@code EntityManager} (update, delete, persist with identity and sequence ids)
 * invalidate exactly the cached queries they affect.
 */
class HibernateIT extends BlogFixture {
    private static final String BY_CATEGORY =
            "select p from Post p where p.category.id = :c order by p.id";

    private final SwitchingDataSource current = new SwitchingDataSource();
    private SessionFactory cachedFactory;
    private SessionFactory rawFactory;

    @BeforeAll
    void buildFactories() {
        current.set(pool); // bootstrap reads JDBC metadata; each test then switches to its cache
        cachedFactory = factory(current);
        rawFactory = factory(raw);
    }

    @BeforeEach
    void useThisTestsCache() {
        current.set(cached);
    }

    @AfterAll
    void closeFactories() {
        cachedFactory.close();
        rawFactory.close();
    }

    private static SessionFactory factory(DataSource ds) {
        StandardServiceRegistry registry = new StandardServiceRegistryBuilder()
                .applySetting(AvailableSettings.JAKARTA_NON_JTA_DATASOURCE, ds)
                .applySetting(AvailableSettings.USE_SECOND_LEVEL_CACHE, false)
                .applySetting(AvailableSettings.USE_QUERY_CACHE, false)
                .applySetting(AvailableSettings.HBM2DDL_AUTO, "none")
                .build();
        return new MetadataSources(registry)
                .addAnnotatedClasses(Category.class, Post.class, Tag.class, Comment.class)
                .buildMetadata()
                .buildSessionFactory();
    }

    private <T> T cachedSession(Function<Session, T> work) {
        try (Session s = cachedFactory.openSession()) {
            return work.apply(s);
        }
    }

    private <T> T rawSession(Function<Session, T> work) {
        try (Session s = rawFactory.openSession()) {
            return work.apply(s);
        }
    }

    /** Reads through the cache until it is a hit, and checks it equals the same read on the raw pool. */
    private <T> T hitEqualToRaw(Function<Session, T> work) {
        T hit = awaitHit(() -> cachedSession(work));
        assertThat(hit).as("cached result equals the raw session's").isEqualTo(rawSession(work));
        return hit;
    }

    /** Reads through the cache once, checks it equals the raw session's, and says whether it was a hit. */
    private <T> boolean hit(Function<Session, T> work) {
        Read<T> r = read(() -> cachedSession(work));
        assertThat(r.value()).as("cached result equals the raw session's").isEqualTo(rawSession(work));
        return r.hit();
    }

    /** The persistent state of a post, as comparable values (entities have identity equality). */
    static List<Object> view(Post p) {
        return p == null ? null : Arrays.asList(p.getId(), p.getCategory() == null ? null : p.getCategory().getId(),
                p.getCategory() == null ? null : p.getCategory().getName(), p.getTitle(), p.getBody(), p.isPublished(),
                p.getScore(), p.getPublishDate(), p.getCreatedAt(), p.getUpdatedAt(), p.getExternalId(), p.getStatus());
    }

    static List<Object> view(Comment c) {
        return Arrays.asList(c.getId(), c.getAuthor(), c.getText(), c.getCreatedAt());
    }

    static Function<Session, List<List<Object>>> byCategory(long categoryId) {
        return s -> s.createSelectionQuery(BY_CATEGORY, Post.class).setParameter("c", categoryId)
                .getResultList().stream().map(HibernateIT::view).toList();
    }

    @Test
    void findByIdTwiceIsAHitAndEqualsTheEntityFromTheDatabase() {
        Read<Post> first = read(() -> cachedSession(s -> s.find(Post.class, 1L)));
        assertThat(first.hit()).as("first find goes to the database").isFalse();
        Post hit = awaitHit(() -> cachedSession(s -> s.find(Post.class, 1L)));
        Post fromDb = rawSession(s -> s.find(Post.class, 1L));
        assertThat(hit).usingRecursiveComparison().ignoringFields("tags", "comments").isEqualTo(first.value());
        assertThat(hit).usingRecursiveComparison().ignoringFields("tags", "comments").isEqualTo(fromDb);
        assertThat(hit.getScore()).isEqualTo(new BigDecimal("4.50"));
        assertThat(hit.getPublishDate()).isEqualTo(LocalDate.of(2024, 1, 15));
        assertThat(hit.getCreatedAt()).isEqualTo(LocalDateTime.of(2024, 1, 15, 10, 0, 0, 123_456_000));
        assertThat(hit.getUpdatedAt().toInstant()).isEqualTo(Instant.parse("2024-01-15T10:00:00.5Z"));
        assertThat(hit.getExternalId()).hasToString("00000000-0000-0000-0000-000000000001");
        assertThat(hit.getStatus()).isEqualTo(PostStatus.PUBLISHED);
        assertThat(hit.getCategory().getName()).isEqualTo("java");
    }

    @Test
    void findOfAMissingIdIsCachedAsMissing() {
        Function<Session, List<Object>> missing = s -> view(s.find(Post.class, 99L));
        assertThat(hitEqualToRaw(missing)).isNull();
    }

    @Test
    void jpqlWithParametersAndPaginationCachesEachPageApart() {
        String jpql = "select p from Post p where p.category.id = :c and p.published = :pub order by p.id";
        Function<Integer, Function<Session, List<List<Object>>>> page = first -> s ->
                s.createSelectionQuery(jpql, Post.class).setParameter("c", 1L).setParameter("pub", true)
                        .setFirstResult(first).setMaxResults(1).getResultList().stream().map(HibernateIT::view).toList();
        List<List<Object>> first = hitEqualToRaw(page.apply(0));
        List<List<Object>> second = hitEqualToRaw(page.apply(1));
        List<List<Object>> third = hitEqualToRaw(page.apply(2));
        assertThat(first).extracting(v -> v.get(0)).containsExactly(1L);
        assertThat(second).extracting(v -> v.get(0)).containsExactly(2L);
        assertThat(third).isEmpty();
        assertThat(hit(page.apply(0))).isTrue();
    }

    @Test
    void countQueryIsCached() {
        Function<Session, Long> count = s -> s.createSelectionQuery(
                "select count(p) from Post p where p.category.id = :c", Long.class).setParameter("c", 1L).getSingleResult();
        assertThat(hitEqualToRaw(count)).isEqualTo(3L);
    }

    @Test
    void aggregateQueryIsCached() {
        Function<Session, List<List<Object>>> aggregate = s -> s.createSelectionQuery(
                        "select p.category.id, count(p), sum(p.score), max(p.publishDate), min(p.createdAt) "
                                + "from Post p group by p.category.id order by p.category.id", Object[].class)
                .getResultList().stream().map(Arrays::asList).toList();
        List<List<Object>> rows = hitEqualToRaw(aggregate);
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0)).containsExactly(1L, 3L, new BigDecimal("7.75"), LocalDate.of(2024, 2, 1),
                LocalDateTime.of(2024, 1, 15, 10, 0, 0, 123_456_000));
    }

    @Test
    void fetchJoinIsCached() {
        Function<Session, List<String>> withTags = s -> s.createSelectionQuery(
                        "select distinct p from Post p left join fetch p.tags where p.category.id = :c order by p.id",
                        Post.class).setParameter("c", 1L).getResultList().stream()
                .map(p -> p.getId() + ":" + p.getTitle() + ":" + p.getTags().stream().map(Tag::getName).sorted().toList())
                .toList();
        assertThat(hitEqualToRaw(withTags)).containsExactly(
                "1:Hello JDBC:[jdbc, orm]", "2:Hibernate tips:[orm, tuning]", "3:Draft on pools:[]");
    }

    @Test
    void inWithACollectionParameterIsCached() {
        Function<Session, List<List<Object>>> in = s -> s.createSelectionQuery(
                        "select p from Post p where p.id in :ids order by p.id", Post.class)
                .setParameter("ids", List.of(1L, 4L, 6L)).getResultList().stream().map(HibernateIT::view).toList();
        assertThat(hitEqualToRaw(in)).extracting(v -> v.get(0)).containsExactly(1L, 4L, 6L);
    }

    @Test
    void multiLoadBindsAnArrayAndIsCached() {
        Function<Session, List<List<Object>>> multi = s -> s.findMultiple(Post.class, List.of(6L, 1L, 4L)).stream()
                .map(HibernateIT::view).toList();
        Read<List<List<Object>>> miss = read(() -> cachedSession(multi));
        assertThat(miss.executed()).as("on PostgreSQL Hibernate binds the ids as one array")
                .anyMatch(sql -> sql.contains("any(?)") || sql.contains("any (?)"));
        assertThat(hitEqualToRaw(multi)).extracting(v -> v.get(0)).containsExactly(6L, 1L, 4L);
    }

    @Test
    void updateThroughTheEntityManagerInvalidatesOldAndNewCategoryOnly() {
        hitEqualToRaw(byCategory(1));
        hitEqualToRaw(byCategory(2));
        hitEqualToRaw(byCategory(3));
        cachedFactory.inTransaction(s -> {
            Post p = s.find(Post.class, 2L);
            p.setCategory(s.getReference(Category.class, 2L));
            p.setTitle("Hibernate tips, moved");
            p.setUpdatedAt(OffsetDateTime.of(2024, 6, 1, 12, 0, 0, 0, ZoneOffset.UTC));
        });
        assertThat(hit(byCategory(1))).as("old category invalidated").isFalse();
        assertThat(hit(byCategory(2))).as("new category invalidated").isFalse();
        assertThat(hit(byCategory(3))).as("untouched category still cached").isTrue();
        assertThat(hitEqualToRaw(byCategory(2))).extracting(v -> v.get(3))
                .containsExactly("Hibernate tips, moved", "Window functions", "Indexes");
        assertThat(hitEqualToRaw(byCategory(1))).extracting(v -> v.get(0)).containsExactly(1L, 3L);
    }

    @Test
    void deleteThroughTheEntityManagerInvalidates() {
        hitEqualToRaw(byCategory(1));
        hitEqualToRaw(byCategory(3));
        Function<Session, Long> total = s -> s.createSelectionQuery("select count(p) from Post p", Long.class)
                .getSingleResult();
        hitEqualToRaw(total);
        cachedFactory.inTransaction(s -> s.remove(s.find(Post.class, 6L)));
        assertThat(hit(byCategory(3))).isFalse();
        assertThat(hit(total)).isFalse();
        assertThat(hit(byCategory(1))).isTrue();
        assertThat(hitEqualToRaw(byCategory(3))).isEmpty();
        assertThat(hitEqualToRaw(total)).isEqualTo(5L);
    }

    @Test
    void persistWithIdentityReturnsTheGeneratedIdAndInvalidates() {
        hitEqualToRaw(byCategory(3));
        Function<Session, List<Object>> seventh = s -> view(s.find(Post.class, 7L));
        assertThat(hitEqualToRaw(seventh)).isNull();
        hitEqualToRaw(byCategory(1));
        Post created = cachedFactory.fromTransaction(s -> {
            Post p = new Post(s.getReference(Category.class, 3L), "Streams", PostStatus.DRAFT);
            p.setScore(new BigDecimal("1.10"));
            p.setCreatedAt(LocalDateTime.of(2024, 7, 1, 9, 0));
            s.persist(p);
            return p;
        });
        assertThat(created.getId()).isEqualTo(7L);
        assertThat(hit(seventh)).isFalse();
        assertThat(hit(byCategory(3))).isFalse();
        assertThat(hit(byCategory(1))).isTrue();
        assertThat(hitEqualToRaw(seventh)).element(3).isEqualTo("Streams");
        assertThat(hitEqualToRaw(byCategory(3))).extracting(v -> v.get(0)).containsExactly(6L, 7L);
    }

    @Test
    void persistWithASequenceNeverReusesAnId() {
        Function<Session, List<List<Object>>> comments = s -> s.find(Post.class, 6L).getComments().stream()
                .map(HibernateIT::view).toList();
        assertThat(hitEqualToRaw(comments)).isEmpty();
        Instant at = Instant.parse("2024-05-06T10:15:30.123456Z");
        Long first = cachedFactory.fromTransaction(s -> {
            Comment c = new Comment(s.getReference(Post.class, 6L), "dan", "first", at);
            s.persist(c);
            return c.getId();
        });
        Long second = cachedFactory.fromTransaction(s -> {
            Comment c = new Comment(s.getReference(Post.class, 6L), "eve", null, at);
            s.persist(c);
            return c.getId();
        });
        assertThat(List.of(first, second)).containsExactly(100L, 101L);
        assertThat(hit(comments)).isFalse();
        assertThat(hitEqualToRaw(comments)).containsExactly(
                Arrays.asList(100L, "dan", "first", at), Arrays.asList(101L, "eve", null, at));
    }

    @Test
    void nativeQueriesAreCached() {
        Function<Session, List<List<Object>>> entities = s -> s.createNativeQuery(
                        "select * from post where category_id = :c order by id", Post.class)
                .setParameter("c", 2L).getResultList().stream().map(HibernateIT::view).toList();
        assertThat(hitEqualToRaw(entities)).extracting(v -> v.get(0)).containsExactly(4L, 5L);
        Function<Session, List<List<Object>>> scalars = s -> s.createNativeQuery(
                        "select id, title, score, published, external_id from post where status = :st order by id",
                        Object[].class)
                .setParameter("st", "PUBLISHED").getResultList().stream().map(Arrays::asList).toList();
        assertThat(hitEqualToRaw(scalars)).hasSize(4);
    }

    @Test
    void lazyCollectionLoadsAreCached() {
        Function<Session, List<List<Object>>> comments = s -> {
            Post p = s.find(Post.class, 1L);
            return p.getComments().stream().map(HibernateIT::view).toList();
        };
        List<List<Object>> hit = hitEqualToRaw(comments);
        assertThat(hit).extracting(v -> v.get(1)).containsExactly("ann", "bob", "cid");
        assertThat(hit.get(2).get(3)).isEqualTo(Instant.parse("2024-01-18T12:00:00.25Z"));
        Function<Session, List<String>> tags = s -> s.find(Post.class, 2L).getTags().stream()
                .map(Tag::getName).sorted().toList();
        assertThat(hitEqualToRaw(tags)).containsExactly("orm", "tuning");
    }

    @Test
    void getResultStreamIsCached() {
        Function<Session, List<String>> stream = s -> {
            try (Stream<Post> posts = s.createSelectionQuery(
                    "select p from Post p where p.published = true order by p.score desc nulls last, p.id",
                    Post.class).getResultStream()) {
                return posts.map(p -> p.getTitle() + "@" + p.getScore()).collect(Collectors.toList());
            }
        };
        assertThat(hitEqualToRaw(stream)).containsExactly("Window functions@5.00", "Hello JDBC@4.50",
                "Redis scripts@4.00", "Hibernate tips@3.25", "Indexes@2.75");
    }

    @Test
    void tagsOrderedByNameMatchTheDatabaseAfterAnInsert() {
        Function<Session, List<String>> names = s -> s.createSelectionQuery("from Tag", Tag.class).getResultList()
                .stream().sorted(Comparator.comparing(Tag::getId)).map(t -> t.getId() + "=" + t.getName()).toList();
        hitEqualToRaw(names);
        cachedFactory.inTransaction(s -> s.persist(new Tag("spring")));
        assertThat(hit(names)).isFalse();
        assertThat(hitEqualToRaw(names)).endsWith("100=spring");
    }

    @Test
    void autoFlushBeforeAQueryInTheTransactionShowsItsOwnChange() {
        hitEqualToRaw(byCategory(1));
        hitEqualToRaw(byCategory(3));
        List<List<Object>> seenInTransaction = cachedFactory.fromTransaction(s -> {
            List<List<Object>> before = byCategory(3).apply(s);
            s.find(Post.class, 1L).setCategory(s.getReference(Category.class, 3L));
            List<List<Object>> after = byCategory(3).apply(s); // Hibernate flushes the update first
            assertThat(before).hasSize(1);
            return after;
        });
        assertThat(seenInTransaction).extracting(v -> v.get(0)).containsExactly(1L, 6L);
        assertThat(hit(byCategory(3))).isFalse();
        assertThat(hit(byCategory(1))).isFalse();
    }

    @Test
    void rolledBackChangesLeaveTheCacheValid() {
        hitEqualToRaw(byCategory(1));
        try (Session s = cachedFactory.openSession()) {
            s.getTransaction().begin();
            s.find(Post.class, 2L).setTitle("never committed");
            s.flush();
            assertThat(byCategory(1).apply(s)).extracting(v -> v.get(3)).contains("never committed");
            s.getTransaction().rollback();
        }
        assertThat(hit(byCategory(1))).isTrue();
    }

    @Test
    void readsInsideATransactionAreHitsUntilItWrites() {
        hitEqualToRaw(byCategory(2));
        cachedFactory.inTransaction(s -> {
            assertThat(read(() -> byCategory(2).apply(s)).hit()).as("clean transaction reads the cache").isTrue();
            s.find(Post.class, 6L).setTitle("dirty");
            s.flush();
            assertThat(read(() -> byCategory(2).apply(s)).hit()).as("after a write: to the database").isFalse();
        });
        assertThat(hit(byCategory(2))).as("category 3 write leaves category 2 cached").isTrue();
    }
}
