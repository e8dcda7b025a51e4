package dev.cacheops.example.blog;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;

/** A reader's comment (table {@code comment}) on one {@link Post}. Not thread-safe (a JPA entity). */
@Entity
public class Comment {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(optional = false, fetch = FetchType.LAZY)
    private Post post;

    @Column(nullable = false)
    private String author;

    @Column(nullable = false, length = 2000)
    private String text;

    /** For JPA. */
    protected Comment() {
    }

    /**
     * A new, unsaved comment.
     *
     * @param post   the post commented on
     * @param author who wrote it
     * @param text   what they wrote
     */
    public Comment(Post post, String author, String text) {
        this.post = post;
        this.author = author;
        this.text = text;
    }

    /** @return the generated id, {@code null} before the comment is saved */
    public Long getId() {
        return id;
    }

    /** @return who wrote it */
    public String getAuthor() {
        return author;
    }

    /** @return what they wrote */
    public String getText() {
        return text;
    }
}
