package dev.cacheops.spring.boot;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

/**
 * Adds Cacheops to a test slice ({@code @DataJpaTest}, {@code @JdbcTest}, ...), which otherwise
 * loads only its own auto-configurations: the {@code Cacheops} bean, the data source wrapping,
 * the meters and the Actuator parts, configured from {@code cacheops.*} as in the application.
 * The classes are listed in
 * {@code META-INF/spring/dev.cacheops.spring.boot.AutoConfigureCacheops.imports}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
public @interface AutoConfigureCacheops {
}
