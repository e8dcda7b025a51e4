package dev.cacheops.bench.oltp;

/** The set-ups the concurrent workload compares. */
public enum OltpMode {
    /** Plain JDBC on the pool. */
    NONE("no cache"),
    /** Cacheops with the in-process store over the pool. */
    LOCAL("Cacheops in-process"),
    /** Cacheops with the Redis store over the pool. */
    REDIS("Cacheops on Redis"),
    /** Cacheops with the Redis store and a near cache (RELAXED, which the near cache needs) over the pool. */
    NEAR("Cacheops near cache on Redis");

    private final String label;

    OltpMode(String label) {
        this.label = label;
    }

    /** A human-readable name for tables and charts. */
    public String label() {
        return label;
    }
}
