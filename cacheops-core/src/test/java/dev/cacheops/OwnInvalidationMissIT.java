package dev.cacheops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheops.testing.RedisProcess;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * The miss after this instance's own invalidation (issue 10, DESIGN §3, "Own invalidations"): a
 * lookup whose stamps this JVM deleted since its last fetch is fetched by the creating
 * {@code MULTI} at once, one round trip with no plain {@code MGET} before it, while a lookup left
 * untouched is still a plain {@code MGET} hit, and another instance's invalidation, which this
 * JVM does not see, is still read correctly. Against a Redis of its own, so that its command
 * counts ({@code INFO commandstats}) are this test's alone.
 */
class OwnInvalidationMissIT extends CachingContract {
    private static final String SQL = CachingBehaviour.BY_CATEGORY;
    private RedisProcess redis;

    @BeforeAll
    void startRedis() {
        redis = RedisProcess.start();
    }

    @AfterAll
    void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @Override
    protected Cacheops.Builder store(Cacheops.Builder builder) {
        // Relaxed: the release is the commit's own, awaited, so nothing is in flight when counting.
        return builder.redis(redis.uri()).consistency(Consistency.RELAXED);
    }

    @Test
    void theFirstReadAfterAnOwnUpdateIsOneCreatingFetchWithoutAPlainMgetFirst() {
        warm(SQL, 5);
        update("update post set title = ? where id = 1", "after the update");

        Map<String, Long> before = commandCalls();
        int dbBefore = counting.count(SQL);
        List<List<Object>> read = query(SQL, 5);
        Map<String, Long> after = commandCalls();

        assertThat(read).isEqualTo(direct(SQL, 5));
        assertThat(read.get(0).get(1)).isEqualTo("after the update");
        assertThat(counting.count(SQL) - dbBefore).as("a miss").isEqualTo(1);
        assertThat(delta(before, after, "multi")).as("one creating fetch").isEqualTo(1);
        assertThat(delta(before, after, "mget")).as("the MULTI's own MGET, no plain MGET before it").isEqualTo(1);
        awaitStored(SQL, 5);
    }

    @Test
    void inStrictModeTooOnceTheUnawaitedReleaseHasLanded() {
        try (Cacheops strict = configure(Cacheops.builder()).consistency(Consistency.STRICT).build()) {
            var sds = strict.wrap(counting.dataSource());
            query(sds, SQL, 5);
            long deadline = System.nanoTime() + 5_000_000_000L;
            int db = counting.count(SQL);
            while (true) {
                query(sds, SQL, 5);
                if (counting.count(SQL) == db) {
                    break;
                }
                db = counting.count(SQL);
                assertThat(System.nanoTime()).as("stored").isLessThan(deadline);
                sleep(5);
            }
            update(sds, "update post set title = ? where id = 1", "strict update");
            // The release is not awaited by the commit; let it land so the read goes over the pool.
            sleep(300);

            Map<String, Long> before = commandCalls();
            List<List<Object>> read = query(sds, SQL, 5);
            Map<String, Long> after = commandCalls();
            assertThat(read).isEqualTo(direct(SQL, 5));
            assertThat(delta(before, after, "multi")).isEqualTo(1);
            assertThat(delta(before, after, "mget")).isEqualTo(1);
        }
    }

    @Test
    void aLookupTheUpdateDidNotTouchIsStillAPlainMgetHit() {
        warm(SQL, 5);
        warm(SQL, 6);
        update("update post set title = ? where id = 1", "after the update");

        Map<String, Long> before = commandCalls();
        assertThat(hit(SQL, 6)).as("category 6 does not read post 1").isTrue();
        Map<String, Long> after = commandCalls();
        assertThat(delta(before, after, "mget")).isEqualTo(1);
        assertThat(delta(before, after, "multi")).isZero();
        assertThat(delta(before, after, "evalsha")).isZero();
    }

    @Test
    void onceRefetchedTheLookupIsAPlainMgetHitAgain() {
        warm(SQL, 5);
        update("update post set title = ? where id = 1", "after the update");
        awaitStored(SQL, 5);

        Map<String, Long> before = commandCalls();
        assertThat(hit(SQL, 5)).isTrue();
        Map<String, Long> after = commandCalls();
        assertThat(delta(before, after, "mget")).isEqualTo(1);
        assertThat(delta(before, after, "multi")).isZero();
    }

    @Test
    void aManualWholeTableInvalidationAlsoSkipsThePlainMget() {
        warm(SQL, 5);
        cacheops.invalidateTable("post");

        Map<String, Long> before = commandCalls();
        assertThat(hit(SQL, 5)).isFalse();
        Map<String, Long> after = commandCalls();
        assertThat(delta(before, after, "multi")).isEqualTo(1);
        assertThat(delta(before, after, "mget")).isEqualTo(1);
    }

    @Test
    void invalidateAllAlsoSkipsThePlainMget() {
        warm(SQL, 5);
        cacheops.invalidateAll();

        Map<String, Long> before = commandCalls();
        assertThat(hit(SQL, 5)).isFalse();
        Map<String, Long> after = commandCalls();
        assertThat(delta(before, after, "multi")).isEqualTo(1);
        assertThat(delta(before, after, "mget")).isEqualTo(1);
    }

    @Test
    void anotherInstancesUpdateIsStillReadCorrectlyThroughThePlainMgetFirst() {
        try (Cacheops other = configure(Cacheops.builder()).build()) {
            var ods = other.wrap(counting.dataSource());
            warm(SQL, 5);
            update(ods, "update post set title = ? where id = 1", "changed elsewhere");

            Map<String, Long> before = commandCalls();
            List<List<Object>> read = query(SQL, 5);
            Map<String, Long> after = commandCalls();

            assertThat(read).isEqualTo(direct(SQL, 5));
            assertThat(read.get(0).get(1)).isEqualTo("changed elsewhere");
            // Not seen here: the plain MGET finds the stamp missing, then the creating MULTI (two).
            assertThat(delta(before, after, "mget")).isEqualTo(2);
            assertThat(delta(before, after, "multi")).isEqualTo(1);
            awaitStored(SQL, 5);
        }
    }

    private static void update(javax.sql.DataSource ds, String sql, Object... params) {
        try (var c = ds.getConnection()) {
            update(c, sql, params);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static long delta(Map<String, Long> before, Map<String, Long> after, String command) {
        return after.getOrDefault(command, 0L) - before.getOrDefault(command, 0L);
    }

    private Map<String, Long> commandCalls() {
        Map<String, Long> calls = new TreeMap<>();
        try (Jedis admin = new Jedis("127.0.0.1", redis.port())) {
            for (String line : admin.info("commandstats").split("\r?\n")) {
                if (line.startsWith("cmdstat_")) {
                    String name = line.substring("cmdstat_".length(), line.indexOf(':'));
                    String stats = line.substring(line.indexOf(':') + 1);
                    String calls0 = stats.substring("calls=".length(), stats.indexOf(','));
                    calls.put(name, Long.parseLong(calls0));
                }
            }
        }
        return calls;
    }
}
