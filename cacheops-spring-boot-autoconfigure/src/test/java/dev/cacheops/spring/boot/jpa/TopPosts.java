package dev.cacheops.spring.boot.jpa;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;

/** {@code @Cacheable} methods over the repository, counting how often they really run. */
@Service
public class TopPosts {
    private final AtomicInteger runs = new AtomicInteger();
    private final PostRepository posts;

    public TopPosts(PostRepository posts) {
        this.posts = posts;
    }

    /** How often the methods really ran (a method: the bean is a class proxy). */
    public int runs() {
        return runs.get();
    }

    /** Titles of a category: a plain {@code @Cacheable} (get, run, put). */
    @Cacheable("topPosts")
    public List<String> titles(String category) {
        runs.incrementAndGet();
        return posts.findByCategoryOrderById(category).stream().map(Post::getTitle).toList();
    }

    /** The same with {@code sync = true} (computed inside the cache, under its lock). */
    @Cacheable(cacheNames = "topPostsSync", sync = true)
    public List<String> titlesSync(String category) {
        runs.incrementAndGet();
        return posts.findByCategoryOrderById(category).stream().map(Post::getTitle).toList();
    }

    /** Fails after reading: nothing is cached and no capture stays open. */
    @Cacheable("failing")
    public List<String> failing(String category) {
        runs.incrementAndGet();
        posts.findByCategoryOrderById(category);
        throw new IllegalStateException("failed on purpose");
    }
}
