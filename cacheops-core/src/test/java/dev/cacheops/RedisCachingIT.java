package dev.cacheops;

import dev.cacheops.testing.TestServices;

/** The behaviour suite on Redis (against the real PostgreSQL and Redis). */
class RedisCachingIT extends CachingBehaviour {
    @Override
    protected Cacheops.Builder store(Cacheops.Builder builder) {
        return builder.redis(TestServices.redisUri());
    }
}
