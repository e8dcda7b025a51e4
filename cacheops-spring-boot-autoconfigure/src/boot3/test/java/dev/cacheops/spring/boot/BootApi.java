package dev.cacheops.spring.boot;

import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * What the tests use that Boot 3.x names differently from Boot 4.0 (src/boot4 has the other
 * spelling), so that one test suite runs on both.
 */
public final class BootApi {
    /** Boot's data source auto-configuration. */
    public static final Class<?> DATA_SOURCE_AUTO_CONFIGURATION = DataSourceAutoConfiguration.class;

    /** The JPA auto-configurations, for {@code spring.autoconfigure.exclude}. */
    public static final String JPA_AUTO_CONFIGURATIONS = "org.springframework.boot.autoconfigure.orm.jpa.HibernateJpaAutoConfiguration,"
            + "org.springframework.boot.autoconfigure.data.jpa.JpaRepositoriesAutoConfiguration";

    private BootApi() {
    }

    /** The status code ({@code UP}, ...) of a {@code HealthIndicator} bean. */
    public static String status(Object healthIndicator) {
        return ((HealthIndicator) healthIndicator).health().getStatus().getCode();
    }
}
