/**
 * The runnable demo: a blog schema, a deterministic read/write workload run once without and once
 * with the cache on freshly seeded data, a check of cached reads against the database while it
 * runs, and a report of what the cache did.
 *
 * <p>Pieces: {@link dev.cacheops.demo.Demo} (command line and orchestration), {@code BlogSchema}
 * and {@code Seeder} (tables and data), {@code Workload} (the operations), {@code Runner} (executes
 * them), {@code Verifier} (compares cached reads with the database), {@code CountingDataSource}
 * (counts what reaches the database), {@code Report} (the printed table).
 */
package dev.cacheops.demo;
