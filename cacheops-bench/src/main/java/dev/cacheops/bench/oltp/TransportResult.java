package dev.cacheops.bench.oltp;

/**
 * One cell of the transport comparison. Immutable.
 *
 * @param transport      what was measured
 * @param threads        client threads
 * @param ops            operations completed in the measured window
 * @param seconds        the window's length
 * @param p50Micros      median latency
 * @param p99Micros      99th percentile latency
 * @param jvmCpuMicros   this JVM's CPU time per operation
 * @param redisCpuMicros {@code redis-server}'s CPU time per operation (includes other clients of a shared Redis)
 * @param note           misses, pass-throughs and store errors of the Cacheops cell, empty otherwise
 * @param jitMillis      the JIT compiler's time in the window (part of the JVM's CPU time)
 * @param warmupSeconds  how long the warm-up lasted (its minimum, or until the JIT was quiet)
 */
public record TransportResult(Transport transport, int threads, long ops, double seconds, double p50Micros,
                              double p99Micros, double jvmCpuMicros, double redisCpuMicros, String note,
                              long jitMillis, double warmupSeconds) {
    /** Operations per second. */
    public double throughput() {
        return ops / seconds;
    }
}
