package dev.cacheops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheops.testing.RedisProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * What a user lacking {@code EVALSHA} (the README's rules minus it) gets: reads still hit (they
 * are plain commands), but every invalidation script is refused. Nothing is thrown to the caller,
 * the failure counts as a store error, and no stale result is served: the lost invalidation makes
 * the instance replace the epoch (DESIGN §7), which empties the cache.
 */
class RedisAclWithoutEvalshaIT extends CachingContract {
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
        try (Jedis admin = new Jedis("127.0.0.1", redis.port())) {
            admin.aclDelUser("cacheops");
            admin.aclSetUser("cacheops", String.format(RedisAclIT.RULES, prefix).replace(" +evalsha", "").split(" "));
        }
        return builder.redis("redis://cacheops:secret@127.0.0.1:" + redis.port());
    }

    @Test
    void writesCountAStoreErrorAndNoStaleResultIsServed() {
        String sql = CachingBehaviour.BY_CATEGORY;
        warm(sql, 5);
        long errorsBefore = cacheops.stats().storeErrors();
        update("update post set title = 'changed' where id = 1"); // category 5, nothing thrown
        // hit() compares with the database: the cached result before the write would fail it.
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (cacheops.stats().storeErrors() == errorsBefore && System.nanoTime() < deadline) {
            hit(sql, 5);
            sleep(10);
        }
        assertThat(cacheops.stats().storeErrors()).as("the refused script counted").isGreaterThan(errorsBefore);
        for (int i = 0; i < 20; i++) {
            hit(sql, 5);
        }
    }
}
