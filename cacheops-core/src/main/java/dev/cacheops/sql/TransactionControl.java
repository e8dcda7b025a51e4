package dev.cacheops.sql;

import java.util.Locale;
import java.util.Set;

/**
 * What a statement sent as SQL text does to the session's transaction: {@code BEGIN}, {@code
 * COMMIT}, {@code ROLLBACK} and their relatives, which a caller on an auto-commit connection may
 * use instead of the JDBC API (DESIGN §6, "Transaction control in SQL"). Read from the text alone,
 * after comments and literals are blanked; a statement this cannot place in a known state is
 * {@link Kind#UNTRACKED}, never guessed. Stateless and thread-safe.
 */
public final class TransactionControl {
    /**
     * The second words after which {@code BEGIN} opens a transaction rather than a block; also
     * {@link OtherStatements#fromText}'s test of a {@code BEGIN} JSqlParser cannot parse.
     */
    static final Set<String> BEGIN_FORMS = Set.of("", "transaction", "work", "isolation", "read",
            "deferrable", "not", "tran");

    /** What a statement does to the transaction. */
    public enum Kind {
        /** Not transaction control. */
        NONE,
        /** {@code BEGIN}, {@code START TRANSACTION} in any form: opens a transaction. */
        BEGIN,
        /** {@code COMMIT}, {@code END}: commits and leaves auto-commit as it was. */
        COMMIT,
        /** {@code COMMIT AND CHAIN}: commits and opens the next transaction at once. */
        COMMIT_AND_CHAIN,
        /** {@code ROLLBACK}, {@code ABORT}: the whole transaction, not to a savepoint. */
        ROLLBACK,
        /** {@code ROLLBACK AND CHAIN}: rolls back and opens the next transaction at once. */
        ROLLBACK_AND_CHAIN,
        /**
         * {@code SAVEPOINT}, {@code RELEASE SAVEPOINT}, {@code ROLLBACK TO SAVEPOINT}: the
         * transaction stays open; what it wrote before stays in its ledger (a rollback to a
         * savepoint keeping the ledger only invalidates more than needed).
         */
        SAVEPOINT,
        /**
         * {@code PREPARE TRANSACTION} (PostgreSQL two-phase commit): the session leaves the
         * transaction, whose rows become visible only at a later {@code COMMIT PREPARED}, from
         * any session.
         */
        PREPARE_TRANSACTION,
        /**
         * {@code COMMIT PREPARED}: makes visible the rows of a prepared transaction this wrapper
         * may never have seen written.
         */
        COMMIT_PREPARED,
        /**
         * Changes the transaction state in a way that is not followed: {@code SET autocommit},
         * MySQL/MariaDB {@code XA} statements. The session's state is unknown from here on.
         */
        UNTRACKED
    }

    /** The second words after which {@code END} commits. */
    private static final Set<String> END_FORMS = Set.of("", "transaction", "work");

    private TransactionControl() {
    }

    /** What {@code sql} (one statement) does to the session's transaction. */
    public static Kind of(String sql) {
        String code = SqlText.of(sql).code.strip().toLowerCase(Locale.ROOT);
        while (code.endsWith(";")) {
            code = code.substring(0, code.length() - 1).strip();
        }
        if (code.indexOf(';') >= 0) {
            // Several statements in one: where the transaction stands between them is not followed.
            for (String part : code.split(";")) {
                if (single(part.strip()) != Kind.NONE) {
                    return Kind.UNTRACKED;
                }
            }
            return Kind.NONE;
        }
        return single(code);
    }

    /** One statement's blanked, lower-case code. */
    private static Kind single(String code) {
        if (code.isEmpty()) {
            return Kind.NONE;
        }
        String[] w = code.split("[\\s(=@]+");
        String first = w[0];
        String second = w.length > 1 ? w[1] : "";
        switch (first) {
            case "begin":
                if (second.equals("not")) {
                    // BEGIN NOT DEFERRABLE, not MariaDB's BEGIN NOT ATOMIC block
                    return w.length > 2 && w[2].equals("deferrable") ? Kind.BEGIN : Kind.NONE;
                }
                return BEGIN_FORMS.contains(second) ? Kind.BEGIN : Kind.NONE;
            case "start":
                return second.equals("transaction") ? Kind.BEGIN : Kind.NONE;
            case "end":
                return END_FORMS.contains(second) ? Kind.COMMIT : Kind.NONE;
            case "commit":
                if (second.equals("prepared")) {
                    return Kind.COMMIT_PREPARED;
                }
                return chained(w) ? Kind.COMMIT_AND_CHAIN : Kind.COMMIT;
            case "rollback":
            case "abort":
                if (second.equals("prepared")) {
                    return Kind.NONE; // a prepared transaction rolled back made nothing visible
                }
                if (has(w, "to")) {
                    return Kind.SAVEPOINT;
                }
                return chained(w) ? Kind.ROLLBACK_AND_CHAIN : Kind.ROLLBACK;
            case "savepoint":
                return Kind.SAVEPOINT;
            case "release":
                return Kind.SAVEPOINT;
            case "prepare":
                return second.equals("transaction") ? Kind.PREPARE_TRANSACTION : Kind.NONE;
            case "xa":
                return Kind.UNTRACKED;
            case "set":
                return code.contains("autocommit") ? Kind.UNTRACKED : Kind.NONE;
            default:
                return Kind.NONE;
        }
    }

    /** {@code ... AND CHAIN}, not {@code AND NO CHAIN}. */
    private static boolean chained(String[] words) {
        for (int i = 0; i + 1 < words.length; i++) {
            if (words[i].equals("and") && words[i + 1].equals("chain")) {
                return true;
            }
        }
        return false;
    }

    private static boolean has(String[] words, String word) {
        for (String w : words) {
            if (w.equals(word)) {
                return true;
            }
        }
        return false;
    }
}
