package dev.cacheops.example.blog;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

/** Comments. */
public interface CommentRepository extends JpaRepository<Comment, Long> {

    /**
     * @param postId a post's id
     * @return its comments, oldest first
     */
    List<Comment> findByPostIdOrderById(Long postId);
}
