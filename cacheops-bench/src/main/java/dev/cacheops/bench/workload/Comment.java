package dev.cacheops.bench.workload;

import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/** A comment on a post; comments are only ever inserted, so a post's count only grows. */
@Entity
@Table(name = "comment")
public class Comment {
    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "comment_seq")
    @SequenceGenerator(name = "comment_seq", sequenceName = "comment_seq", allocationSize = 50)
    private Long id;
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "post_id")
    private Post post;
    private String author;
    private String body;

    protected Comment() {
    }

    /** A new comment on {@code post}. */
    public Comment(Post post, String author, String body) {
        this.post = post;
        this.author = author;
        this.body = body;
    }

    public Long getId() {
        return id;
    }
}
