package dev.cacheops.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.cacheops.Cacheops;
import io.micrometer.core.instrument.MeterRegistry;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Boot's own HikariCP data source, wrapped: the bean is no longer a {@code HikariDataSource}, the
 * pool stays reachable through {@code unwrap}, and Boot's pool metrics and {@code db} health
 * keep working. With {@code cacheops.enabled=false} the pool is left as it is.
 */
@SpringBootTest(classes = DataSourceWrappingIT.App.class, properties = {
        "spring.autoconfigure.exclude=" + BootApi.JPA_AUTO_CONFIGURATIONS})
class DataSourceWrappingIT {
    private static final TestDatabase DB = new TestDatabase();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        DB.register(registry, true);
    }

    @AfterAll
    static void dropSchema() {
        DB.close();
    }

    @Autowired
    ApplicationContext context;

    @Autowired
    DataSource dataSource;

    @Test
    void thePoolStaysUnderneathAndReachable() throws Exception {
        assertThat(dataSource).isNotInstanceOf(HikariDataSource.class);
        assertThat(dataSource.isWrapperFor(HikariDataSource.class)).isTrue();
        HikariDataSource pool = dataSource.unwrap(HikariDataSource.class);
        assertThat(pool.getJdbcUrl()).isEqualTo(DB.url());
        assertThat(new JdbcTemplate(dataSource).queryForObject("select 41 + 1", Integer.class)).isEqualTo(42);
        assertThat(context.getBeansOfType(Cacheops.class)).hasSize(1);
    }

    @Test
    void bootsHikariMetricsAndHealthStillWork() {
        new JdbcTemplate(dataSource).queryForObject("select 1", Integer.class);
        MeterRegistry registry = context.getBean(MeterRegistry.class);
        assertThat(registry.find("hikaricp.connections").gauge()).isNotNull();
        assertThat(registry.find("jdbc.connections.max").gauge()).isNotNull();
        assertThat(BootApi.status(context.getBean("dbHealthContributor"))).isEqualTo("UP");
    }

    @Test
    void disabledLeavesTheDataSourceUnwrapped() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(BootApi.DATA_SOURCE_AUTO_CONFIGURATION, CacheopsAutoConfiguration.class))
                .withPropertyValues("cacheops.enabled=false", "spring.datasource.url=" + DB.url(),
                        "spring.datasource.username=postgres")
                .run(c -> {
                    assertThat(c).hasNotFailed().doesNotHaveBean(Cacheops.class);
                    assertThat(c.getBean(DataSource.class)).isInstanceOf(HikariDataSource.class);
                });
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
    }
}
