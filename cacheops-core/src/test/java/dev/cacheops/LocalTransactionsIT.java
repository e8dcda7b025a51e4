package dev.cacheops;

/** Transactions on the in-process store. */
class LocalTransactionsIT extends TransactionBehaviour {
    @Override
    protected Cacheops.Builder store(Cacheops.Builder builder) {
        return builder.inMemory();
    }
}
