/**
 * The stamp protocol between the JDBC layer and the store (DESIGN §3, §6, §7): canonical values,
 * entry hashes and checksums, turning bound conjunctions into a {@link dev.cacheops.store.Lookup},
 * the race-free fill, invalidation in one or two phases, the per-connection transaction ledger,
 * and recovery from lost invalidations by replacing the epoch.
 *
 * <p>Depends on {@code dev.cacheops.store} (keys, the store SPI) and on the root API's value types;
 * knows nothing of JDBC.
 */
package dev.cacheops.protocol;
