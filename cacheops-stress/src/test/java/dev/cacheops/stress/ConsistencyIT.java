package dev.cacheops.stress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheops.Consistency;
import dev.cacheops.testing.TestServices;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The bounded CI version of the stale-read checker: two JVMs (this one and a forked one), each
 * with its own Cacheops on the shared Redis and prefix, writers and readers on a table of
 * counters. STRICT must show no stale read at all; both modes must leave every cached read equal
 * to the database once the writers stop. RELAXED reports its largest stale window. RELAXED with a
 * near cache on both JVMs measures the cross-JVM staleness window ({@link WindowProbe}) and
 * allows no stale read past the bound. STRICT with a bypassing writer per JVM and the change stream
 * on measures the window of writes made around the cache and allows no stale read past the bound.
 * The long run is {@link StressMain}.
 */
class ConsistencyIT {

    private static StressSettings settings(Consistency mode, Duration duration) {
        return settings(mode, duration, Duration.ofMillis(500));
    }

    private static StressSettings settings(Consistency mode, Duration duration, Duration redisTimeout) {
        PGSimpleDataSource pg = (PGSimpleDataSource) TestServices.postgres();
        String id = TestServices.uniquePrefix().toLowerCase(java.util.Locale.ROOT);
        // Modest thread counts: the machine running CI has two cores and other builds.
        return new StressSettings(pg.getURL(), pg.getUser(), pg.getPassword() == null ? "" : pg.getPassword(), id,
                TestServices.redisUri(), id, mode, 6, 2, 2, 0, duration, redisTimeout, 200_000);
    }

    @Test
    void strictServesNoReadOlderThanAReturnedCommitAcrossThreadsAndJvms() throws Exception {
        StressReport report = new StressRun(settings(Consistency.STRICT, Duration.ofSeconds(40)),
                Path.of("target")).run();
        System.out.print(report.describe());
        assertThat(report.rowsChecked()).as("reads checked").isGreaterThan(1000);
        assertThat(report.commits()).as("commits").isGreaterThan(100);
        assertThat(report.errors()).as("exceptions seen by the application\n" + report.describe()).isZero();
        assertThat(report.finalMismatches()).as("final state\n" + report.describe()).isZero();
        assertThat(report.violations()).as("stale reads\n" + report.describe()).isZero();
    }

    @Test
    void relaxedConvergesAndReportsItsWindow() throws Exception {
        StressReport report = new StressRun(settings(Consistency.RELAXED, Duration.ofSeconds(25)),
                Path.of("target")).run();
        System.out.print(report.describe());
        System.out.printf("RELAXED largest stale window: %.3f ms over %d violations%n",
                report.maxWindowMicros() / 1000.0, report.violations());
        assertThat(report.errors()).as("exceptions seen by the application\n" + report.describe()).isZero();
        assertThat(report.finalMismatches()).as("final state\n" + report.describe()).isZero();
    }

    @Test
    void nearCacheWindowIsMeasuredAndNothingIsStalePastTheBound() throws Exception {
        // A Redis timeout a loaded machine does not reach: an invalidation lost to a timeout leaves the
        // old entry valid in Redis until the epoch is replaced (DEGRADE's documented caveat), which
        // would be counted here as late stale reads though the near cache had nothing to do with it.
        // The bound for "late" is a second here, not the harness's default 50 ms: this test runs
        // inside the whole suite on two cores, where the JVMs are seen stalled for hundreds of
        // milliseconds (the stall meter says so), and then a report is late by as much. It still
        // catches what matters for correctness: a copy that is never dropped, an own write read
        // stale, a version going back. The window itself is measured by the harness command on a
        // quiet machine (docs/CORRECTNESS.md).
        StressSettings s = settings(Consistency.RELAXED, Duration.ofSeconds(25), Duration.ofSeconds(2))
                .withNearCache(16L * 1024 * 1024).withStaleBound(Duration.ofSeconds(1));
        StressReport report = new StressRun(s, Path.of("target")).run();
        System.out.print(report.describe());
        NearWindows near = report.near();
        assertThat(near).as("window measurements\n" + report.describe()).isNotNull();
        System.out.printf("near cache: cross-JVM window p50 %d us, p99 %d us, max %d us over %d commits"
                        + " (lower bound p50 %d us, p99 %d us, max %d us)%n",
                near.cross().percentile(0.5), near.cross().percentile(0.99), near.cross().max(), near.cross().count(),
                near.crossSeen().percentile(0.5), near.crossSeen().percentile(0.99), near.crossSeen().max());
        assertThat(report.errors()).as("exceptions seen by the application\n" + report.describe()).isZero();
        assertThat(report.finalMismatches()).as("final state\n" + report.describe()).isZero();
        assertThat(report.storeErrors()).as("store errors (lost invalidations)\n" + report.describe()).isZero();
        assertThat(near.cross().count()).as("commits of the other JVM judged").isGreaterThan(100);
        assertThat(report.lateStale()).as("ticketed reads stale past the bound\n" + report.describe()).isZero();
        assertThat(near.crossLate()).as("commits read stale past the bound\n" + report.describe()).isZero();
        assertThat(near.ownStale()).as("own commits read stale\n" + report.describe()).isZero();
        assertThat(near.regressions()).as("versions read going back\n" + report.describe()).isZero();
    }

    @Test
    void bypassingWritesAreInvalidatedByTheChangeStreamAndNothingIsStalePastTheBound() throws Exception {
        // STRICT for the wrapped writers, whose guarantee must hold beside the stream; one more
        // writer per JVM commits around the cache, and the change stream (one JVM holds the slot)
        // invalidates what it wrote. The bound is 5 s inside the suite: on two loaded cores the
        // JVMs stall for half a second and the window reached 1.3 s (docs/CORRECTNESS.md); what
        // this catches is an invalidation never made or a stale copy that outlives it. The window
        // itself is measured by StressMain --bypass.
        StressSettings s = settings(Consistency.STRICT, Duration.ofSeconds(25), Duration.ofSeconds(2))
                .withBypass(true).withStaleBound(Duration.ofSeconds(5));
        StressReport report = new StressRun(s, Path.of("target")).run();
        System.out.print(report.describe());
        NearWindows w = report.near();
        assertThat(w).as("window measurements\n" + report.describe()).isNotNull();
        System.out.printf("change stream: window of bypassing commits p50 %d us, p99 %d us, max %d us over %d commits%n",
                w.cross().percentile(0.5), w.cross().percentile(0.99), w.cross().max(), w.cross().count());
        assertThat(report.errors()).as("exceptions seen by the application\n" + report.describe()).isZero();
        assertThat(report.finalMismatches()).as("final state\n" + report.describe()).isZero();
        assertThat(report.violations()).as("stale reads of rows written through the cache\n" + report.describe())
                .isZero();
        assertThat(w.cross().count()).as("bypassing commits judged").isGreaterThan(100);
        assertThat(report.lateStale()).as("ticketed reads stale past the bound\n" + report.describe()).isZero();
        assertThat(w.crossLate()).as("bypassing commits read stale past the bound\n" + report.describe()).isZero();
    }
}
