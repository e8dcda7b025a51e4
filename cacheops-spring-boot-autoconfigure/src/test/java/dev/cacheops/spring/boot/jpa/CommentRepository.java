package dev.cacheops.spring.boot.jpa;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

/** Spring Data repository of {@link Comment}. */
public interface CommentRepository extends JpaRepository<Comment, Long> {

    List<Comment> findByArticleIdOrderById(long articleId);
}
