package dev.cacheops.checker;

import dev.cacheops.testing.TestServices;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Points the checker's {@link Services} at the PostgreSQL and Redis that core's test
 * {@link TestServices} finds (the environment, the local ports, else embedded servers), through the
 * system properties {@code Services} reads first. So the checker's tests need no PostgreSQL or Redis
 * installed, while the checker's own code keeps no dependency on the embedded servers. A property
 * already set (say with {@code -Dcacheops.test.pg.url=...}) is left alone. Register with
 * {@code @ExtendWith(TestServicesProperties.class)} on the tests that use PostgreSQL or Redis; the
 * services start once per test JVM.
 */
final class TestServicesProperties implements BeforeAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
        install();
    }

    /** Sets the properties now (idempotent). */
    static synchronized void install() {
        if (unset(Services.PG_URL)) {
            PGSimpleDataSource pg = (PGSimpleDataSource) TestServices.postgres();
            System.setProperty(Services.PG_USER, pg.getUser());
            System.setProperty(Services.PG_PASSWORD, pg.getPassword() == null ? "" : pg.getPassword());
            System.setProperty(Services.PG_URL, pg.getURL());
        }
        if (unset(Services.REDIS_URI)) {
            System.setProperty(Services.REDIS_URI, TestServices.redisUri());
        }
    }

    private static boolean unset(String property) {
        String value = System.getProperty(property);
        return value == null || value.isBlank();
    }
}
