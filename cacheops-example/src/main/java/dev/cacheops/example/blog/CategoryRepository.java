package dev.cacheops.example.blog;

import org.springframework.data.jpa.repository.JpaRepository;

/** Categories. */
public interface CategoryRepository extends JpaRepository<Category, Long> {
}
