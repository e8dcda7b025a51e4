package dev.cacheops.example.blog;

import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The blog's HTTP API: {@code GET /api/posts?category=...}, {@code GET /api/posts/{id}},
 * {@code GET /api/posts/search?q=...} (never cached) and {@code POST /api/posts/{id}/title} with
 * {@code {"title": "..."}}. Thread-safe.
 */
@RestController
@RequestMapping("/api/posts")
public class PostController {
    private final BlogService blog;

    PostController(BlogService blog) {
        this.blog = blog;
    }

    /**
     * @param category a category slug; absent for every post
     * @return the posts, oldest first
     */
    @GetMapping
    public List<PostSummary> list(@RequestParam(name = "category", required = false) String category) {
        return blog.list(category);
    }

    /**
     * @param q a part of the title, any case
     * @return the matching posts, oldest first
     */
    @GetMapping("/search")
    public List<PostSummary> search(@RequestParam(name = "q") String q) {
        return blog.search(q);
    }

    /**
     * @param id a post's id
     * @return the post with its comments
     * @throws ResponseStatusException 404 when there is no such post
     */
    @GetMapping("/{id}")
    public PostDetail get(@PathVariable("id") long id) {
        return blog.get(id).orElseThrow(() -> notFound(id));
    }

    /**
     * @param id     a post's id
     * @param change the new title
     * @return the renamed post
     * @throws ResponseStatusException 400 for a blank title, 404 when there is no such post
     */
    @PostMapping("/{id}/title")
    public PostSummary rename(@PathVariable("id") long id, @RequestBody TitleChange change) {
        if (change.title() == null || change.title().isBlank()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "title must not be blank");
        }
        return blog.rename(id, change.title()).orElseThrow(() -> notFound(id));
    }

    private static ResponseStatusException notFound(long id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "no post " + id);
    }

    /**
     * The body of {@code POST /api/posts/{id}/title}.
     *
     * @param title the new title
     */
    public record TitleChange(String title) {
    }
}
