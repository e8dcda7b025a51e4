package dev.cacheops;

import dev.cacheops.testing.RedisCluster;

/** The transaction suite on a 3-master, 3-replica Redis Cluster ({@link RedisCluster#shared()}). */
class RedisClusterTransactionsIT extends TransactionBehaviour {
    @Override
    protected Cacheops.Builder store(Cacheops.Builder builder) {
        return builder.redis(RedisCluster.shared().uri());
    }
}
