package dev.cacheops.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A Redis that does not answer: reads still work (from PostgreSQL), {@code cacheops.degraded}
 * reads 1 and the health indicator says {@code degraded} but stays {@code UP}.
 */
class DegradedStoreIT {
    private static final TestDatabase DB = new TestDatabase();

    @AfterAll
    static void dropSchema() {
        DB.close();
    }

    @Test
    void anUnreachableStoreIsReportedDegradedNeverDown() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(BootApi.DATA_SOURCE_AUTO_CONFIGURATION,
                        CacheopsMetricsAutoConfiguration.class, CacheopsAutoConfiguration.class,
                        CacheopsActuatorAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=" + DB.url(), "spring.datasource.username=postgres",
                        "cacheops.prefix=" + DB.prefix, "cacheops.redis.url=redis://127.0.0.1:" + closedPort,
                        "cacheops.redis.connect-timeout=100ms", "cacheops.redis.timeout=50ms",
                        "cacheops.profiles.item.ops=all", "management.endpoints.web.exposure.include=cacheops",
                        // item is created below, after start-up
                        "cacheops.validate-patterns=false")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    MeterRegistry registry = new SimpleMeterRegistry();
                    context.getBean(CacheopsMeters.class).bindTo(registry);
                    JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
                    jdbc.execute("create table item (id int primary key, name text)");
                    jdbc.update("insert into item values (1, 'one')");
                    for (int i = 0; i < 3; i++) {
                        assertThat(jdbc.queryForObject("select name from item where id = 1", String.class))
                                .isEqualTo("one");
                    }
                    assertThat(registry.get("cacheops.store.errors").functionCounter().count()).isPositive();
                    assertThat(registry.get("cacheops.degraded").gauge().value()).isEqualTo(1.0);
                    assertThat(registry.find("cacheops.store.latency").tag("outcome", "error").timers())
                            .as("failed store calls are timed too").isNotEmpty();
                    var health = context.getBean(CacheopsHealthIndicator.class).health();
                    assertThat(health.getStatus().getCode()).isEqualTo("UP");
                    assertThat(health.getDetails()).containsEntry("degraded", true).containsEntry("store", "redis");
                    assertThat(context.getBean(CacheopsEndpoint.class).report().get("store").toString()).contains("degraded=true");
                });
    }
}
