/**
 * The workload comparison: one blog domain through Hibernate 7, run with no cache, with
 * Hibernate's second-level and query cache on Caffeine's JCache provider, and with Cacheops on
 * Redis and on the in-process store, one after the other in the same process with the same seed.
 *
 * <p>Stale reads are detected without false positives from monotonic data: a post's
 * {@code version} only grows (every update goes through {@code @Version}) and a post's comments are
 * only ever inserted. Writers publish the version or count they committed <em>after</em> the
 * commit returns; a reader notes the published values <em>before</em> it starts; a served value
 * below the noted one is a result older than a commit that had returned before the read began:
 * stale by definition. Writes in flight can only make served values larger, never smaller.
 */
package dev.cacheops.bench.workload;
