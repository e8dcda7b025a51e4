package dev.cacheops.example.blog;

import dev.cacheops.spring.NoCache;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

/** Posts; each query below is an ordinary SQL read that Cacheops caches and invalidates by table and row. */
public interface PostRepository extends JpaRepository<Post, Long> {

    /**
     * @param name a category slug
     * @return its posts, oldest first
     */
    List<Post> findByCategoryNameOrderById(String name);

    /** @return every post, oldest first */
    List<Post> findAllByOrderById();

    /**
     * Not cached: free-text searches rarely repeat, so caching them would only fill the store.
     * Each call shows on the dashboard as a pass-through of {@code post} with the reason
     * {@code nocache}.
     *
     * @param text a part of the title, any case
     * @return the matching posts, oldest first
     */
    @NoCache
    List<Post> findByTitleContainingIgnoreCaseOrderById(String text);
}
