package dev.cacheops.bench.workload;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Cache;
import org.hibernate.annotations.CacheConcurrencyStrategy;

/** A tag of posts. */
@Entity
@Table(name = "tag")
@Cacheable
@Cache(usage = CacheConcurrencyStrategy.READ_WRITE)
public class Tag {
    @Id
    private Integer id;
    private String name;

    protected Tag() {
    }

    public Integer getId() {
        return id;
    }

    public String getName() {
        return name;
    }
}
