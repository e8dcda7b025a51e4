package dev.cacheops.example.blog;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;

/** A blog category (table {@code category}), named by a unique slug. Not thread-safe (a JPA entity). */
@Entity
public class Category {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, unique = true)
    private String name;

    /** For JPA. */
    protected Category() {
    }

    /**
     * A new, unsaved category.
     *
     * @param name its unique slug, e.g. {@code java}
     */
    public Category(String name) {
        this.name = name;
    }

    /** @return the generated id, {@code null} before the category is saved */
    public Long getId() {
        return id;
    }

    /** @return the slug */
    public String getName() {
        return name;
    }
}
