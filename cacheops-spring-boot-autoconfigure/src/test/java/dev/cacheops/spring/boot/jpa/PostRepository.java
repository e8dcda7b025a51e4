package dev.cacheops.spring.boot.jpa;

import dev.cacheops.spring.Cached;
import dev.cacheops.spring.NoCache;
import java.util.List;
import jakarta.persistence.QueryHint;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.QueryHints;

/** Spring Data repository of {@link Post}, with derived queries and the cacheops annotations. */
public interface PostRepository extends JpaRepository<Post, Long> {

    List<Post> findByCategoryOrderById(String category);

    @NoCache
    List<Post> findByTitle(String title);

    @Cached(timeout = "5m")
    long countByCategory(String category);

    long countByTitle(String title);

    /** The SQL-comment hint; reaches JDBC only with hibernate.use_sql_comments=true. */
    @QueryHints(@QueryHint(name = "org.hibernate.comment", value = "cacheops:nocache"))
    List<Post> findByCategoryAndTitle(String category, String title);
}
