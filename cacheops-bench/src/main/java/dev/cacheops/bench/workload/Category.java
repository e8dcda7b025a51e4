package dev.cacheops.bench.workload;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Cache;
import org.hibernate.annotations.CacheConcurrencyStrategy;

/** A blog category. */
@Entity
@Table(name = "category")
@Cacheable
@Cache(usage = CacheConcurrencyStrategy.READ_WRITE)
public class Category {
    @Id
    private Integer id;
    private String name;

    protected Category() {
    }

    public Integer getId() {
        return id;
    }

    public String getName() {
        return name;
    }
}
