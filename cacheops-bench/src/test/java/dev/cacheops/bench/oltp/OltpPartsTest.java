package dev.cacheops.bench.oltp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The concurrent suite's pure parts: the key sampler, the parsing of Redis' INFO, the timed run's edges. */
class OltpPartsTest {
    @Test
    void zipfDrawsStayInRangeAndFavourTheFirstRanks() {
        Zipf zipf = new Zipf(1000, 0.99);
        SplittableRandom rnd = new SplittableRandom(1);
        int[] counts = new int[1001];
        for (int i = 0; i < 100_000; i++) {
            int k = zipf.next(rnd);
            assertThat(k).isBetween(1, 1000);
            counts[k]++;
        }
        assertThat(counts[1]).isGreaterThan(counts[2]).isGreaterThan(counts[100]);
        int top100 = 0;
        for (int k = 1; k <= 100; k++) {
            top100 += counts[k];
        }
        assertThat(top100).isGreaterThan(50_000); // a tenth of the keys takes most draws
    }

    @Test
    void redisInfoSumsCpuAndCountsCallsPerCommand() {
        RedisInfo before = RedisInfo.parse("# CPU\r\nused_cpu_sys:1.500000\r\nused_cpu_user:2.250000\r\n"
                        + "used_cpu_sys_children:9.0\r\n",
                "# Commandstats\r\ncmdstat_get:calls=10,usec=40,usec_per_call=4.00,rejected_calls=0,failed_calls=0\r\n"
                        + "cmdstat_info:calls=3,usec=90,usec_per_call=30.00\r\n");
        RedisInfo after = RedisInfo.parse("used_cpu_sys:2.000000\nused_cpu_user:2.750000\n",
                "cmdstat_get:calls=30,usec=90\ncmdstat_mget:calls=5,usec=20\ncmdstat_info:calls=9,usec=200\n");
        assertThat(before.cpuSeconds()).isEqualTo(3.75);
        assertThat(after.cpuSeconds() - before.cpuSeconds()).isEqualTo(1.0);
        assertThat(after.callsPerOp(before, 10)).containsExactly(
                java.util.Map.entry("get", 2.0), java.util.Map.entry("mget", 0.5));
    }

    @Test
    void aRunCountsOnlyOperationsInsideItsWindowAndWarmsUpAtLeastItsMinimum() throws Exception {
        java.util.concurrent.atomic.AtomicLong steps = new java.util.concurrent.atomic.AtomicLong();
        TimedRun.Window<Long> w = TimedRun.run(2, java.time.Duration.ofMillis(300), java.time.Duration.ZERO,
                java.time.Duration.ofMillis(500), index -> () -> {
                    steps.incrementAndGet();
                    Thread.sleep(1);
                }, steps::get);
        assertThat(w.warmupSeconds()).isBetween(0.3, 5.0);
        assertThat(w.ops()).isPositive();
        // Steps of the warm-up are not counted; a step that ends after the window is neither.
        assertThat(w.ops()).isLessThanOrEqualTo(steps.get() - w.before());
        assertThat(w.seconds()).isEqualTo(0.5);
        assertThat(w.jitMillis()).isNotNegative();
    }

    @Test
    void aSettlingWarmUpEndsWithinItsBound() throws Exception {
        TimedRun.Window<Long> w = TimedRun.run(1, java.time.Duration.ofMillis(100), java.time.Duration.ofSeconds(2),
                java.time.Duration.ofMillis(200), index -> () -> Thread.sleep(1), () -> 0L);
        // Quiet at once (or not): never past the minimum plus the bound and a second's sample.
        assertThat(w.warmupSeconds()).isBetween(0.1, 4.0);
        assertThat(w.ops()).isPositive();
    }
}
