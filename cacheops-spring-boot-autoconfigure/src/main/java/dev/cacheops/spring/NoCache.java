package dev.cacheops.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Reads the method makes on its thread go to the database, never to the cache, like
 * {@link dev.cacheops.Cacheops#nocache(java.util.function.Supplier)} around its body (cacheops'
 * {@code .nocache()}). Writes still invalidate. On a class or interface, applies to each method;
 * on a method it wins over a {@link Cached} on its class. Works through a Spring AOP proxy, so
 * calls from within the same bean are not intercepted.
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
public @interface NoCache {
}
