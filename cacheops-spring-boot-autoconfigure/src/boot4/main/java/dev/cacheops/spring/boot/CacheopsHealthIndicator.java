package dev.cacheops.spring.boot;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Reports the cache's store as {@code UP}, with {@code degraded: true} while it failed an
 * operation within the last 30 s. Never {@code DOWN}, by design: a cache that cannot reach its
 * store serves every read from the database and still invalidates as well as it can, so the
 * application still answers correctly; a {@code DOWN} would make Kubernetes or a load balancer
 * take healthy instances out of service and turn a slower application into an outage. Watch
 * {@code cacheops.degraded} to alert on it. Thread-safe.
 */
public class CacheopsHealthIndicator implements HealthIndicator {
    private final StoreHealth health;
    private final boolean redis;

    CacheopsHealthIndicator(StoreHealth health, boolean redis) {
        this.health = health;
        this.redis = redis;
    }

    @Override
    public Health health() {
        return Health.up().withDetail("store", redis ? "redis" : "in-process")
                .withDetail("degraded", health.degraded()).withDetail("storeErrors", health.storeErrors()).build();
    }
}
