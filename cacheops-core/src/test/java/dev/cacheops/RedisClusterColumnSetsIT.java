package dev.cacheops;

import dev.cacheops.testing.RedisCluster;

/** Column-aware invalidation on a Redis Cluster ({@link RedisCluster#shared()}), against the real PostgreSQL. */
class RedisClusterColumnSetsIT extends ColumnSetBehaviour {
    @Override
    protected Cacheops.Builder store(Cacheops.Builder builder) {
        return builder.redis(RedisCluster.shared().uri());
    }
}
