package dev.cacheops.sql;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Classifies a statement that was not parsed (too long, too deep, or beyond JSqlParser) from its
 * text alone. It only decides whether the statement may write: anything not plainly a query is
 * assumed to write, because under-invalidation serves stale data while over-invalidation only
 * costs cache hits.
 */
final class UnparsedStatement {
    private static final Set<String> READ_ONLY_START = Set.of("select", "values", "show", "table");
    private static final Pattern LOCKING_TAIL = Pattern.compile(
            "(?is).*\\bfor\\s+(update|share|no\\s+key\\s+update|key\\s+share)\\b.*");

    private UnparsedStatement() {
    }

    static Analysis classify(String reason, SqlText text) {
        boolean mayWrite = mayWrite(text);
        if (!mayWrite && LOCKING_TAIL.matcher(text.code).matches()) {
            return new Analysis.UncacheableRead("locking read: " + reason);
        }
        return new Analysis.NotUnderstood(reason, mayWrite);
    }

    static boolean mayWrite(SqlText text) {
        String first = text.firstWord();
        if (READ_ONLY_START.contains(first)) {
            return writesInside(text);
        }
        if (first.equals("with")) {
            return writesInside(text);
        }
        if (first.equals("explain")) {
            return text.containsWord("analyze") || text.containsWord("analyse");
        }
        return true;
    }

    /** A query can still write through a data-modifying CTE or subquery. */
    private static boolean writesInside(SqlText text) {
        for (String word : new String[] {"insert", "update", "delete", "merge", "upsert"}) {
            if (word.equals("update") ? hasWriteUpdate(text) : text.containsWord(word)) {
                return true;
            }
        }
        return false;
    }

    /** "update" outside "for update" / "no key update" locking clauses. */
    private static boolean hasWriteUpdate(SqlText text) {
        String stripped = text.code.replaceAll("(?i)\\bfor\\s+(no\\s+key\\s+)?update\\b", " ")
                .replaceAll("(?i)\\bkey\\s+update\\b", " ");
        return Pattern.compile("(?i)\\bupdate\\b").matcher(stripped).find();
    }
}
