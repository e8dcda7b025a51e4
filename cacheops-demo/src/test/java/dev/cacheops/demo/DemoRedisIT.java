package dev.cacheops.demo;

import dev.cacheops.testing.TestServices;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The demo on embedded H2 with Redis: the one {@link TestServices} finds ({@code
 * CACHEOPS_TEST_REDIS_URI}, else 127.0.0.1:6379, else the embedded Redis). Not skipped when Redis
 * is missing: with no store every read passes through, and the hit assertion fails and says so.
 */
class DemoRedisIT extends DemoContract {

    @Override
    List<String> storeOptions() {
        String uri = TestServices.redisUri();
        // a prefix of its own: the Redis is shared with other tests and programs
        return List.of("--redis", uri, "--prefix", "cacheops-demo-it-" + UUID.randomUUID().toString().substring(0, 8));
    }

    @Test
    void runsCorrectlyAndSavesStatementsOnRedis() {
        runsCorrectlyAndSavesStatements();
    }
}
