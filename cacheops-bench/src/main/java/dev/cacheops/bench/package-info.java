/**
 * Benchmarks of Cacheops: JMH microbenchmarks of the hit, miss and write paths and of the
 * analyser ({@code *Benchmark} classes), a Hibernate workload comparing Cacheops with Hibernate's
 * own second-level and query cache ({@link dev.cacheops.bench.workload}), Redis memory
 * measurements, and the report writer that turns all of it into {@code docs/BENCHMARKS.md}.
 *
 * <p>{@link dev.cacheops.bench.BenchMain} runs everything; each benchmark class's Javadoc says how
 * to run it alone.
 */
package dev.cacheops.bench;
