package dev.cacheops.demo;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The demo on embedded H2 with Redis: {@code CACHEOPS_TEST_REDIS_URI}, else 127.0.0.1:6379. Not
 * skipped when Redis is missing: with no store every read passes through, and the hit assertion
 * fails and says so.
 */
class DemoRedisIT extends DemoContract {

    @Override
    List<String> storeOptions() {
        String uri = System.getenv().getOrDefault("CACHEOPS_TEST_REDIS_URI", "redis://127.0.0.1:6379");
        // a prefix of its own: the Redis is shared with other tests and programs
        return List.of("--redis", uri, "--prefix", "cacheops-demo-it-" + UUID.randomUUID().toString().substring(0, 8));
    }

    @Test
    void runsCorrectlyAndSavesStatementsOnRedis() {
        runsCorrectlyAndSavesStatements();
    }
}
