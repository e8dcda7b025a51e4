package dev.cacheops.spring.boot;

import dev.cacheops.Cacheops;
import dev.cacheops.CacheopsListener;
import dev.cacheops.spring.cache.CacheCaptureCleanup;
import java.util.ArrayList;
import java.util.List;
import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Auto-configuration of Cacheops: a {@link Cacheops} bean built from {@code cacheops.*} (closed
 * with the context), every {@link javax.sql.DataSource} bean wrapped, and the
 * {@link dev.cacheops.spring.Cached}/{@link dev.cacheops.spring.NoCache} advisor. Off with
 * {@code cacheops.enabled=false}: then nothing is built and no data source is touched.
 *
 * <p>{@link CacheopsListener} beans in the context receive the cache events (the metrics
 * auto-configuration contributes one).
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "cacheops.enabled", matchIfMissing = true)
@EnableConfigurationProperties(CacheopsProperties.class)
@Import(CacheopsAutoConfiguration.AutoProxyRegistrar.class)
public class CacheopsAutoConfiguration {

    /** The per-table counters behind the Actuator endpoint. */
    @Bean
    @ConditionalOnMissingBean
    public TableStats cacheopsTableStats() {
        return new TableStats();
    }

    /**
     * The engine, from properties; Redis from {@code cacheops.redis.url}, else
     * {@code spring.data.redis.*}, else the in-process store.
     */
    @Bean
    @ConditionalOnMissingBean
    public Cacheops cacheops(CacheopsProperties properties, Environment environment,
                             ObjectProvider<CacheopsListener> listeners) {
        List<CacheopsListener> all = new ArrayList<>();
        listeners.orderedStream().forEach(all::add);
        return CacheopsFactory.build(properties, RedisUrl.resolve(properties, environment), new CompositeListener(all));
    }

    /** Entity names in profile patterns, and the start-up check of every pattern. */
    @Bean
    @ConditionalOnMissingBean
    ProfilePatterns cacheopsProfilePatterns(Cacheops cacheops, CacheopsProperties properties,
                                            org.springframework.beans.factory.ListableBeanFactory beans) {
        return new ProfilePatterns(cacheops, properties, beans);
    }

    /** Whether the store is degraded, for the meters, the endpoint and the health indicator. */
    @Bean
    @ConditionalOnMissingBean
    public StoreHealth cacheopsStoreHealth(Cacheops cacheops) {
        return new StoreHealth(cacheops);
    }

    /** Wraps each data source bean; static, as a post-processor must be. */
    @Bean
    static CacheopsDataSourceWrapper cacheopsDataSourceWrapper(ObjectProvider<Cacheops> cacheops) {
        return new CacheopsDataSourceWrapper(cacheops);
    }

    /** Applies {@code @Cached} and {@code @NoCache}. */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static CacheopsAnnotationAdvisor cacheopsAnnotationAdvisor(ObjectProvider<Cacheops> cacheops) {
        return new CacheopsAnnotationAdvisor(cacheops);
    }

    /** Closes the dependency captures of {@code @Cacheable} methods that fail (for CacheopsCacheManager). */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static CacheCaptureCleanup cacheopsCacheCaptureCleanup() {
        return new CacheCaptureCleanup();
    }

    /**
     * Makes sure some auto-proxy creator applies the advisor: Boot registers one only with
     * AspectJ on the class path or a transaction manager; this one (infrastructure advisors
     * only) gives way to any stronger one already registered.
     */
    static final class AutoProxyRegistrar implements ImportBeanDefinitionRegistrar {
        @Override
        public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
            AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
        }
    }
}
