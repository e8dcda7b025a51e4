package dev.cacheops;

import dev.cacheops.testing.TestServices;

/**
 * The whole behaviour suite with a near cache in front of Redis (relaxed consistency): every
 * read the suite repeats after a write through this instance must see the write, which holds
 * only if the writer's near cache has heard of its own invalidation before the write returned.
 */
class NearCacheCachingIT extends CachingBehaviour {
    @Override
    protected Cacheops.Builder store(Cacheops.Builder builder) {
        return builder.redis(TestServices.redisUri()).consistency(Consistency.RELAXED).nearCache(8 << 20);
    }
}
