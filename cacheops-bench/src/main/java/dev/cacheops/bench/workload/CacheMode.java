package dev.cacheops.bench.workload;

/** The set-ups the workload compares. */
public enum CacheMode {
    /** Hibernate straight on the pool. */
    NONE("no cache"),
    /** Hibernate's second-level and query cache on Caffeine's JCache provider (table-level invalidation). */
    HIBERNATE("Hibernate L2 + query cache"),
    /** Cacheops on Redis under Hibernate. */
    CACHEOPS_REDIS("Cacheops on Redis"),
    /** Cacheops on the in-process store under Hibernate. */
    CACHEOPS_LOCAL("Cacheops in-process"),
    /**
     * Two Cacheops instances on one Redis and prefix, each with a near cache (RELAXED), each under
     * a session factory of its own, operations alternating between them: two instances of one
     * application in one JVM.
     */
    CACHEOPS_NEAR("Cacheops near cache on Redis");

    private final String label;

    CacheMode(String label) {
        this.label = label;
    }

    /** A human-readable name for tables and charts. */
    public String label() {
        return label;
    }

    /** Whether this mode is Cacheops. */
    public boolean isCacheops() {
        return this == CACHEOPS_REDIS || this == CACHEOPS_LOCAL || this == CACHEOPS_NEAR;
    }

    /**
     * Whether this mode promises read-after-commit (STRICT), so that its stale reads must be zero.
     * The near mode is RELAXED: a read on one instance right after a commit on the other may see
     * the old value until Redis' report arrives (the stress harness measures that window).
     */
    public boolean isStrict() {
        return this == CACHEOPS_REDIS || this == CACHEOPS_LOCAL;
    }
}
