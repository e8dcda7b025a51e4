package dev.cacheops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheops.testing.TestServices;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The race-free fill (DESIGN §3): a write that commits between a miss fixing its stamps and
 * storing its result makes the store refuse, so the stale result read before the write is never
 * served afterwards.
 */
class RaceFreeFillIT extends CachingContract {
    @Override
    protected Cacheops.Builder store(Cacheops.Builder builder) {
        return builder.redis(TestServices.redisUri());
    }

    @Test
    void writeCommittedWhileAMissIsInFlightIsNeverServedStale() throws Exception {
        String sql = CachingBehaviour.BY_CATEGORY;
        CountDownLatch readDone = new CountDownLatch(1);
        CountDownLatch writeDone = new CountDownLatch(1);
        counting.afterExecute(executed -> {
            if (executed.equals(sql) && readDone.getCount() > 0) {
                readDone.countDown(); // the database has answered with the old rows
                await(writeDone);
            }
        });
        CompletableFuture<List<List<Object>>> reader = CompletableFuture.supplyAsync(() -> query(sql, 5));
        assertThat(readDone.await(10, TimeUnit.SECONDS)).isTrue();
        update("update post set title = 'changed' where id = 1");
        writeDone.countDown();
        List<List<Object>> stale = reader.get(10, TimeUnit.SECONDS);
        counting.afterExecute(s -> { });
        assertThat(stale).as("the in-flight reader saw the old row").contains(List.of(1, "a"));

        sleep(200); // the store is asynchronous
        assertThat(query(sql, 5)).as("no stale entry was served").contains(List.of(1, "changed"));
        // Refused, or (a quiet fill, DESIGN §3) written unchecked under stamps the write has changed
        // since, which the read above shows is never served.
        assertThat(cacheops.stats().stores() + cacheops.stats().storesRefused()).as("%s", cacheops.stats())
                .isGreaterThanOrEqualTo(1);
        awaitStored(sql, 5);
        assertThat(query(sql, 5)).isEqualTo(direct(sql, 5));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void dogPileLockMakesConcurrentMissesReadTheDatabaseOnce() throws Exception {
        String sql = "select count(*) from post where category_id = ? and title <> ?";
        try (Cacheops locking = store(Cacheops.builder()).redisTimeout(java.time.Duration.ofSeconds(2)).prefix(prefix + "l")
                .profile("*", Op.ALL, java.time.Duration.ofHours(1), java.time.Duration.ofSeconds(10)).build()) {
            var lds = locking.wrap(counting.dataSource());
            CountDownLatch go = new CountDownLatch(1);
            counting.afterExecute(executed -> {
                if (executed.equals(sql)) {
                    sleep(300); // a slow query: everyone else arrives while it runs
                }
            });
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(50);
            try {
                List<java.util.concurrent.Future<List<List<Object>>>> results = new java.util.ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    results.add(pool.submit(() -> {
                        go.await();
                        return query(lds, sql, 5, "zz");
                    }));
                }
                go.countDown();
                for (var r : results) {
                    assertThat(r.get(30, TimeUnit.SECONDS)).isEqualTo(direct(sql, 5, "zz"));
                }
            } finally {
                pool.shutdownNow();
                counting.afterExecute(s -> { });
            }
            assertThat(counting.count(sql)).as("one database execution for 50 concurrent misses").isEqualTo(1);
        }
    }
}
