package dev.cacheops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cacheops.testing.RedisProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.resps.AccessControlLogEntry;

/**
 * The whole behaviour suite, plus function caching, as a Redis ACL user that may run only the
 * commands the library sends and touch only keys under its prefix: the rules are
 * {@link #RULES}, the README's {@code ACL SETUSER} line ("Redis in production: TLS and ACL").
 *
 * <p>After every test the server's {@code ACL LOG} must hold no denial other than
 * {@code CONFIG GET} (left out on purpose: it would show the whole server configuration; the store
 * then only says at INFO that it cannot read {@code maxmemory-policy}), and the store must have
 * counted no error. A last test shows the user really is restricted.
 */
class RedisAclIT extends CachingBehaviour {
    /** The README's rules, with {@code %s} for the key prefix (default {@code cacheops}). */
    static final String RULES = "on >secret resetkeys ~%s:* resetchannels -@all"
            + " +hello +auth +select +ping +info"
            + " +mget +get +set +sadd +smembers +zcard +pttl +pexpire +del +multi +exec"
            + " +evalsha +script|load +time +zadd +zrem +zrangebyscore +zremrangebyscore +hset +hdel +hvals +exists +client|reply";

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

    private Jedis admin() {
        return new Jedis("127.0.0.1", redis.port());
    }

    @Override
    protected Cacheops.Builder store(Cacheops.Builder builder) {
        try (Jedis admin = admin()) {
            admin.aclDelUser("cacheops");
            // The suite's manual-scope test runs a second instance with the prefix + "m".
            String rules = String.format(RULES, prefix) + " ~" + prefix + "m:*";
            admin.aclSetUser("cacheops", rules.split(" "));
            admin.aclLogReset();
        }
        return builder.redis("redis://cacheops:secret@127.0.0.1:" + redis.port());
    }

    @AfterEach
    void noDenialAndNoStoreError() {
        List<String> denied = new ArrayList<>();
        try (Jedis admin = admin()) {
            for (AccessControlLogEntry e : admin.aclLog()) {
                // Refusals the store copes with: CONFIG GET (it reads maxmemory-policy) and Lettuce's
                // CLIENT SETINFO at connect, whose error Lettuce ignores (Redis 7.0 does not know
                // the subcommand and logs nothing; 6.2, the embedded binary, logs CLIENT; 7.2+
                // logs client|setinfo unless the user is allowed it, as the README says).
                if (!Set.of("config|get", "config", "client", "client|setinfo").contains(e.getObject())) {
                    denied.add(e.getReason() + " " + e.getContext() + " " + e.getObject());
                }
            }
            admin.aclLogReset();
        }
        assertThat(denied).as("commands or keys the ACL refused").isEmpty();
        assertThat(cacheops.stats().storeErrors()).as("store errors: %s", cacheops.stats()).isZero();
    }

    @Test
    void functionCachingAndInvalidationWorkAsTheRestrictedUser() {
        int[] computed = {0};
        CachedFunction<Long> count = cacheops.function("count", Long.class)
                .dependsOnQuery("select count(*) from post where category_id = ?")
                .build(args -> {
                    computed[0]++;
                    return (Long) query("select count(*) from post where category_id = ?", args[0]).get(0).get(0);
                });
        assertThat(count.get(5)).isEqualTo(2L);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        int before;
        do {
            before = computed[0];
            count.get(5);
        } while (computed[0] != before && System.nanoTime() < deadline);
        assertThat(computed[0]).as("cached").isEqualTo(before);
        update("insert into post (category_id, title) values (5, 'new')");
        assertThat(count.get(5)).isEqualTo(3L);
        cacheops.invalidateAll();
        assertThat(cacheops.stats().hits()).isPositive();
    }

    @Test
    void aWriteAfterTheScriptsWereFlushedReloadsThemAsTheRestrictedUser() {
        String sql = CachingBehaviour.BY_CATEGORY;
        warm(sql, 5);
        try (Jedis admin = admin()) {
            admin.scriptFlush(); // as after a restart or a failover
        }
        long errors = cacheops.stats().storeErrors();
        update("update post set title = 'after the flush' where id = 1");
        assertThat(query(sql, 5)).isEqualTo(direct(sql, 5));
        assertThat(cacheops.stats().storeErrors()).as("the invalidation was delivered").isEqualTo(errors);
        // and the ACL log stays empty (checked after every test): the script was loaded, not EVALed
    }

    @Test
    void theUserIsRestricted() {
        try (Jedis user = new Jedis("127.0.0.1", redis.port())) {
            user.auth("cacheops", "secret");
            assertThat(user.get(prefix + ":nothing")).isNull();
            assertThatThrownBy(() -> user.keys("*")).isInstanceOf(JedisDataException.class).hasMessageContaining("NOPERM");
            assertThatThrownBy(user::flushAll).isInstanceOf(JedisDataException.class).hasMessageContaining("NOPERM");
            assertThatThrownBy(() -> user.eval("return 1")).isInstanceOf(JedisDataException.class)
                    .hasMessageContaining("NOPERM");
            assertThatThrownBy(() -> user.set("other:key", "v")).isInstanceOf(JedisDataException.class)
                    .hasMessageContaining("NOPERM");
            assertThatThrownBy(() -> user.configGet("maxmemory-policy")).isInstanceOf(JedisDataException.class)
                    .hasMessageContaining("NOPERM");
        }
        try (Jedis admin = admin()) {
            admin.aclLogReset(); // the denials above were the point
        }
    }
}
