/**
 * The example application: a small blog on Spring Boot, Spring Data JPA and the Cacheops starter,
 * with a live dashboard at {@code /cacheops} fed by the {@code cacheops} Actuator endpoint.
 */
package dev.cacheops.example;
