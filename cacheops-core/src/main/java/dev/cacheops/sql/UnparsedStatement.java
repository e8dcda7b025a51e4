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

    /** A table name as written: optionally qualified, each part plain or double-quoted. */
    private static final String NAME = "((?:\"(?:[^\"]|\"\")+\"|`[^`]+`|[A-Za-z_][\\w$]*)"
            + "(?:\\s*\\.\\s*(?:\"(?:[^\"]|\"\")+\"|`[^`]+`|[A-Za-z_][\\w$]*)){0,2})";
    // No ';' before the end: a second statement must never hide behind a recognised first one.
    private static final Pattern CURRENT_OF = Pattern.compile(
            "(?is)\\s*(update|delete\\s+from)\\s+(?:only\\s+)?" + NAME + "\\s[^;]*\\bwhere\\s+current\\s+of\\s+"
            + "[A-Za-z_\"][^;]*;?\\s*");
    private static final Pattern DROP_TABLES = Pattern.compile(
            "(?is)\\s*drop\\s+table\\s+(?:if\\s+exists\\s+)?(" + NAME.substring(1, NAME.length() - 1)
            + "(?:\\s*,\\s*" + NAME.substring(1, NAME.length() - 1) + ")*)\\s*(?:cascade|restrict)?\\s*;?\\s*");

    static Analysis classify(String reason, SqlText text) {
        return classify(reason, null, text);
    }

    /**
     * @param sql the original text, for the few writes JSqlParser cannot parse but whose table is
     *            plain to see ({@code WHERE CURRENT OF}, {@code DROP TABLE a, b}); null to skip them
     */
    static Analysis classify(String reason, String sql, SqlText text) {
        if (sql != null) {
            Analysis write = knownWrite(sql, text);
            if (write != null) {
                return write;
            }
        }
        boolean mayWrite = mayWrite(text);
        if (!mayWrite && LOCKING_TAIL.matcher(text.code).matches()) {
            return new Analysis.UncacheableRead("locking read: " + reason);
        }
        return new Analysis.NotUnderstood(reason, mayWrite);
    }

    /** The head of a plain single-table write; the rest is checked on the blanked code. */
    private static final Pattern SIMPLE_WRITE = Pattern.compile(
            "(?is)\\s*(insert\\s+into|update|delete\\s+from)\\s+(?:only\\s+)?" + NAME + "(?:\\s.*|\\(.*|)");
    /** Words that would let a write touch or read another table than the one in its head. */
    private static final java.util.Set<String> NOT_SIMPLE = java.util.Set.of(
            "select", "with", "from", "using", "join", "merge", "delete", "insert", "into", "call", "exec",
            "execute", "table", "returning", "output");

    /**
     * A plain {@code INSERT INTO t ...}, {@code UPDATE t ...} or {@code DELETE FROM t ...} that
     * names no other table (no subquery, FROM, USING, JOIN, CTE, second statement): a whole-table
     * write on {@code t}, which beats assuming a write to everything. Bulk statements over the
     * token guard land here.
     */
    private static Analysis simpleWrite(String sql, SqlText text) {
        var m = SIMPLE_WRITE.matcher(sql);
        if (!m.matches()) {
            return null;
        }
        // the code has the same positions as the text; after the head, its own INTO/FROM/UPDATE
        // are behind us
        String rest = text.code.substring(m.end(2)).strip();
        while (rest.endsWith(";")) {
            rest = rest.substring(0, rest.length() - 1).strip();
        }
        if (rest.indexOf(';') >= 0) {
            return null;
        }
        String verb = m.group(1).toLowerCase(java.util.Locale.ROOT);
        var words = Pattern.compile("[A-Za-z_]+").matcher(rest);
        String previous = "";
        boolean upsert = false;
        while (words.find()) {
            String w = words.group().toLowerCase(java.util.Locale.ROOT);
            if (NOT_SIMPLE.contains(w)) {
                return null;
            }
            if (w.equals("update") && !(verb.startsWith("insert") && (previous.equals("do") || previous.equals("key")))) {
                return null;
            }
            upsert |= w.equals("conflict") || w.equals("duplicate");
            previous = w;
        }
        Analysis.WriteKind kind = verb.startsWith("insert")
                ? (upsert ? Analysis.WriteKind.UPSERT : Analysis.WriteKind.INSERT)
                : verb.equals("update") ? Analysis.WriteKind.UPDATE : Analysis.WriteKind.DELETE;
        return WriteAnalyzer.wholeTable(kind, java.util.List.of(tableName(m.group(2))),
                "not parsed: " + verb + " recognised from the text", false, java.util.List.of());
    }

    private static Analysis knownWrite(String sql, SqlText text) {
        Analysis simple = simpleWrite(sql, text);
        if (simple != null) {
            return simple;
        }
        var m = CURRENT_OF.matcher(sql);
        if (m.matches()) {
            boolean update = m.group(1).toLowerCase(java.util.Locale.ROOT).startsWith("update");
            return WriteAnalyzer.wholeTable(update ? Analysis.WriteKind.UPDATE : Analysis.WriteKind.DELETE,
                    java.util.List.of(tableName(m.group(2))), "where current of", false, java.util.List.of());
        }
        m = DROP_TABLES.matcher(sql);
        if (m.matches()) {
            java.util.List<TableName> tables = new java.util.ArrayList<>();
            var name = Pattern.compile(NAME).matcher(m.group(1));
            while (name.find()) {
                tables.add(tableName(name.group(1)));
            }
            return WriteAnalyzer.wholeTable(Analysis.WriteKind.DDL, tables, "ddl", false, java.util.List.of());
        }
        return null;
    }

    /** Splits {@code a.b.c} on dots outside quotes and normalises each part. */
    private static TableName tableName(String written) {
        java.util.List<String> parts = new java.util.ArrayList<>();
        var part = Pattern.compile("\"(?:[^\"]|\"\")+\"|`[^`]+`|[A-Za-z_][\\w$]*").matcher(written);
        while (part.find()) {
            parts.add(Identifiers.normalize(part.group()));
        }
        String name = parts.get(parts.size() - 1);
        return parts.size() == 1 ? TableName.of(name)
                : new TableName(String.join(".", parts.subList(0, parts.size() - 1)), name);
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
