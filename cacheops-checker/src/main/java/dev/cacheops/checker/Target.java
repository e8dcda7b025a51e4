package dev.cacheops.checker;

/**
 * Which database and which store a run uses. Immutable.
 *
 * @param dialect      the database
 * @param store        the cache store
 * @param changeStream the Cacheops consumes PostgreSQL's change stream, and some auto-commit
 *                     writes of the workload go around the cache ({@link Workload#bypassing});
 *                     after each, the comparison waits until the stream has invalidated it
 *                     (PostgreSQL and Redis only)
 */
public record Target(Dialect dialect, StoreKind store, boolean changeStream) {
    /** The cache store. */
    public enum StoreKind {
        /** Redis via Lettuce, with a unique key prefix. */
        REDIS,
        /** The in-process store ({@code Cacheops.builder().inMemory()}). */
        LOCAL
    }

    public Target {
        if (changeStream && (dialect != Dialect.POSTGRES || store != StoreKind.REDIS)) {
            throw new IllegalArgumentException("the change stream needs POSTGRES and REDIS, was " + dialect + "/" + store);
        }
    }

    /** A target without the change stream. */
    public Target(Dialect dialect, StoreKind store) {
        this(dialect, store, false);
    }

    @Override
    public String toString() {
        return dialect.name().toLowerCase() + "/" + store.name().toLowerCase() + (changeStream ? "+stream" : "");
    }
}
