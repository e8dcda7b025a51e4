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

    /** Whether an error inside a transaction aborts it (PostgreSQL) or only fails the statement. */
    boolean errorAbortsTransaction() {
        return this == POSTGRES;
    }

    /** A literal of type timestamp with time zone. */
    String timestampTzLiteral(String text) {
        return "timestamp with time zone '" + text + "'";
    }
}
