package dev.cacheops.engine;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Manual caching instructions: a per-thread stack set by {@code Cacheops.cache(...)} and
 * {@code Cacheops.nocache(...)}, and per-statement SQL comments
 * {@code /* cacheops:cache timeout=300 *&#47;} and {@code /* cacheops:nocache *&#47;}. The AWS
 * Advanced JDBC Wrapper's leading {@code /* CACHE_PARAM(ttl=300s) *&#47;} hint is read as
 * {@code cacheops:cache} with that timeout, so its users switch by changing the URL (and get
 * invalidation on top of the TTL).
 *
 * @param cache         true to cache even when no profile op enables it; false for nocache
 * @param timeoutMillis the timeout to use, or 0 for the profile's
 */
public record Scope(boolean cache, long timeoutMillis) {
    private static final ThreadLocal<Deque<Scope>> STACK = ThreadLocal.withInitial(ArrayDeque::new);
    private static final Pattern COMMENT =
            Pattern.compile("/\\*\\s*cacheops:(cache|nocache)(?:\\s+timeout=(\\d+))?\\s*\\*/");

    /** The innermost scope of the current thread, or null. */
    public static Scope current() {
        return STACK.get().peek();
    }

    /** Runs {@code body} with {@code scope} innermost on this thread. */
    public static <T> T with(Scope scope, java.util.function.Supplier<T> body) {
        Deque<Scope> stack = STACK.get();
        stack.push(scope);
        try {
            return body.get();
        } finally {
            stack.pop();
            if (stack.isEmpty()) {
                STACK.remove();
            }
        }
    }

    /** The AWS wrapper's hint, case-insensitive: {@code CACHE_PARAM(ttl=300s)}, other parameters ignored. */
    private static final Pattern CACHE_PARAM =
            Pattern.compile("\\s*CACHE_PARAM\\s*\\(([^)]*)\\)\\s*", Pattern.CASE_INSENSITIVE);
    private static final Pattern TTL =
            Pattern.compile("\\s*ttl\\s*=\\s*(\\d{1,9})\\s*(ms|s|m|h)?\\s*", Pattern.CASE_INSENSITIVE);

    /** The scope a statement's own comment asks for, or null. */
    static Scope ofComment(String sql) {
        Scope hint = ofCacheParam(sql);
        if (hint != null) {
            return hint;
        }
        if (sql.indexOf("cacheops:") < 0) {
            return null;
        }
        Matcher m = COMMENT.matcher(sql);
        if (!m.find()) {
            return null;
        }
        boolean cache = m.group(1).equals("cache");
        long timeout = m.group(2) == null ? 0 : Long.parseLong(m.group(2)) * 1000;
        return new Scope(cache, timeout);
    }

    /**
     * The AWS wrapper's hint when the statement starts with it (after white space), else null. A
     * hint without a valid positive {@code ttl} is not a hint: the statement runs as if it had no
     * comment, as under the AWS wrapper.
     */
    static Scope ofCacheParam(String sql) {
        int start = 0;
        while (start < sql.length() && Character.isWhitespace(sql.charAt(start))) {
            start++;
        }
        if (!sql.startsWith("/*", start)) {
            return null;
        }
        int end = sql.indexOf("*/", start + 2);
        if (end < 0) {
            return null;
        }
        Matcher m = CACHE_PARAM.matcher(sql.substring(start + 2, end));
        if (!m.matches()) {
            return null;
        }
        for (String param : m.group(1).split(",")) {
            Matcher t = TTL.matcher(param);
            if (t.matches()) {
                long n = Long.parseLong(t.group(1));
                String unit = t.group(2) == null ? "s" : t.group(2).toLowerCase(java.util.Locale.ROOT);
                long millis = switch (unit) {
                    case "ms" -> n;
                    case "m" -> n * 60_000;
                    case "h" -> n * 3_600_000;
                    default -> n * 1000;
                };
                return millis > 0 ? new Scope(true, millis) : null;
            }
        }
        return null;
    }

    /** The statement's comment wins over the thread's scope. */
    public static Scope effective(String sql) {
        Scope s = ofComment(sql);
        return s != null ? s : current();
    }
}
