/**
 * Where cached results and stamps live: the {@link dev.cacheops.store.Store} contract, the key
 * schema ({@link dev.cacheops.store.Keys}, the one place besides the Lua scripts that knows what a
 * key looks like), the Redis implementation (Lettuce, scripts under {@code dev/cacheops/store/lua}),
 * the Redis Cluster one ({@link dev.cacheops.store.ClusterStore}, Lettuce's cluster client, with the
 * cluster key layout of {@link dev.cacheops.store.Keys#forCluster}) and the in-process one
 * (Caffeine). All pass one contract test suite.
 *
 * <p>The store knows stamps, entries and schemes, but not SQL, JDBC or how values are
 * canonicalised; those arrive as already-escaped strings.
 */
package dev.cacheops.store;
