package dev.cacheops.example.blog;

import java.util.List;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Fills an empty blog with three categories, twelve posts and a few comments on start-up. */
@Component
class BlogSeed implements ApplicationRunner {
    private static final List<String> CATEGORIES = List.of("java", "databases", "caching");

    private final CategoryRepository categories;
    private final PostRepository posts;
    private final CommentRepository comments;

    BlogSeed(CategoryRepository categories, PostRepository posts, CommentRepository comments) {
        this.categories = categories;
        this.posts = posts;
        this.comments = comments;
    }

    @Override
    @Transactional
    public void run(ApplicationArguments args) {
        if (categories.count() > 0) {
            return; // NOTE: the pg profile keeps its schema between runs
        }
        for (String name : CATEGORIES) {
            Category category = categories.save(new Category(name));
            for (int i = 1; i <= 4; i++) {
                Post post = posts.save(new Post(category, "On " + name + ", part " + i,
                        "Notes on " + name + ", part " + i + "."));
                for (int c = 1; c <= i % 3; c++) {
                    comments.save(new Comment(post, "reader" + c, "Thanks for part " + i + "!"));
                }
            }
        }
    }
}
