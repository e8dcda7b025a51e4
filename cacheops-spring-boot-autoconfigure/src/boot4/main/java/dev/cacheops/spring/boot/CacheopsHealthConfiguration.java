package dev.cacheops.spring.boot;

import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The {@code cacheops} health indicator ({@code management.health.cacheops.enabled}), imported by
 * {@link CacheopsActuatorAutoConfiguration}. Boot 4.x's health API: this class and
 * {@link CacheopsHealthIndicator} are the ones written once per Boot version.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnEnabledHealthIndicator("cacheops")
class CacheopsHealthConfiguration {
    @Bean
    @ConditionalOnMissingBean(name = "cacheopsHealthIndicator")
    CacheopsHealthIndicator cacheopsHealthIndicator(StoreHealth health, CacheopsProperties properties,
                                                    Environment environment) {
        return new CacheopsHealthIndicator(health, RedisUrl.resolve(properties, environment) != null);
    }
}
