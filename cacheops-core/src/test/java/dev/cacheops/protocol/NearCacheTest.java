package dev.cacheops.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The near cache's bookkeeping, without a store: marks, reports, flushes, bounds. */
class NearCacheTest {
    private static final long LATER = System.currentTimeMillis() + 60_000;

    private final NearCache near = new NearCache(1 << 20);

    @Test
    void servesNothingUntilWatching() {
        assertThat(near.mark()).isNegative();
        put("q:1", List.of("epoch", "conj:a"), 0);
        assertThat(near.get("q:1")).isNull();
        near.watching();
        put("q:1", List.of("epoch", "conj:a"), near.mark());
        assertThat(near.get("q:1")).isNotNull();
    }

    @Test
    void aReportedChangeDropsExactlyTheEntriesThatDependOnTheKey() {
        near.watching();
        put("q:1", List.of("epoch", "conj:a"), near.mark());
        put("q:2", List.of("epoch", "conj:b"), near.mark());
        near.changed(List.of("conj:a"));
        assertThat(near.get("q:1")).isNull();
        assertThat(near.get("q:2")).isNotNull();
        near.changed(List.of("epoch"));
        assertThat(near.get("q:2")).isNull();
        assertThat(near.dropped()).isEqualTo(2);
    }

    @Test
    void anEntryValidatedBeforeAChangeItMissedIsNotKept() {
        near.watching();
        long mark = near.mark();
        // The change is reported while the reader's answer is on its way: nothing to drop yet.
        near.changed(List.of("conj:a"));
        put("q:1", List.of("epoch", "conj:a"), mark);
        assertThat(near.get("q:1")).as("validated against a stamp reported changed after the mark").isNull();
        put("q:2", List.of("epoch", "conj:b"), mark);
        assertThat(near.get("q:2")).as("an unrelated change does not refuse it").isNotNull();
        put("q:1", List.of("epoch", "conj:a"), near.mark());
        assertThat(near.get("q:1")).as("validated after the change").isNotNull();
    }

    @Test
    void marksFromBeforeALossOrFlushAreRefused() {
        near.watching();
        long mark = near.mark();
        near.lost();
        near.watching();
        put("q:1", List.of("epoch"), mark);
        assertThat(near.get("q:1")).isNull();
        long mark2 = near.mark();
        near.flush();
        put("q:1", List.of("epoch"), mark2);
        assertThat(near.get("q:1")).isNull();
    }

    @Test
    void aLostWatchForgetsEverythingAtOnce() {
        near.watching();
        put("q:1", List.of("epoch"), near.mark());
        near.lost();
        assertThat(near.get("q:1")).isNull();
        near.watching();
        assertThat(near.get("q:1")).as("not back after reconnecting").isNull();
    }

    @Test
    void replacingAnEntryKeepsTheNewOneIndexed() {
        near.watching();
        put("q:1", List.of("epoch", "conj:a"), near.mark());
        put("q:1", List.of("epoch", "conj:a"), near.mark());
        near.changed(List.of("conj:a"));
        assertThat(near.get("q:1")).isNull();
    }

    @Test
    void expiredEntriesAreNotServed() {
        near.watching();
        near.put("q:1", List.of("epoch"), List.of("epoch"), List.of(bytes("1")), bytes("p"),
                System.currentTimeMillis() - 1, near.mark());
        assertThat(near.get("q:1")).isNull();
    }

    @Test
    void theBoundEvictsAndTheIndexForgetsTheEvicted() {
        NearCache small = new NearCache(64 * 1024);
        small.watching();
        for (int i = 0; i < 1_000; i++) {
            small.put("q:" + i, List.of("epoch", "conj:" + i), List.of("epoch", "conj:" + i),
                    List.of(bytes("1"), bytes("2")), new byte[512], LATER, small.mark());
        }
        small.get("q:0");
        assertThat(small.weight()).isLessThanOrEqualTo(64 * 1024);
        small.changed(List.of("epoch"));
        assertThat(small.size()).isZero();
    }

    @Test
    void aDecodedPayloadStaysWithItsCopyAndLeavesWithIt() {
        near.watching();
        put("q:1", List.of("epoch", "conj:a"), near.mark());
        NearCache.Near first = near.get("q:1");
        assertThat(first.decoded()).isNull();
        Object decoded = new Object();
        first.keepDecoded(decoded);
        assertThat(near.get("q:1").decoded()).as("the next hit of the same copy").isSameAs(decoded);
        near.changed(List.of("conj:a"));
        put("q:1", List.of("epoch", "conj:a"), near.mark());
        assertThat(near.get("q:1").decoded()).as("a copy validated anew is decoded anew").isNull();
    }

    @Test
    void putAnswersTheCopyItKeptOrNull() {
        near.watching();
        long mark = near.mark();
        NearCache.Near kept = near.put("q:1", List.of("conj:a"), List.of("conj:a"), List.of(bytes("1")),
                bytes("payload"), LATER, mark);
        assertThat(kept).isSameAs(near.get("q:1"));
        near.changed(List.of("conj:b"));
        assertThat(near.put("q:2", List.of("conj:b"), List.of("conj:b"), List.of(bytes("1")), bytes("payload"),
                LATER, mark)).as("refused: changed after the mark").isNull();
    }

    @Test
    void theBoundCountsTheDecodedFormTooSoKeepingItCannotOvershoot() {
        NearCache small = new NearCache(64 * 1024);
        small.watching();
        for (int i = 0; i < 1_000; i++) {
            small.put("q:" + i, List.of("conj:" + i), List.of("conj:" + i), List.of(bytes("1")), new byte[512],
                    LATER, small.mark());
        }
        small.get("q:0");
        // 512 payload bytes count six times over (bytes and decoded form): at most 64 KiB / 3 KiB copies fit.
        assertThat(small.size()).isLessThanOrEqualTo(21);
    }

    @Test
    void aReportRacingAPutNeverLeavesTheCopyBehind() throws Exception {
        near.watching();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 5_000; i++) {
                String stamp = "conj:" + i;
                String key = "q:" + i;
                long mark = near.mark();
                java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
                var report = pool.submit(() -> {
                    go.await();
                    near.changed(List.of(stamp));
                    return null;
                });
                var keep = pool.submit(() -> {
                    go.await();
                    put(key, List.of("epoch", stamp), mark);
                    return null;
                });
                go.countDown();
                report.get();
                keep.get();
                assertThat(near.get(key)).as("round %d: validated before a change it did not see", i).isNull();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aCopyKeptWhileAReportIsHandledIsStillDroppedByTheNextReport() throws Exception {
        near.watching();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 5_000; i++) {
                String stamp = "conj:" + i;
                String key = "q:" + i;
                java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
                var report = pool.submit(() -> {
                    go.await();
                    near.changed(List.of(stamp));
                    return null;
                });
                var keep = pool.submit(() -> {
                    go.await();
                    // Validated at whatever point the report has reached: maybe after it.
                    put(key, List.of("epoch", stamp), near.mark());
                    return null;
                });
                go.countDown();
                report.get();
                keep.get();
                near.changed(List.of(stamp));
                assertThat(near.get(key)).as("round %d: a copy no report can reach", i).isNull();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void put(String key, List<String> stampKeys, long mark) {
        near.put(key, stampKeys, stampKeys, stampKeys.stream().map(NearCacheTest::bytes).toList(), bytes("payload"),
                LATER, mark);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
