/**
 * JMH microbenchmarks: the hit path against PostgreSQL and a raw Redis {@code GET} of the same
 * bytes, the miss path, the analyser, the cost of writes and invalidation latency. Each class's
 * Javadoc says how to run it alone; {@link dev.cacheops.bench.jmh.JmhSuite} runs them all.
 */
package dev.cacheops.bench.jmh;
