/**
 * Spring's cache abstraction on Cacheops: {@link dev.cacheops.spring.cache.CacheopsCacheManager}
 * gives {@code @Cacheable} methods caches that are invalidated like the queries they run.
 */
package dev.cacheops.spring.cache;
