package dev.cacheops;

/** The behaviour suite on the in-process store (against the real PostgreSQL). */
class LocalCachingIT extends CachingBehaviour {
    @Override
    protected Cacheops.Builder store(Cacheops.Builder builder) {
        return builder.inMemory();
    }
}
