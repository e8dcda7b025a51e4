/**
 * Spring Boot auto-configuration of Cacheops: the {@code cacheops.*} properties, the
 * {@link dev.cacheops.Cacheops} bean, the data source wrapping, Micrometer meters, the Actuator
 * endpoint and health indicator. Only the auto-configuration classes, the properties and the
 * endpoint types are public.
 */
package dev.cacheops.spring.boot;
