package dev.cacheops.spring.boot;

import dev.cacheops.Cacheops;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * The {@code cacheops} Actuator endpoint and health indicator, when Actuator is present and a
 * {@link Cacheops} bean exists. Expose the endpoint over HTTP as any other:
 * {@code management.endpoints.web.exposure.include=health,cacheops}. The health indicator's
 * configuration ({@code CacheopsHealthConfiguration}) is written once per Boot version, whose
 * health API differs.
 */
@AutoConfiguration(after = CacheopsAutoConfiguration.class)
@ConditionalOnBean(Cacheops.class)
@Import(CacheopsHealthConfiguration.class)
public class CacheopsActuatorAutoConfiguration {

    /** The endpoint. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(Endpoint.class)
    @ConditionalOnAvailableEndpoint(CacheopsEndpoint.class)
    static class EndpointConfiguration {
        @Bean
        @ConditionalOnMissingBean
        CacheopsEndpoint cacheopsEndpoint(Cacheops cacheops, CacheopsProperties properties, Environment environment,
                                          TableStats tables, StoreHealth health, ObjectProvider<DataSource> dataSources) {
            return new CacheopsEndpoint(cacheops, properties, RedisUrl.resolve(properties, environment), tables, health,
                    new TableProfiles(cacheops, dataSources));
        }
    }
}
