/** Redis memory per cached entry, measured with {@code MEMORY USAGE} on this module's own keys. */
package dev.cacheops.bench.memory;
