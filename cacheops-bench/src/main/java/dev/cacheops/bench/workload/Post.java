package dev.cacheops.bench.workload;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.JoinTable;
import jakarta.persistence.ManyToMany;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.util.Set;
import org.hibernate.annotations.Cache;
import org.hibernate.annotations.CacheConcurrencyStrategy;

/** A blog post; its {@code version} grows with every update, which makes stale reads detectable. */
@Entity
@Table(name = "post")
@Cacheable
@Cache(usage = CacheConcurrencyStrategy.READ_WRITE)
public class Post {
    @Id
    private Long id;
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "category_id")
    private Category category;
    private String title;
    private String body;
    private int views;
    @Version
    private int version;
    @ManyToMany(fetch = FetchType.LAZY)
    @JoinTable(name = "post_tag", joinColumns = @JoinColumn(name = "post_id"),
            inverseJoinColumns = @JoinColumn(name = "tag_id"))
    @Cache(usage = CacheConcurrencyStrategy.READ_WRITE)
    private Set<Tag> tags;

    protected Post() {
    }

    public Long getId() {
        return id;
    }

    public Category getCategory() {
        return category;
    }

    public String getTitle() {
        return title;
    }

    public int getViews() {
        return views;
    }

    public int getVersion() {
        return version;
    }

    public Set<Tag> getTags() {
        return tags;
    }

    /** Counts a view and retitles the post (an update that bumps the version). */
    public void touch(int seq) {
        views++;
        title = "Post number " + id + " (edit " + seq + ")";
    }
}
