package dev.cacheops.spring.boot;

import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * What the tests use that Boot 4.x names differently from Boot 3.5 (src/boot3 has the other
 * spelling), so that one test suite runs on both.
 */
public final class BootApi {
    /** Boot's data source auto-configuration. */
    public static final Class<?> DATA_SOURCE_AUTO_CONFIGURATION = DataSourceAutoConfiguration.class;

    /** The JPA auto-configurations, for {@code spring.autoconfigure.exclude}. */
    public static final String JPA_AUTO_CONFIGURATIONS = "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration,"
            + "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration";

    private BootApi() {
    }

    /** The status code ({@code UP}, ...) of a {@code HealthIndicator} bean. */
    public static String status(Object healthIndicator) {
        return ((HealthIndicator) healthIndicator).health().getStatus().getCode();
    }
}
