package dev.cacheops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheops.testing.RedisProcess;
import java.sql.Connection;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Failure (DESIGN §7) on a Redis this test owns: unreachable, paused past the timeout, killed and
 * restarted empty. The application never sees an exception, every result is correct, and an
 * invalidation missed during the outage replaces the epoch before anything is served again.
 */
class RedisOutageIT extends CachingContract {
    private RedisProcess redis;

    @BeforeAll
    void startRedis() {
        redis = RedisProcess.start();
    }

    @AfterAll
    void stopRedis() {
        redis.close();
    }

    @Override
    protected Cacheops.Builder store(Cacheops.Builder builder) {
        // Short enough that a pause is an outage, long enough that a loaded machine is not one.
        return builder.redis(redis.uri()).redisTimeout(Duration.ofMillis(500));
    }

    @Test
    void unreachableRedisLeavesEverythingWorking() throws Exception {
        try (Cacheops down = Cacheops.builder().redis("redis://127.0.0.1:" + RedisProcess.freePort())
                .redisConnectTimeout(Duration.ofMillis(100)).prefix(prefix)
                .profile("*", Op.ALL, Duration.ofHours(1)).build()) {
            var dds = down.wrap(counting.dataSource());
            String sql = CachingBehaviour.BY_CATEGORY;
            for (int i = 0; i < 3; i++) {
                assertThat(query(dds, sql, 5)).isEqualTo(direct(sql, 5));
            }
            try (Connection c = dds.getConnection()) {
                c.setAutoCommit(false);
                update(c, "update post set category_id = 6 where id = 1");
                assertThat(query(c, sql, 6)).isEqualTo(query(c.unwrap(Connection.class), sql, 6));
                c.commit();
            }
            assertThat(query(dds, sql, 5)).isEqualTo(direct(sql, 5));
            assertThat(down.stats().passThroughs().get(PassReason.STORE_UNAVAILABLE)).isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void invalidationMissedWhilePausedIsNeverServedStale() {
        String sql = CachingBehaviour.BY_CATEGORY;
        warm(sql, 5);
        warm(sql, 6);
        redis.pause();
        try {
            update("update post set title = 'during outage' where id = 1");
            assertThat(query(sql, 5)).isEqualTo(direct(sql, 5));
        } finally {
            redis.resume();
        }
        assertThat(hit(sql, 5)).as("the lost invalidation replaced the epoch").isFalse();
        assertThat(hit(sql, 6)).as("everything cached before the outage is gone").isFalse();
        awaitStored(sql, 5);
        assertThat(cacheops.stats().storeErrors()).isPositive();
    }

    @Test
    void redisRestartedEmptyServesNothingOld() {
        String sql = CachingBehaviour.BY_CATEGORY;
        warm(sql, 5);
        redis.kill();
        update("update post set title = 'while down' where id = 1");
        assertThat(query(sql, 5)).isEqualTo(direct(sql, 5));
        redis.restart();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (cacheops.stats().hits() == 0 && System.nanoTime() < deadline) {
            assertThat(query(sql, 5)).isEqualTo(direct(sql, 5));
            sleep(50);
        }
        assertThat(query(sql, 5)).isEqualTo(direct(sql, 5));
    }

    @Test
    void failWritesModeRefusesAWriteWhoseInvalidationCannotBeDelivered() throws Exception {
        try (Cacheops failing = store(Cacheops.builder()).prefix(prefix + "f")
                .profile("*", Op.ALL, Duration.ofHours(1)).failureMode(FailureMode.FAIL_WRITES).build()) {
            var fds = failing.wrap(counting.dataSource());
            redis.pause();
            try (Connection c = fds.getConnection()) {
                org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> update(c, "update post set title = 'refused' where id = 1"))
                        .hasCauseInstanceOf(java.sql.SQLTransientException.class)
                        .hasMessageContaining("update post");
                c.setAutoCommit(false);
                update(c, "update post set title = 'refused too' where id = 1");
                org.assertj.core.api.Assertions.assertThatThrownBy(c::commit)
                        .isInstanceOf(java.sql.SQLTransientException.class);
            } finally {
                redis.resume();
            }
            assertThat(direct("select title from post where id = 1")).as("nothing was committed")
                    .isEqualTo(java.util.List.of(java.util.List.of("a")));
            try (Connection c = fds.getConnection()) {
                update(c, "update post set title = 'accepted' where id = 1");
            }
            assertThat(direct("select title from post where id = 1")).isEqualTo(java.util.List.of(java.util.List.of("accepted")));
        }
    }

    @Test
    void anIdleInstanceReplacesTheEpochInTheBackgroundSoOthersServeNothingItLost() throws Exception {
        String sql = CachingBehaviour.BY_CATEGORY;
        try (Cacheops writer = store(Cacheops.builder()).prefix(prefix).profile("*", Op.ALL, Duration.ofHours(1)).build()) {
            var wds = writer.wrap(counting.dataSource());
            warm(sql, 5);
            redis.pause();
            try (Connection c = wds.getConnection()) {
                update(c, "update post set title = 'lost' where id = 1");
            } finally {
                redis.resume();
            }
            // The writer stays idle; its background recovery must reach Redis on its own.
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!query(sql, 5).equals(direct(sql, 5)) && System.nanoTime() < deadline) {
                sleep(50);
            }
            assertThat(query(sql, 5)).isEqualTo(direct(sql, 5));
        }
    }

    @Test
    void oversizedResultsStreamThroughAndAreCountedAsNotStorable() {
        try (Cacheops small = store(Cacheops.builder()).prefix(prefix + "s").profile("*", Op.ALL, Duration.ofHours(1))
                .maxRows(2).build()) {
            var sds = small.wrap(counting.dataSource());
            String sql = "select id from post order by id";
            assertThat(query(sds, sql)).isEqualTo(direct(sql));
            sleep(100);
            assertThat(query(sds, sql)).isEqualTo(direct(sql));
            assertThat(counting.count(sql)).isEqualTo(2);
            assertThat(small.stats().passThroughs().get(PassReason.NOT_STORABLE)).isEqualTo(2);
        }
    }
}
