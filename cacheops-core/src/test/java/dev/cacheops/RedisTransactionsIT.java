package dev.cacheops;

import dev.cacheops.testing.TestServices;

/** Transactions on Redis. */
class RedisTransactionsIT extends TransactionBehaviour {
    @Override
    protected Cacheops.Builder store(Cacheops.Builder builder) {
        return builder.redis(TestServices.redisUri());
    }
}
