package dev.cacheops.stress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheops.Consistency;
import dev.cacheops.testing.RedisCluster;
import dev.cacheops.testing.TestServices;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The stale-read checker of {@link ConsistencyIT} (two JVMs, writers and readers on a table of
 * counters) on a Redis Cluster of its own (3 masters, 3 replicas): STRICT shows no stale read,
 * and every cached read equals the database once the writers stop.
 */
class ClusterConsistencyIT {
    private static RedisCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = RedisCluster.start(3, 1);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void strictServesNoReadOlderThanAReturnedCommitAcrossJvmsOnACluster() throws Exception {
        PGSimpleDataSource pg = (PGSimpleDataSource) TestServices.postgres();
        String id = TestServices.uniquePrefix().toLowerCase(java.util.Locale.ROOT);
        StressSettings settings = new StressSettings(pg.getURL(), pg.getUser(),
                pg.getPassword() == null ? "" : pg.getPassword(), id, cluster.uri(), id, Consistency.STRICT,
                6, 2, 2, 0, Duration.ofSeconds(20), Duration.ofMillis(500), 200_000);
        StressReport report = new StressRun(settings, Path.of("target")).run();
        System.out.print(report.describe());
        assertThat(report.rowsChecked()).as("reads checked").isGreaterThan(1000);
        assertThat(report.commits()).as("commits").isGreaterThan(100);
        assertThat(report.errors()).as("exceptions seen by the application\n" + report.describe()).isZero();
        assertThat(report.finalMismatches()).as("final state\n" + report.describe()).isZero();
        assertThat(report.violations()).as("stale reads\n" + report.describe()).isZero();
    }
}
