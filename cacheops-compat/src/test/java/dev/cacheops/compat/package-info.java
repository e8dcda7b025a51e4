/**
 * The compatibility suite: each {@code *IT} runs one data-access framework (Hibernate ORM, Spring JDBC,
 * jOOQ, plain JDBC; Spring JDBC on MariaDB too) unchanged over HikariCP wrapped by Cacheops, and checks
 * that repeated reads are served from the cache, equal what the same code reads over the raw pool, and
 * are invalidated by the framework's own writes. {@code CompatFixture} and {@code BlogFixture} hold the
 * shared set-up.
 */
package dev.cacheops.compat;
