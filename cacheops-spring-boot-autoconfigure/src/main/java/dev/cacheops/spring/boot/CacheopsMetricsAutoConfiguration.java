package dev.cacheops.spring.boot;

import dev.cacheops.Cacheops;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters of Cacheops ({@link CacheopsMeters}), when Micrometer is on the class path;
 * Boot binds them to every registry. Runs before {@link CacheopsAutoConfiguration} so the
 * listener exists when the {@link Cacheops} bean is built.
 */
@AutoConfiguration(before = CacheopsAutoConfiguration.class)
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBooleanProperty(name = "cacheops.enabled", matchIfMissing = true)
public class CacheopsMetricsAutoConfiguration {

    /** The meters, also a listener of the cache's events. */
    @Bean
    @ConditionalOnMissingBean
    public CacheopsMeters cacheopsMeters(ObjectProvider<Cacheops> cacheops, ObjectProvider<StoreHealth> health) {
        return new CacheopsMeters(cacheops, health);
    }

}
