package dev.cacheops.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheops.bench.fixture.BenchSettings;
import dev.cacheops.bench.fixture.LocalCluster;
import dev.cacheops.bench.oltp.OltpMode;
import dev.cacheops.bench.workload.CacheMode;
import dev.cacheops.testing.TestServices;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Runs every benchmark briefly (JMH without fork, one 100 ms iteration; a few hundred workload
 * operations per mode; the concurrent suite at 1% writes, 0.3 s warm-up and 1 s per cell, about
 * 30 s in all) and writes the report under {@code target/bench-smoke}: it checks the
 * harness (every benchmark's own set-up and tear-down checks, the report, the charts), never the
 * speed. PostgreSQL and Redis are core's test services (the {@code CACHEOPS_TEST_*} variables, the
 * local ports, else embedded servers), handed to the benchmarks as the {@code bench.*} system
 * properties they read, unless those are set already.
 */
class BenchSmokeIT {
    @BeforeAll
    static void servicesAsBenchProperties() {
        if (unset("bench.jdbcUrl")) {
            PGSimpleDataSource pg = (PGSimpleDataSource) TestServices.postgres();
            System.setProperty("bench.user", pg.getUser());
            System.setProperty("bench.password", pg.getPassword() == null ? "" : pg.getPassword());
            System.setProperty("bench.jdbcUrl", pg.getURL());
        }
        if (unset("bench.redis")) {
            System.setProperty("bench.redis", TestServices.redisUri());
        }
    }

    private static boolean unset(String property) {
        String value = System.getProperty(property);
        return value == null || value.isBlank();
    }

    @Test
    @Timeout(value = 600)
    void everyBenchmarkRunsAndTheReportIsWritten() throws Exception {
        Path out = Path.of("target", "bench-smoke");
        long start = System.nanoTime();
        Path report = BenchMain.runAll(BenchSettings.fromSystemProperties(), true, out);
        System.out.println("smoke run took " + Duration.ofNanos(System.nanoTime() - start).toSeconds() + " s");

        String md = Files.readString(report, StandardCharsets.UTF_8);
        assertThat(md).contains("SMOKE RUN", "## Machine", "## Targets", "## Hit path", "## Miss path",
                "## Analyser", "## Writes", "## Invalidation latency", "## Workload", "## Memory in Redis",
                "stamp keys per table", "## Concurrent indexed lookups", "Jedis RedisClient (pooled, blocking) GET",
                "Cacheops Redis hit of the primary-key lookup", "hitNear", "near-cache hit of a 20-row page",
                "PAGE near-cache hit >= 3 x faster than PostgreSQL", "COUNT near-cache hit >= 4 x faster than PostgreSQL",
                "0% writes, 1 threads: Cacheops near cache on Redis >= Hibernate L2 + query cache",
                "direct / near-cache hit", "## Near cache: client-tracking modes", "| BCAST | 2 |", "| DEFAULT | 2 |",
                "## Redis Cluster hit path", "Redis Cluster hit of PK <= 1.1 x raw cluster GET");
        // every target was computed from a measurement (the cluster's only where a cluster can be started)
        boolean clusterPossible = LocalCluster.possible();
        assertThat(clusterPossible ? md : md.lines().filter(l -> !l.contains("Redis Cluster hit of"))
                .collect(java.util.stream.Collectors.joining("\n"))).doesNotContain("NOT MEASURED");
        if (clusterPossible) {
            assertThat(md).containsPattern("\\| Redis Cluster hit of PK <= 1.1 x raw cluster GET of the same bytes \\|"
                    + " [0-9.]+ x");
        }
        assertThat(md).containsPattern("\\*\\*(PASS|MISS)\\*\\*");
        for (CacheMode mode : CacheMode.values()) {
            assertThat(md).contains("| " + mode.label() + " |");
        }
        for (OltpMode mode : OltpMode.values()) {
            assertThat(md).contains("| " + mode.label() + " | 1% | 16 |");
        }
        // correctness is not a matter of load: Cacheops must never serve a stale read
        assertThat(md).containsPattern("\\| stale reads through Cacheops = 0 \\| 0 in [0-9,]+ operations \\| \\*\\*PASS\\*\\* \\|");
        try (var charts = Files.list(out.resolve("bench"))) {
            assertThat(charts.filter(p -> p.toString().endsWith(".png")).count()).isGreaterThanOrEqualTo(4);
        }
        assertThat(Files.size(out.resolve("bench").resolve("latency-4t.png"))).isGreaterThan(1000);
        assertThat(Files.size(out.resolve("bench").resolve("oltp-throughput.png"))).isGreaterThan(1000);
        assertThat(Files.size(out.resolve("bench").resolve("oltp-transport-cpu.png"))).isGreaterThan(1000);
    }
}
