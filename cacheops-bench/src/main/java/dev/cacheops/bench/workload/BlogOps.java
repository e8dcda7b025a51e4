package dev.cacheops.bench.workload;

import dev.cacheops.bench.fixture.Fixtures;
import jakarta.persistence.EntityManager;
import jakarta.persistence.OptimisticLockException;
import java.util.List;
import org.hibernate.SessionFactory;

/**
 * The blog's operations, each in a new entity manager (no first-level cache carries over), each
 * checking what it was served against {@link Published}. Queries are marked cacheable, which only
 * matters when Hibernate's query cache is on. Thread-safe.
 */
final class BlogOps {
    /** What an operation observed. */
    enum Outcome { FRESH, STALE, CONFLICT }

    static final int PAGE_SIZE = 20;
    static final int TOP = 10;
    private static final int POSTS_PER_CATEGORY = Fixtures.POSTS / Fixtures.CATEGORIES;

    private final SessionFactory sessions;
    private final Published published;

    BlogOps(SessionFactory sessions, Published published) {
        this.sessions = sessions;
        this.published = published;
    }

    /** A post by id with its tags. */
    Outcome readPost(long id) {
        int before = published.version(id);
        try (EntityManager em = sessions.createEntityManager()) {
            Post p = em.find(Post.class, id);
            int tags = p.getTags().size();
            if (tags != 3) {
                throw new IllegalStateException("post " + id + " has " + tags + " tags, expected 3");
            }
            return p.getVersion() < before ? Outcome.STALE : Outcome.FRESH;
        }
    }

    /** A page of a category's posts, in id order; the expected ids are known in advance. */
    Outcome readPage(int category, int page) {
        int[] before = new int[PAGE_SIZE];
        for (int i = 0; i < PAGE_SIZE; i++) {
            before[i] = published.version(Fixtures.postOfCategory(category, page * PAGE_SIZE + i));
        }
        try (EntityManager em = sessions.createEntityManager()) {
            List<Post> posts = em.createQuery("select p from Post p where p.category.id = :c order by p.id", Post.class)
                    .setParameter("c", category)
                    .setFirstResult(page * PAGE_SIZE)
                    .setMaxResults(PAGE_SIZE)
                    .setHint("org.hibernate.cacheable", true)
                    .getResultList();
            Outcome outcome = Outcome.FRESH;
            for (int i = 0; i < PAGE_SIZE; i++) {
                Post p = posts.get(i);
                if (p.getId() != Fixtures.postOfCategory(category, page * PAGE_SIZE + i)) {
                    throw new IllegalStateException("page " + page + " of category " + category
                            + " has post " + p.getId() + " at " + i);
                }
                if (p.getVersion() < before[i]) {
                    outcome = Outcome.STALE;
                }
            }
            return outcome;
        }
    }

    /** The number of comments on a post. */
    Outcome countComments(long post) {
        int before = published.comments(post);
        try (EntityManager em = sessions.createEntityManager()) {
            long n = em.createQuery("select count(c) from Comment c where c.post.id = :p", Long.class)
                    .setParameter("p", post)
                    .setHint("org.hibernate.cacheable", true)
                    .getSingleResult();
            return n < before ? Outcome.STALE : Outcome.FRESH;
        }
    }

    /** The most commented posts of a category (an aggregate over a join). */
    Outcome topCommented(int category) {
        int[] before = new int[POSTS_PER_CATEGORY];
        for (int i = 0; i < POSTS_PER_CATEGORY; i++) {
            before[i] = published.comments(Fixtures.postOfCategory(category, i));
        }
        try (EntityManager em = sessions.createEntityManager()) {
            List<Object[]> rows = em.createQuery("select c.post.id, count(c) from Comment c"
                            + " where c.post.category.id = :cat group by c.post.id order by count(c) desc, c.post.id",
                            Object[].class)
                    .setParameter("cat", category)
                    .setMaxResults(TOP)
                    .setHint("org.hibernate.cacheable", true)
                    .getResultList();
            if (rows.size() != TOP) {
                throw new IllegalStateException("top list of category " + category + " has " + rows.size() + " rows");
            }
            for (Object[] row : rows) {
                long post = (Long) row[0];
                if (Fixtures.categoryOf(post) != category) {
                    throw new IllegalStateException("post " + post + " is not in category " + category);
                }
                int index = (int) ((post - category) / Fixtures.CATEGORIES);
                if ((Long) row[1] < before[index]) {
                    return Outcome.STALE;
                }
            }
            return Outcome.FRESH;
        }
    }

    /** Updates a post through dirty checking (its version grows by one). */
    Outcome updatePost(long id, int seq) {
        try (EntityManager em = sessions.createEntityManager()) {
            em.getTransaction().begin();
            try {
                Post p = em.find(Post.class, id);
                p.touch(seq);
                em.getTransaction().commit();
                published.committedVersion(id, p.getVersion());
                return Outcome.FRESH;
            } catch (OptimisticLockException | org.hibernate.StaleStateException e) {
                return Outcome.CONFLICT;
            } catch (RuntimeException e) {
                if (e.getCause() instanceof OptimisticLockException
                        || e.getCause() instanceof org.hibernate.StaleStateException) {
                    return Outcome.CONFLICT;
                }
                throw e;
            } finally {
                if (em.getTransaction().isActive()) {
                    em.getTransaction().rollback();
                }
            }
        }
    }

    /** Inserts a comment on a post. */
    Outcome addComment(long post, int seq) {
        try (EntityManager em = sessions.createEntityManager()) {
            em.getTransaction().begin();
            try {
                em.persist(new Comment(em.getReference(Post.class, post), "bench", "comment " + seq));
                em.getTransaction().commit();
                published.committedComment(post);
                return Outcome.FRESH;
            } finally {
                if (em.getTransaction().isActive()) {
                    em.getTransaction().rollback();
                }
            }
        }
    }
}
