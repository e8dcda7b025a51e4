package dev.cacheops.checker;

import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites a statement into another spelling that means the same to the database: upper-case
 * keywords and identifiers (string literals untouched), or table names as quoted identifiers in
 * the case the database folds them to ({@code "post"} on PostgreSQL, {@code "POST"} on H2). The
 * cache must name a table the same way whichever spelling reads or writes it. Stateless.
 */
final class Spelling {
    private static final Pattern TABLE = Pattern.compile(
            "\\b(from|join|into|update|table)\\s+(category|author|post_tag|post|tag)\\b");

    private Spelling() {
    }

    /** The statement, usually unchanged, sometimes in another spelling. */
    static String vary(String sql, Dialect dialect, Random random) {
        int r = random.nextInt(10);
        if (r == 0) {
            return upperOutsideQuotes(sql);
        }
        if (r == 1) {
            Matcher m = TABLE.matcher(sql);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                String name = dialect == Dialect.H2 ? m.group(2).toUpperCase(Locale.ROOT) : m.group(2);
                m.appendReplacement(sb, m.group(1) + " \"" + name + "\"");
            }
            m.appendTail(sb);
            return sb.toString();
        }
        return sql;
    }

    static String upperOutsideQuotes(String sql) {
        StringBuilder sb = new StringBuilder(sql.length());
        boolean quoted = false;
        for (char c : sql.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
            }
            sb.append(quoted ? c : Character.toUpperCase(c));
        }
        return sb.toString();
    }
}
