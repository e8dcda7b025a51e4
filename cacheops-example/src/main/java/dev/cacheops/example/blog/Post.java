package dev.cacheops.example.blog;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;

/** A blog post (table {@code post}) in one {@link Category}. Not thread-safe (a JPA entity). */
@Entity
public class Post {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false)
    private String title;

    @Column(nullable = false, length = 4000)
    private String body;

    @ManyToOne(optional = false, fetch = FetchType.LAZY)
    private Category category;

    /** For JPA. */
    protected Post() {
    }

    /**
     * A new, unsaved post.
     *
     * @param category its category
     * @param title    its title
     * @param body     its text
     */
    public Post(Category category, String title, String body) {
        this.category = category;
        this.title = title;
        this.body = body;
    }

    /** @return the generated id, {@code null} before the post is saved */
    public Long getId() {
        return id;
    }

    /** @return the title */
    public String getTitle() {
        return title;
    }

    /** @param title the new title, written at the end of the transaction */
    public void setTitle(String title) {
        this.title = title;
    }

    /** @return the text */
    public String getBody() {
        return body;
    }

    /** @return the category (lazy: read it inside a transaction) */
    public Category getCategory() {
        return category;
    }
}
