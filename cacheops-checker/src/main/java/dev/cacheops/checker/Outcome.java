package dev.cacheops.checker;

/**
 * What executing one action gave. Immutable.
 *
 * @param action   the action
 * @param cached   for a read: the result through the cache; else null
 * @param direct   for a read: the database's own result; else null
 * @param kind     for a read: hit, miss or pass-through as the cache reported it
 * @param stored   for a read: whether the cache stored the result
 * @param mismatch for a read: whether {@code cached} and {@code direct} differ
 * @param note     what else happened (an error, a skipped step), or null
 */
public record Outcome(Action action, ResultRows cached, ResultRows direct, ReadProbe.Kind kind, boolean stored,
                      boolean mismatch, String note) {

    static Outcome plain(Action action, String note) {
        return new Outcome(action, null, null, null, false, false, note);
    }
}
