package dev.cacheops.spring.boot.jpa;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.annotations.OnDelete;
import org.hibernate.annotations.OnDeleteAction;

/**
 * An article: versioned (optimistic locking), a lazy author whose deletion cascades in the
 * database, and comments cascaded by JPA. Its ids come from a sequence, so Hibernate batches its
 * inserts ({@code IDENTITY} would not).
 */
@Entity
@Table(name = "article")
public class Article {
    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "article_ids")
    @SequenceGenerator(name = "article_ids", sequenceName = "article_seq", allocationSize = 20)
    private Long id;

    private String title;

    private String status;

    private int views;

    @Version
    private long version;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @OnDelete(action = OnDeleteAction.CASCADE)
    private Author author;

    @OneToMany(mappedBy = "article", cascade = CascadeType.ALL, orphanRemoval = true)
    @OrderBy("id")
    private List<Comment> comments = new ArrayList<>();

    protected Article() {
    }

    public Article(String title, String status, Author author) {
        this.title = title;
        this.status = status;
        this.author = author;
    }

    /** Adds a comment, persisted with the article (cascade). */
    public Comment comment(String body) {
        Comment c = new Comment(this, body);
        comments.add(c);
        return c;
    }

    public Long getId() {
        return id;
    }

    public String getTitle() {
        return title;
    }

    public void setTitle(String title) {
        this.title = title;
    }

    public String getStatus() {
        return status;
    }

    public int getViews() {
        return views;
    }

    public long getVersion() {
        return version;
    }

    public Author getAuthor() {
        return author;
    }

    public List<Comment> getComments() {
        return comments;
    }
}
