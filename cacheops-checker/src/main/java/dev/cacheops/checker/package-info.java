/**
 * The differential correctness checker: random reads, writes and transactions run through a
 * {@link dev.cacheops.Cacheops}-wrapped data source, and every read compared with the same read on
 * the database itself.
 *
 * <p>The parts, each in its own class: the schema and its dialects ({@link dev.cacheops.checker.Schema},
 * {@link dev.cacheops.checker.Dialect}), the generators ({@link dev.cacheops.checker.ReadGenerator},
 * {@link dev.cacheops.checker.WriteGenerator}, {@link dev.cacheops.checker.Workload}), the
 * {@link dev.cacheops.checker.Executor}, the {@link dev.cacheops.checker.ResultComparator}, the
 * {@link dev.cacheops.checker.Shrinker} and the reporting ({@link dev.cacheops.checker.RunStats},
 * {@link dev.cacheops.checker.Repro}). {@link dev.cacheops.checker.Checker} is the command line.
 */
package dev.cacheops.checker;
