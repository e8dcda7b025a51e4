package dev.cacheops;

/**
 * What a write does when its invalidation cannot be delivered before its commit (Redis
 * unreachable, slower than the timeout, or not connected yet).
 */
public enum FailureMode {
    /**
     * The write commits. This instance replaces the epoch as soon as Redis answers again (retried
     * in the background), so it serves nothing older; other instances sharing the store may serve
     * the rows the write changed until then. Reads always degrade to the database. The default.
     */
    DEGRADE,
    /**
     * The write is rolled back and fails with an {@link java.sql.SQLException}, so no instance can
     * ever serve a result older than a commit that returned. Needs {@link Consistency#STRICT}: the
     * pre-commit lock is what must be delivered. Reads still degrade to the database.
     */
    FAIL_WRITES
}
