package dev.cacheops.example.blog;

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
}
