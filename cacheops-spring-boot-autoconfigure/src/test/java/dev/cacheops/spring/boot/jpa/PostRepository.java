package dev.cacheops.spring.boot.jpa;

import dev.cacheops.spring.Cached;
import dev.cacheops.spring.NoCache;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

/** Spring Data repository of {@link Post}, with derived queries and the cacheops annotations. */
public interface PostRepository extends JpaRepository<Post, Long> {

    List<Post> findByCategoryOrderById(String category);

    @NoCache
    List<Post> findByTitle(String title);

    @Cached(timeout = "5m")
    long countByCategory(String category);

    long countByTitle(String title);
}
