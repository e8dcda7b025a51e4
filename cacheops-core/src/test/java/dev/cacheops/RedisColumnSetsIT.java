package dev.cacheops;

import dev.cacheops.testing.TestServices;

/** Column-aware invalidation on Redis (against the real PostgreSQL and Redis). */
class RedisColumnSetsIT extends ColumnSetBehaviour {
    @Override
    protected Cacheops.Builder store(Cacheops.Builder builder) {
        return builder.redis(TestServices.redisUri());
    }
}
