package dev.cacheops.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Caches the SQL reads a method makes on its thread through a wrapped data source, like
 * {@link dev.cacheops.Cacheops#cache(java.util.function.Supplier)} around its body (cacheops'
 * {@code .cache()}): reads of tables that have a profile are cached even when the profile lists
 * no op for them. Disabled tables stay uncached. On a class or interface, applies to each method.
 * Works on Spring beans and Spring Data repository interfaces (through a Spring AOP proxy, so
 * calls from within the same bean are not intercepted).
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
public @interface Cached {

    /**
     * How long the results stay cached, as Spring Boot writes durations ({@code "5m"},
     * {@code "30s"}, {@code "PT1H"}); empty means the table's profile timeout, else
     * {@code cacheops.default-timeout}.
     */
    String timeout() default "";
}
