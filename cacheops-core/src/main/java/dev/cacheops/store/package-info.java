/**
 * Where cached results and stamps live: the {@link dev.cacheops.store.Store} contract, the key
 * schema ({@link dev.cacheops.store.Keys}, the one place besides the Lua scripts that knows what a
 * key looks like), the Redis implementation (Lettuce, scripts under {@code dev/cacheops/store/lua})
 * and the in-process one (Caffeine). Both pass one contract test suite.
 *
 * <p>The store knows stamps, entries and schemes, but not SQL, JDBC or how values are
 * canonicalised; those arrive as already-escaped strings.
 */
package dev.cacheops.store;
