package dev.cacheops.spring.boot.jpa;

import java.util.List;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.transaction.annotation.Transactional;

/** Spring Data repository of {@link Article}: JPQL, native, paged and bulk-update queries. */
public interface ArticleRepository extends JpaRepository<Article, Long> {

    /** JPQL with a join: reads article and author. */
    @Query("select a from Article a where a.author.name = :name order by a.id")
    List<Article> byAuthorName(String name);

    @Query(value = "select * from article where status = :status order by id", nativeQuery = true)
    List<Article> nativeByStatus(String status);

    /** A page and its count query. */
    Page<Article> findByStatusOrderById(String status, Pageable pageable);

    List<Article> findByAuthorIdOrderById(long authorId);

    /** A bulk update whose assignment is an expression (new images are re-read). */
    @Modifying
    @Transactional
    @Query("update Article a set a.views = a.views + 1 where a.status = :status")
    int addView(String status);

    /** A bulk update with a constant assignment (new images follow from the old ones). */
    @Modifying
    @Transactional
    @Query("update Article a set a.status = :to where a.status = :from")
    int moveStatus(String from, String to);
}
