package dev.cacheops.spring.boot.jpa;

import org.springframework.data.jpa.repository.JpaRepository;

/** Spring Data repository of {@link Author}. */
public interface AuthorRepository extends JpaRepository<Author, Long> {
}
