package dev.cacheops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cacheops.testing.TestServices;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Function caching (cacheops' {@code @cached} / {@code @cached_as}) on Redis and PostgreSQL:
 * invalidation by samples and by captured dependencies, by time, by hand; race-free storing; sharing
 * between instances; the dog-pile lock.
 */
class FunctionCachingIT extends CachingContract {
    private final AtomicInteger computed = new AtomicInteger();

    @BeforeEach
    void resetCount() {
        computed.set(0);
    }

    @Override
    protected Cacheops.Builder store(Cacheops.Builder builder) {
        return builder.redis(TestServices.redisUri());
    }

    /** Titles of a category's posts, computed through the wrapped data source. */
    private List<String> titles(int category) {
        computed.incrementAndGet();
        List<String> out = new ArrayList<>();
        for (List<Object> row : query("select title from post where category_id = ? order by id", category)) {
            out.add((String) row.get(0));
        }
        return out;
    }

    private <T> void awaitCached(CachedFunction<T> f, Object... args) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            int before = computed.get();
            f.get(args);
            if (computed.get() == before) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never cached");
            }
            sleep(5);
        }
    }

    private boolean recomputes(CachedFunction<?> f, Object... args) {
        int before = computed.get();
        f.get(args);
        return computed.get() != before;
    }

    @Test
    void samplesInvalidateLikeTheirQuery() {
        CachedFunction<List<String>> f = cacheops.function("titles", new TypeRef<List<String>>() { })
                .dependsOnQuery("select title from post where category_id = ?")
                .build(args -> titles((Integer) args[0]));
        assertThat(f.get(5)).containsExactly("a", "b");
        awaitCached(f, 5);
        awaitCached(f, 6);
        update("update post set title = 'x' where id = 3"); // category 6
        assertThat(recomputes(f, 5)).isFalse();
        assertThat(recomputes(f, 6)).isTrue();
        update("update post set title = 'y' where id = 1"); // category 5
        assertThat(f.get(5)).containsExactly("y", "b");
    }

    @Test
    void capturedDependenciesInvalidateLikeTheQueriesRun() {
        CachedFunction<List<String>> f = cacheops.function("titles-captured", new TypeRef<List<String>>() { })
                .captureDependencies()
                .build(args -> titles((Integer) args[0]));
        f.get(5);
        awaitCached(f, 5);
        awaitCached(f, 6);
        update("update post set title = 'x' where id = 3"); // category 6
        assertThat(recomputes(f, 5)).isFalse();
        assertThat(recomputes(f, 6)).isTrue();
        update("update post set title = 'y' where id = 1");
        assertThat(f.get(5)).containsExactly("y", "b");
    }

    @Test
    void aRecordingSpansAComputationTheCallerRunsItself() {
        CachedFunction<List<String>> f = cacheops.function("titles-recorded", new TypeRef<List<String>>() { })
                .captureDependencies()
                .build(args -> titles((Integer) args[0]));
        assertThat(f.peek(5)).isEmpty();
        CachedFunction.Recording<List<String>> r = f.record(5);
        List<String> value = titles(5);
        r.store(value);
        r.store(List.of("ignored")); // closing twice does nothing
        sleep(50);
        assertThat(f.peek(5)).contains(value);
        update("update post set title = 'x' where id = 3"); // category 6
        assertThat(f.peek(5)).contains(value);
        update("update post set title = 'z' where id = 1"); // category 5
        assertThat(f.peek(5)).isEmpty();

        f.record(5).abandon();
        assertThat(f.peek(5)).isEmpty();
        CachedFunction<Integer> timed = cacheops.function("timed", Integer.class).build(() -> 1);
        assertThatThrownBy(() -> timed.peek()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aFunctionThatWritesIsNotCached() {
        CachedFunction<Integer> f = cacheops.function("writer", Integer.class).captureDependencies()
                .build(() -> {
                    computed.incrementAndGet();
                    return update("update post set title = title where id = 4");
                });
        f.get();
        sleep(50);
        assertThat(recomputes(f)).isTrue();
    }

    @Test
    void rowAndTableSamples() {
        CachedFunction<Integer> byRow = cacheops.function("row", Integer.class)
                .dependsOnRow("post", Map.of("category_id", 5)).build(() -> computed.incrementAndGet());
        CachedFunction<Integer> byTable = cacheops.function("table", Integer.class)
                .dependsOnTable("category").build(() -> computed.incrementAndGet());
        awaitCached(byRow);
        awaitCached(byTable);
        update("update post set title = 'q' where id = 3"); // category 6
        assertThat(recomputes(byRow)).isFalse();
        assertThat(recomputes(byTable)).isFalse();
        update("update category set title = 'q' where id = 7");
        assertThat(recomputes(byTable)).isTrue();
        update("update post set title = 'q' where id = 2"); // category 5
        assertThat(recomputes(byRow)).isTrue();
    }

    @Test
    void timeBasedExpiryExplicitInvalidationAndSet() {
        CachedFunction<Integer> f = cacheops.function("timed", Integer.class).timeout(Duration.ofMillis(400))
                .build(args -> computed.incrementAndGet() * 0 + (Integer) args[0] * 2);
        assertThat(f.get(21)).isEqualTo(42);
        awaitCached(f, 21);
        f.invalidate(21);
        assertThat(recomputes(f, 21)).isTrue();
        awaitCached(f, 21);
        sleep(700);
        assertThat(recomputes(f, 21)).as("expired").isTrue();
        f.set(7, 1);
        sleep(50);
        assertThat(f.get(1)).isEqualTo(7);
        assertThat(cacheops.cached("one-off", Duration.ofMinutes(1), String.class, () -> "v")).isEqualTo("v");
    }

    @Test
    void aWriteDuringTheComputationPreventsStoringItsResult() throws Exception {
        CountDownLatch read = new CountDownLatch(1);
        CountDownLatch written = new CountDownLatch(1);
        CachedFunction<List<String>> f = cacheops.function("slow", new TypeRef<List<String>>() { })
                .captureDependencies()
                .build(args -> {
                    List<String> t = titles(5);
                    read.countDown();
                    try {
                        written.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return t;
                });
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<List<String>> stale = pool.submit(() -> f.get());
            assertThat(read.await(10, TimeUnit.SECONDS)).isTrue();
            update("update post set title = 'during' where id = 1");
            written.countDown();
            assertThat(stale.get(10, TimeUnit.SECONDS)).containsExactly("a", "b");
        } finally {
            pool.shutdownNow();
        }
        sleep(100);
        CachedFunction<List<String>> again = cacheops.function("slow", new TypeRef<List<String>>() { })
                .captureDependencies().build(args -> titles(5));
        assertThat(again.get()).as("the stale result was not stored").containsExactly("during", "b");
    }

    @Test
    void twoInstancesShareEntries() {
        CachedFunction<Integer> f = cacheops.function("shared", Integer.class).build(() -> computed.incrementAndGet());
        f.get();
        awaitCached(f);
        // What f has cached now: awaitCached may have computed again before the first store landed.
        int cached = f.get();
        try (Cacheops other = configure(Cacheops.builder()).build()) {
            CachedFunction<Integer> g = other.function("shared", Integer.class).build(() -> -1);
            assertThat(g.get()).isEqualTo(cached);
        }
    }

    @Test
    void dogPileLockComputesOnceForConcurrentMisses() throws Exception {
        CachedFunction<Integer> f = cacheops.function("pile", Integer.class).lock(Duration.ofSeconds(5))
                .build(() -> {
                    sleep(300);
                    return computed.incrementAndGet();
                });
        ExecutorService pool = Executors.newFixedThreadPool(50);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return f.get();
                }));
            }
            start.countDown();
            for (Future<Integer> r : results) {
                assertThat(r.get(30, TimeUnit.SECONDS)).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(computed.get()).isEqualTo(1);
    }

    @Test
    void argumentsThatCannotBeKeyedAreRefused() {
        CachedFunction<Integer> f = cacheops.function("bad-args", Integer.class).build(args -> 1);
        assertThatThrownBy(() -> f.get(new Object())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot be keyed stably");
        assertThat(f.get(List.of(1, 2), Map.of("a", 1))).isEqualTo(1);
    }
}
