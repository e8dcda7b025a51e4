package dev.cacheops;

/** Rows of a result answering lookups by key, on the in-process store (against the real PostgreSQL). */
class LocalRowsFromResultsIT extends RowsFromResultsBehaviour {
    @Override
    protected Cacheops.Builder store(Cacheops.Builder builder) {
        return builder.inMemory();
    }
}
