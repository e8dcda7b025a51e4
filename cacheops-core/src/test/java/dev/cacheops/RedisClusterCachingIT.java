package dev.cacheops;

import dev.cacheops.testing.RedisCluster;

/**
 * The behaviour suite on a 3-master, 3-replica Redis Cluster ({@link RedisCluster#shared()}),
 * configured by its {@code redis-cluster://} URI, against the real PostgreSQL.
 */
class RedisClusterCachingIT extends CachingBehaviour {
    @Override
    protected Cacheops.Builder store(Cacheops.Builder builder) {
        return builder.redis(RedisCluster.shared().uri());
    }
}
