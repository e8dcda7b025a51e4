/**
 * Configuration from flat {@code cacheops.*} properties: one key set shared by the JDBC driver,
 * {@code cacheops.properties} files and the Spring Boot starter.
 * {@link dev.cacheops.config.CacheopsConfig} turns a map of keys into a configured
 * {@link dev.cacheops.Cacheops.Builder}; {@link dev.cacheops.config.Values} parses the value
 * formats (durations, data sizes, lists).
 *
 * <p>Depends on the root package's public API only; nothing inside the engine depends on it.
 */
package dev.cacheops.config;
