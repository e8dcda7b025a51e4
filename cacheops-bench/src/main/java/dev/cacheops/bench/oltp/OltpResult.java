package dev.cacheops.bench.oltp;

import java.util.Map;

/**
 * One cell of the concurrent workload. Immutable.
 *
 * @param mode              the set-up
 * @param writeShare        share of operations that write, 0..1
 * @param threads           client threads (and pool size)
 * @param ops               operations completed in the measured window
 * @param seconds           the window's length
 * @param p50Micros         median latency
 * @param p99Micros         99th percentile latency
 * @param jvmCpuMicros      this JVM's CPU time per operation
 * @param redisCpuMicros    {@code redis-server}'s CPU time per operation (includes other clients of a shared Redis)
 * @param redisCallsPerOp   Redis calls per operation by command, largest first
 * @param statementsPerOp   statements reaching PostgreSQL per operation
 * @param hitRatio          Cacheops hits over cacheable reads in the window (0 without a cache)
 * @param storeErrors       Cacheops store errors in the window (timeouts, connection loss)
 * @param passThroughs      reads that bypassed the cache in the window
 * @param refusedFills      misses in the window whose result was not stored, over all misses: a
 *                          stamp changed meanwhile, or a write in progress could change the result
 * @param jitMillis         the JIT compiler's time in the window (part of the JVM's CPU time)
 * @param warmupSeconds     how long the warm-up lasted (its minimum, or until the JIT was quiet)
 */
public record OltpResult(OltpMode mode, double writeShare, int threads, long ops, double seconds,
                         double p50Micros, double p99Micros, double jvmCpuMicros, double redisCpuMicros,
                         Map<String, Double> redisCallsPerOp, double statementsPerOp, double hitRatio,
                         long storeErrors, long passThroughs, double refusedFills, long jitMillis,
                         double warmupSeconds) {
    public OltpResult {
        redisCallsPerOp = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(redisCallsPerOp));
    }

    /** Operations per second. */
    public double throughput() {
        return ops / seconds;
    }

    /** The first {@code n} Redis commands per operation, e.g. {@code mget 0.62, evalsha 0.05}. */
    public String topCommands(int n) {
        StringBuilder b = new StringBuilder();
        redisCallsPerOp.entrySet().stream().limit(n).forEach(e ->
                b.append(b.length() == 0 ? "" : ", ").append(e.getKey()).append(String.format(" %.2f", e.getValue())));
        return b.length() == 0 ? "-" : b.toString();
    }
}
