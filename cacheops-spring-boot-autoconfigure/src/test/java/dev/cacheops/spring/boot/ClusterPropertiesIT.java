package dev.cacheops.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheops.Cacheops;
import dev.cacheops.testing.RedisCluster;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * An application configured only by Spring Boot's {@code spring.data.redis.cluster.nodes} caches
 * on that Redis Cluster: a read is served from the cluster, an update through the application
 * invalidates it, and the entry's keys are on the cluster.
 */
class ClusterPropertiesIT {
    private static final TestDatabase DB = new TestDatabase();

    @AfterAll
    static void dropSchema() {
        DB.close();
    }

    @Test
    void springDataRedisClusterNodesSelectTheClusterStore() {
        RedisCluster cluster = RedisCluster.shared();
        String nodes = cluster.uri().substring("redis-cluster://".length());
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(BootApi.DATA_SOURCE_AUTO_CONFIGURATION,
                        CacheopsAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=" + DB.url(), "spring.datasource.username=postgres",
                        "spring.data.redis.cluster.nodes=" + nodes, "cacheops.prefix=" + DB.prefix,
                        "cacheops.profiles.item.ops=all", "cacheops.validate-patterns=false")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    Cacheops cacheops = context.getBean(Cacheops.class);
                    JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
                    jdbc.execute("create table item (id int primary key, name text)");
                    jdbc.update("insert into item values (1, 'one')");
                    String sql = "select name from item where id = 1";
                    assertThat(jdbc.queryForObject(sql, String.class)).isEqualTo("one");
                    long hits = cacheops.stats().hits();
                    assertThat(jdbc.queryForObject(sql, String.class)).isEqualTo("one");
                    assertThat(cacheops.stats().hits()).as("served from the cluster").isEqualTo(hits + 1);
                    jdbc.update("update item set name = 'uno' where id = 1");
                    assertThat(jdbc.queryForObject(sql, String.class)).isEqualTo("uno");
                    long entries = 0;
                    for (int port : cluster.masterPorts()) {
                        try (var node = cluster.node(port)) {
                            entries += node.keys(DB.prefix + ":q:*").size();
                        }
                    }
                    assertThat(entries).as("entries stored on the cluster's masters").isPositive();
                });
    }
}
