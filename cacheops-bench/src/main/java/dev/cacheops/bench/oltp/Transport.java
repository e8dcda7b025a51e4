package dev.cacheops.bench.oltp;

/** What one raw hit can cost: the transports the comparison measures, each reading a 1 KB value. */
public enum Transport {
    /** {@code select v from oltp_blob where id = ?} with pgjdbc, one connection per thread. */
    POSTGRES_PK("PostgreSQL primary-key lookup (pgjdbc, one connection per thread)"),
    /** Lettuce's synchronous {@code GET} on one connection shared by all threads (as Cacheops uses it). */
    LETTUCE_SHARED("Lettuce sync GET, one shared connection"),
    /** Lettuce's synchronous {@code GET}, one connection per thread. */
    LETTUCE_PER_THREAD("Lettuce sync GET, one connection per thread"),
    /** Jedis' pooled, blocking {@code RedisClient} {@code GET}. */
    JEDIS_POOLED("Jedis RedisClient (pooled, blocking) GET"),
    /** The same primary-key lookup through Cacheops on Redis, every call a hit. */
    CACHEOPS_REDIS_HIT("Cacheops Redis hit of the primary-key lookup");

    private final String label;

    Transport(String label) {
        this.label = label;
    }

    /** A human-readable name for tables and charts. */
    public String label() {
        return label;
    }
}
