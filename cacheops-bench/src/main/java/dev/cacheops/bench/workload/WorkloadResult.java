package dev.cacheops.bench.workload;

/**
 * One measured run of the workload.
 *
 * @param mode       the set-up
 * @param writeShare the fraction of operations that write, 0..1
 * @param threads    concurrent threads
 * @param ops        measured operations
 * @param seconds    wall time of the measured operations
 * @param statements statements that reached PostgreSQL during them (cache image reads included)
 * @param hits       cache hits (Cacheops, or Hibernate's L2 plus query cache)
 * @param misses     cache misses (and Cacheops pass-throughs)
 * @param p50Micros  median latency of an operation
 * @param p99Micros  99th percentile latency
 * @param staleReads reads served a value older than a commit that had returned before they began
 * @param conflicts  optimistic-lock conflicts among the updates
 */
public record WorkloadResult(CacheMode mode, double writeShare, int threads, long ops, double seconds,
                             long statements, long hits, long misses, double p50Micros, double p99Micros,
                             long staleReads, long conflicts) {
    /** Operations per second. */
    public double throughput() {
        return ops / seconds;
    }

    /** Hits over hits plus misses, 0 without a cache. */
    public double hitRatio() {
        return hits + misses == 0 ? 0 : (double) hits / (hits + misses);
    }

    /** Statements that reached the database per operation. */
    public double statementsPerOp() {
        return (double) statements / ops;
    }
}
