package dev.cacheops.spring.boot;

import dev.cacheops.Cacheops;
import dev.cacheops.jdbc.CachingDataSource;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.Ordered;

/**
 * Wraps every {@link DataSource} bean with {@link Cacheops#wrap(DataSource)} once it is
 * initialised. The pool stays underneath: {@code unwrap(HikariDataSource.class)} reaches it, which
 * is how Boot's pool metrics and health find it. A bean already wrapped is left alone.
 *
 * <p>The {@link Cacheops} bean is looked up on the first data source, not when this post-processor
 * is created, so it does not force early initialisation of everything it depends on.
 */
final class CacheopsDataSourceWrapper implements BeanPostProcessor, Ordered {
    private final ObjectProvider<Cacheops> cacheops;

    CacheopsDataSourceWrapper(ObjectProvider<Cacheops> cacheops) {
        this.cacheops = cacheops;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof DataSource ds && !(bean instanceof CachingDataSource)) {
            return cacheops.getObject().wrap(ds);
        }
        return bean;
    }

    /** Last, so the pool is fully configured (and possibly proxied by others) before it is wrapped. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
