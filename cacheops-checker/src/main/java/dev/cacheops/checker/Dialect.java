package dev.cacheops.checker;

/**
 * The SQL differences between the databases the checker runs on. Immutable.
 */
public enum Dialect {
    /** PostgreSQL 12+. */
    POSTGRES,
    /** H2 2.x in its default (regular) mode. */
    H2;

    /** The type of a text column without a length. */
    String textType() {
        return this == POSTGRES ? "text" : "varchar(2000)";
    }

    /** Makes a blocked write fail quickly instead of waiting for a lock the same thread holds. */
    String lockTimeoutStatement(int millis) {
        return this == POSTGRES ? "set lock_timeout = " + millis : "set lock_timeout " + millis;
    }

    /**
     * Whether a lock wait on a transaction that has rolled back to a savepoint spins instead of
     * waiting (H2 2.3-2.5: {@code Transaction.waitForThisToEnd} returns at once when the blocker
     * has a rollback in its log, so {@code TransactionMap.set} retries in a busy loop that ignores
     * the lock timeout until the blocker ends). The checker runs both connections on one thread,
     * so such a wait never ends.
     */
    boolean spinsOnLocksAfterRollbackToSavepoint() {
        return this == H2;
    }

    /** Whether an error inside a transaction aborts it (PostgreSQL) or only fails the statement. */
    boolean errorAbortsTransaction() {
        return this == POSTGRES;
    }

    /** A literal of type timestamp with time zone. */
    String timestampTzLiteral(String text) {
        return "timestamp with time zone '" + text + "'";
    }
}
