package dev.cacheops.jdbc;

import java.sql.Connection;
import java.util.regex.Pattern;

/**
 * What a statement the cache does not otherwise handle does to the connection's isolation level
 * as the wrapper knows it (DESIGN §6). Only ever stricter through SQL: a statement that names
 * {@code REPEATABLE READ} or {@code SERIALIZABLE} raises the level (PostgreSQL's {@code SET
 * TRANSACTION} lasts one transaction, MariaDB's one transaction too, {@code SET SESSION
 * CHARACTERISTICS} and {@code SET SESSION tx_isolation} the session: keeping the stricter level
 * after the transaction only costs hits); one that names {@code READ COMMITTED} or {@code READ
 * UNCOMMITTED} leaves it as it was; any other statement that mentions isolation ({@code SET
 * default_transaction_isolation TO DEFAULT}, {@code RESET transaction_isolation}, a variable)
 * makes it {@link #UNKNOWN}, which the connection treats as the strictest; {@code SHOW} and
 * {@code SELECT} only ask. Stateless.
 */
final class IsolationSetting {
    /** The level cannot be told from the statements seen: treated as stricter than SERIALIZABLE. */
    static final int UNKNOWN = -1;

    private static final Pattern MENTIONS = Pattern.compile("isolation", Pattern.CASE_INSENSITIVE);
    /** Statements that only ask: {@code SHOW TRANSACTION ISOLATION LEVEL}, {@code SELECT @@tx_isolation}. */
    private static final Pattern ASKS = Pattern.compile("^\\s*(show|select)\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern SERIALIZABLE = Pattern.compile("\\bserializable\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern REPEATABLE = Pattern.compile("\\brepeatable[\\s_-]+read\\b",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern WEAKER = Pattern.compile("\\bread[\\s_-]+(un)?committed\\b",
            Pattern.CASE_INSENSITIVE);

    private IsolationSetting() {
    }

    /**
     * The level after {@code sql} ran on a connection at {@code current}.
     *
     * @param current a {@link Connection} {@code TRANSACTION_*} constant or {@link #UNKNOWN}
     */
    static int after(int current, String sql) {
        if (!MENTIONS.matcher(sql).find() || ASKS.matcher(sql).find()) {
            return current;
        }
        if (SERIALIZABLE.matcher(sql).find()) {
            return stricter(current, Connection.TRANSACTION_SERIALIZABLE);
        }
        if (REPEATABLE.matcher(sql).find()) {
            return stricter(current, Connection.TRANSACTION_REPEATABLE_READ);
        }
        if (WEAKER.matcher(sql).find()) {
            return current;
        }
        return UNKNOWN;
    }

    /** The stricter of two levels, {@link #UNKNOWN} the strictest. */
    private static int stricter(int a, int b) {
        return rank(a) >= rank(b) ? a : b;
    }

    private static int rank(int level) {
        return switch (level) {
            case UNKNOWN -> Integer.MAX_VALUE;
            case Connection.TRANSACTION_SERIALIZABLE -> 3;
            case Connection.TRANSACTION_REPEATABLE_READ -> 2;
            default -> 1;
        };
    }
}
