/**
 * Invalidation from the database's change stream (DESIGN §12): PostgreSQL's logical replication
 * ({@code pgoutput}, decoded here) turned into the same invalidations a wrapped write makes, so
 * that writes which bypass the wrappers stop being invisible.
 * <p>Depends on {@code engine} (catalog, invalidation) and {@code protocol} only; uses pgjdbc, an
 * optional dependency of the library, loaded only when the change stream is configured.
 */
package dev.cacheops.changes;
