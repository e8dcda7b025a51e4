package dev.cacheops.sql;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A cheap lexical view of statement text, computed in one linear pass without the parser: the text
 * with string literals, quoted identifiers and comments blanked out, so that brackets, {@code ?}
 * markers and keywords can be counted safely. The guard and the fallback for unparsable statements
 * rely on it, so it must never be slow or deep whatever the input.
 */
final class SqlText {
    private static final Pattern WORD = Pattern.compile("[A-Za-z_][A-Za-z_0-9$]*");

    /** The code with literals, quoted identifiers and comments replaced by spaces; same length. */
    final String code;
    /** The deepest bracket nesting seen ({@code (} and {@code [}). */
    final int maxDepth;
    /** The number of tokens (words, numbers, literals, operator characters), which parsing time follows. */
    final int tokens;
    /** True when every bracket is closed by the matching kind and no literal or comment is left open. */
    final boolean balanced;

    private SqlText(String code, int maxDepth, boolean balanced, int tokens) {
        this.code = code;
        this.tokens = tokens;
        this.maxDepth = maxDepth;
        this.balanced = balanced;
    }

    static SqlText of(String sql) {
        int n = sql.length();
        char[] out = new char[n];
        int depth = 0;
        int max = 0;
        boolean balanced = true;
        int tokens = 0;
        boolean inWord = false;
        // A small stack of open bracket kinds; the guard rejects deep input before it matters,
        // but the scan itself must stay flat, so it grows in a plain array.
        char[] open = new char[16];
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            int end;
            if (c == '\'') {
                end = skipQuoted(sql, i, '\'');
            } else if (c == '"' || c == '`') {
                end = skipQuoted(sql, i, c);
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                end = sql.indexOf('\n', i);
                end = end < 0 ? n : end;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                end = skipBlockComment(sql, i);
            } else if (c == '$' && skipDollarQuoted(sql, i) > i) {
                end = skipDollarQuoted(sql, i);
            } else {
                end = -1;
            }
            if (end >= 0) {
                inWord = false;
                if (c == '\'' || c == '"' || c == '`' || c == '$') {
                    tokens++; // a literal or quoted identifier is one token, however long
                }
                if (end > n) { // unterminated literal or comment
                    balanced = false;
                    end = n;
                }
                for (int k = i; k < end; k++) {
                    out[k] = ' ';
                }
                i = end;
                continue;
            }
            out[i] = c;
            boolean wordChar = Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '$';
            if (wordChar ? !inWord : !Character.isWhitespace(c)) {
                tokens++;
            }
            inWord = wordChar;
            if (c == '(' || c == '[') {
                if (depth == open.length) {
                    char[] bigger = new char[open.length * 2];
                    System.arraycopy(open, 0, bigger, 0, open.length);
                    open = bigger;
                }
                open[depth++] = c;
                max = Math.max(max, depth);
            } else if (c == ')' || c == ']') {
                if (depth == 0 || open[depth - 1] != (c == ')' ? '(' : '[')) {
                    balanced = false;
                } else {
                    depth--;
                }
            }
            i++;
        }
        return new SqlText(new String(out), max, balanced && depth == 0, tokens);
    }

    /** The index after the closing quote; doubled quotes stay inside. Past the end if unterminated. */
    private static int skipQuoted(String s, int start, char quote) {
        int i = start + 1;
        while (i < s.length()) {
            if (s.charAt(i) == quote) {
                if (i + 1 < s.length() && s.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return s.length() + 1;
    }

    private static int skipBlockComment(String s, int start) {
        int nesting = 0; // PostgreSQL nests block comments
        int i = start;
        while (i + 1 < s.length()) {
            if (s.charAt(i) == '/' && s.charAt(i + 1) == '*') {
                nesting++;
                i += 2;
            } else if (s.charAt(i) == '*' && s.charAt(i + 1) == '/') {
                nesting--;
                i += 2;
                if (nesting == 0) {
                    return i;
                }
            } else {
                i++;
            }
        }
        return s.length() + 1;
    }

    /** PostgreSQL dollar quoting ({@code $$...$$}, {@code $tag$...$tag$}); {@code start} if not one. */
    private static int skipDollarQuoted(String s, int start) {
        if (start > 0 && Character.isLetterOrDigit(s.charAt(start - 1))) {
            return start; // part of an identifier such as a$b
        }
        int i = start + 1;
        while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
            i++;
        }
        if (i >= s.length() || s.charAt(i) != '$' || (i > start + 1 && Character.isDigit(s.charAt(start + 1)))) {
            return start; // $1 positional parameter or a lone $
        }
        String tag = s.substring(start, i + 1);
        int close = s.indexOf(tag, i + 1);
        return close < 0 ? s.length() + 1 : close + tag.length();
    }

    /** The number of {@code ?} parameter markers (not the PostgreSQL {@code ?|} / {@code ?&} operators). */
    int parameterMarkers() {
        int count = 0;
        for (int i = 0; i < code.length(); i++) {
            if (code.charAt(i) == '?') {
                char next = i + 1 < code.length() ? code.charAt(i + 1) : ' ';
                if (next == '|' || next == '&' || next == '?') {
                    i++;
                    continue;
                }
                count++;
            }
        }
        return count;
    }

    /** The first word of the code after whitespace and opening brackets, lower case, or "". */
    String firstWord() {
        var m = WORD.matcher(code);
        int i = 0;
        while (i < code.length() && (Character.isWhitespace(code.charAt(i)) || code.charAt(i) == '(')) {
            i++;
        }
        if (m.find(i) && m.start() == i) {
            return m.group().toLowerCase(Locale.ROOT);
        }
        return "";
    }

    /** True when the code (outside literals and comments) contains the word, case-insensitively. */
    boolean containsWord(String word) {
        var m = WORD.matcher(code);
        while (m.find()) {
            if (m.group().equalsIgnoreCase(word)) {
                return true;
            }
        }
        return false;
    }
}
