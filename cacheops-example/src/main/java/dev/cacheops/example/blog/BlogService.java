package dev.cacheops.example.blog;

import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The blog's reads and its one write. Plain Spring Data code: the caching happens underneath, at
 * the JDBC level, so these methods neither know nor say which results are cached. Thread-safe.
 */
@Service
public class BlogService {
    private final PostRepository posts;
    private final CommentRepository comments;

    BlogService(PostRepository posts, CommentRepository comments) {
        this.posts = posts;
        this.comments = comments;
    }

    /**
     * @param category a category slug, or {@code null} for every post
     * @return the posts, oldest first
     */
    @Transactional(readOnly = true)
    public List<PostSummary> list(String category) {
        List<Post> found = category == null ? posts.findAllByOrderById() : posts.findByCategoryNameOrderById(category);
        return found.stream().map(PostSummary::of).toList();
    }

    /**
     * @param text a part of the title, any case
     * @return the matching posts, oldest first (never cached: see {@link PostRepository})
     */
    @Transactional(readOnly = true)
    public List<PostSummary> search(String text) {
        return posts.findByTitleContainingIgnoreCaseOrderById(text).stream().map(PostSummary::of).toList();
    }

    /**
     * @param id a post's id
     * @return the post with its comments, or empty when there is none
     */
    @Transactional(readOnly = true)
    public Optional<PostDetail> get(long id) {
        return posts.findById(id).map(p -> new PostDetail(p.getId(), p.getTitle(), p.getBody(),
                p.getCategory().getName(),
                comments.findByPostIdOrderById(id).stream()
                        .map(c -> new PostDetail.CommentView(c.getAuthor(), c.getText())).toList()));
    }

    /**
     * Renames a post. Its {@code UPDATE} invalidates the cached reads of that row when the
     * transaction commits.
     *
     * @param id    a post's id
     * @param title the new title
     * @return the renamed post, or empty when there is none
     */
    @Transactional
    public Optional<PostSummary> rename(long id, String title) {
        return posts.findById(id).map(p -> {
            p.setTitle(title);
            return PostSummary.of(p);
        });
    }
}
