package dev.cacheops.engine;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Manual caching instructions: a per-thread stack set by {@code Cacheops.cache(...)} and
 * {@code Cacheops.nocache(...)}, and per-statement SQL comments
 * {@code /* cacheops:cache timeout=300 *&#47;} and {@code /* cacheops:nocache *&#47;}.
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

    /** The scope a statement's own comment asks for, or null. */
    static Scope ofComment(String sql) {
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

    /** The statement's comment wins over the thread's scope. */
    public static Scope effective(String sql) {
        Scope s = ofComment(sql);
        return s != null ? s : current();
    }
}
