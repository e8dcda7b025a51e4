package dev.cacheops.bench.workload;

/** The four set-ups the workload compares. */
public enum CacheMode {
    /** Hibernate straight on the pool. */
    NONE("no cache"),
    /** Hibernate's second-level and query cache on Caffeine's JCache provider (table-level invalidation). */
    HIBERNATE("Hibernate L2 + query cache"),
    /** Cacheops on Redis under Hibernate. */
    CACHEOPS_REDIS("Cacheops on Redis"),
    /** Cacheops on the in-process store under Hibernate. */
    CACHEOPS_LOCAL("Cacheops in-process");

    private final String label;

    CacheMode(String label) {
        this.label = label;
    }

    /** A human-readable name for tables and charts. */
    public String label() {
        return label;
    }

    /** Whether this mode is Cacheops (whose stale reads must be zero). */
    public boolean isCacheops() {
        return this == CACHEOPS_REDIS || this == CACHEOPS_LOCAL;
    }
}
