package dev.cacheops;

/** Why a read went to the database without being cached. */
public enum PassReason {
    /** The analysis did not understand the statement (parse error, too long, too deep, ...). */
    NOT_UNDERSTOOD,
    /** A read that must never be cached: locking read, volatile function, {@code SELECT INTO}, no table. */
    UNCACHEABLE,
    /** No profile enables this kind of read for its first table, and no manual scope asked for it. */
    NOT_ENABLED,
    /** A table the statement reads is disabled. */
    DISABLED,
    /** A table could not be resolved in the catalog, or is a view, a temporary table or a system table. */
    UNKNOWN_TABLE,
    /** The transaction has written; its reads see uncommitted state. */
    DIRTY_TRANSACTION,
    /** {@code REPEATABLE READ} or {@code SERIALIZABLE} isolation. */
    ISOLATION,
    /** A {@code nocache} scope or comment. */
    NOCACHE,
    /** Result-set options the cache does not replay (updatable, scroll-sensitive, cursor names). */
    RESULT_SET_OPTIONS,
    /** The connection's session state changed in a way the cache key does not capture. */
    SESSION_STATE,
    /**
     * A miss whose result exceeded the row or byte limit, or had a column type the codec cannot
     * keep: it streamed through unstored (the read also counts as a miss).
     */
    NOT_STORABLE,
    /** The store did not answer; served from the database. */
    STORE_UNAVAILABLE,
    /** A writer was committing a change to a table the read depends on. */
    WRITE_IN_PROGRESS
}
