package dev.cacheops;

/** Column-aware invalidation on the in-process store (against the real PostgreSQL). */
class LocalColumnSetsIT extends ColumnSetBehaviour {
    @Override
    protected Cacheops.Builder store(Cacheops.Builder builder) {
        return builder.inMemory();
    }
}
