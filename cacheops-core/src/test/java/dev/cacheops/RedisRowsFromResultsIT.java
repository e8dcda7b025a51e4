package dev.cacheops;

import dev.cacheops.testing.TestServices;

/** Rows of a result answering lookups by key, on Redis (against the real PostgreSQL and Redis). */
class RedisRowsFromResultsIT extends RowsFromResultsBehaviour {
    @Override
    protected Cacheops.Builder store(Cacheops.Builder builder) {
        return builder.redis(TestServices.redisUri());
    }
}
