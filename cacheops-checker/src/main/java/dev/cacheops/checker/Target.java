package dev.cacheops.checker;

/**
 * Which database and which store a run uses. Immutable.
 *
 * @param dialect the database
 * @param store   the cache store
 */
public record Target(Dialect dialect, StoreKind store) {
    /** The cache store. */
    public enum StoreKind {
        /** Redis via Lettuce, with a unique key prefix. */
        REDIS,
        /** The in-process store ({@code Cacheops.builder().inMemory()}). */
        LOCAL
    }

    @Override
    public String toString() {
        return dialect.name().toLowerCase() + "/" + store.name().toLowerCase();
    }
}
