package dev.cacheops.spring.boot;

import dev.cacheops.testing.TestServices;
import dev.cacheops.testing.TestServices.SchemaDataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * One fresh PostgreSQL schema (from {@link TestServices}) and a unique Redis prefix per test
 * class, registered as Spring Boot properties. The schema is dropped by {@link #close()}; nothing
 * else in the database or in Redis is ever touched.
 */
final class TestDatabase implements AutoCloseable {
    final SchemaDataSource schema = TestServices.freshPostgresSchema();
    final String prefix = TestServices.uniquePrefix();

    /** {@code spring.datasource.*} for the schema, {@code cacheops.redis.url} and a unique prefix. */
    void register(DynamicPropertyRegistry registry, boolean redis) {
        PGSimpleDataSource pg = (PGSimpleDataSource) schema.dataSource();
        registry.add("spring.datasource.url", () -> url());
        registry.add("spring.datasource.username", pg::getUser);
        registry.add("spring.datasource.password", () -> pg.getPassword() == null ? "" : pg.getPassword());
        registry.add("cacheops.prefix", () -> prefix);
        if (redis) {
            registry.add("cacheops.redis.url", TestServices::redisUri);
        }
    }

    /** The JDBC URL with the schema as search path. */
    String url() {
        PGSimpleDataSource pg = (PGSimpleDataSource) schema.dataSource();
        String base = ((PGSimpleDataSource) TestServices.postgres()).getURL();
        return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + pg.getCurrentSchema();
    }

    @Override
    public void close() {
        schema.close();
    }
}
