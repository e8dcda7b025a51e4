package dev.cacheops.store;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The storage side of the protocol (DESIGN §3, §6). Every method is one round trip and atomic;
 * on Redis Cluster ({@link ClusterStore}) atomic per slot, which keeps the invariant because an
 * entry is checked against its stamps at every read (DESIGN §8). Implementations are thread-safe. Failures to reach the store raise {@link StoreException}
 * (or complete the returned stage with it); nothing else escapes.
 */
public interface Store extends AutoCloseable {

    /** The value a stamp holds while a writer is committing (strict consistency). */
    byte[] LOCKED = {'L', 'O', 'C', 'K', 'E', 'D'};

    /**
     * Reads an entry together with its stamps. Every missing stamp is created ({@code SET NX},
     * value {@code stampBase + ":" + position}, TTL {@code stampTtlMillis}) and, when any stamp was
     * created, the lookup's schemes are registered in the same atomic step, so a stamp never
     * exists without its scheme being known to writers.
     *
     * @param stampBase a fresh random string per call, making created stamps unique forever
     */
    Fetched fetch(Lookup lookup, String stampBase, long stampTtlMillis);

    /**
     * {@link #fetch(Lookup, String, long)} with a hint that every stamp probably exists already
     * (the caller has looked this entry up before), so a store may try a cheaper pure read first
     * and fall back to the creating fetch when a stamp is missing. The result is the same.
     */
    default Fetched fetch(Lookup lookup, String stampBase, long stampTtlMillis, boolean stampsLikelyExist) {
        return fetch(lookup, stampBase, stampTtlMillis);
    }

    /**
     * Stores an entry only if every stamp still holds the value in {@code expected} (compare and
     * set) and no write in progress on a table it reads may change it (a writer that did not
     * know one of its schemes or locked one of its stamps, DESIGN §3). Extends stamp TTLs to at least
     * {@code stampTtlMillis}. Completes with whether the entry was stored.
     */
    CompletionStage<Boolean> put(Lookup lookup, List<byte[]> expected, byte[] value,
                                 long ttlMillis, long stampTtlMillis);

    /**
     * {@link #put} after a fetch that answered {@code quiet} ({@link Fetched#quiet}): no write in
     * progress on a table of the lookup could change its result when its stamps were read, and
     * their TTLs are known. A
     * store may then write at once, without reading the stamps or the {@code wip} sets again; an
     * entry stored although a stamp changed since the fetch is never served, its checksum no
     * longer matching (DESIGN §3, "Miss path"). The default is {@link #put}, whose checks are
     * stricter.
     */
    default CompletionStage<Boolean> putQuiet(Lookup lookup, List<byte[]> expected, Fetched.Quiet quiet,
                                              byte[] value, long ttlMillis, long stampTtlMillis) {
        return put(lookup, expected, value, ttlMillis, stampTtlMillis);
    }

    /**
     * Stores entries derived from the result of {@code source}, just read from the database
     * (DESIGN §3, "Rows of a result"), never awaited by the caller. In this order: for each derived
     * entry, its missing stamps are created and its schemes registered as by {@link #fetch}, and
     * its stamp values read; then the source is checked as by {@link #put} (its stamps still hold
     * {@code expected}, no write in progress may change it); only if that passes, each derived
     * entry none of whose stamps is locked is stored with the value {@link Derived#value} builds
     * from its stamp values. The order is the argument: a write that could change a derived entry
     * after the source's query changes the source too, so it either shows in the source's check or
     * comes after the derived entry's schemes were registered, and then changes one of its stamps.
     * The default stores nothing.
     *
     * @return completes with the number of entries stored
     */
    default CompletionStage<Integer> putDerived(Lookup source, List<byte[]> expected, List<Derived> derived,
                                                long ttlMillis, long stampTtlMillis) {
        return CompletableFuture.completedFuture(0);
    }

    /** Whether {@link #putDerived} stores anything here (the cluster store does not). */
    default boolean storesDerived() {
        return false;
    }

    /**
     * An entry to store by {@link #putDerived}.
     *
     * @param lookup    its keys
     * @param stampBase as for {@link #fetch}: fresh per entry, so that a stamp deleted and created
     *                  again between two entries' steps never gets its old value back
     * @param value     the stored bytes for the given stamp values (in {@link Lookup#stampKeys()} order)
     */
    record Derived(Lookup lookup, String stampBase, java.util.function.Function<List<byte[]>, byte[]> value) { }

    /**
     * Invalidates what writes did, computing the conjunction keys from the current schemes of
     * each table.
     * <ul>
     *   <li>{@link Phase#LOCK} (before a commit): sets every affected stamp to {@link #LOCKED} with
     *       TTL {@code lockTtlMillis}, and adds {@code writerId} to each table's write-in-progress
     *       set with expiry now + {@code lockTtlMillis}.</li>
     *   <li>{@link Phase#RELEASE} (after a commit, or alone in relaxed mode): deletes every affected
     *       stamp, then removes {@code writerId} from each table's write-in-progress set.</li>
     * </ul>
     * A {@code LOCK} of a writer already released from a table (within {@code lockTtlMillis})
     * changes nothing there: the two may travel on different connections, and a lock that timed
     * out at the writer, which then committed and released, can still reach the store after its
     * release; applied, it would refuse the table's fills until it expired.
     */
    void invalidate(Collection<TableInvalidation> tables, Phase phase, String writerId, long lockTtlMillis);

    /**
     * {@link #invalidate} without waiting for the store. Commands sent later by this store's
     * callers are applied after it (a store keeps its commands in order), so a read issued
     * afterwards in this JVM observes the invalidation. Completes exceptionally with a
     * {@link StoreException} when it cannot be delivered.
     */
    default CompletionStage<Void> invalidateAsync(Collection<TableInvalidation> tables, Phase phase, String writerId,
                                                  long lockTtlMillis) {
        try {
            invalidate(tables, phase, writerId, lockTtlMillis);
            return CompletableFuture.completedFuture(null);
        } catch (StoreException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Reads an entry stored with {@link #putRecorded}: its stamp keys were recorded beside it
     * under {@code depsKey}, because they became known only while its value was computed
     * (automatic dependency capture). One round trip; creates nothing.
     */
    Recorded fetchRecorded(String entryKey, String depsKey);

    /**
     * {@link #put}, also recording the lookup's stamp keys under {@code depsKey} with the entry's
     * TTL, for {@link #fetchRecorded}.
     */
    CompletionStage<Boolean> putRecorded(Lookup lookup, List<byte[]> expected, byte[] value,
                                         long ttlMillis, long stampTtlMillis, String depsKey);

    /** Deletes keys (an entry and what was recorded beside it). */
    void delete(String... keys);

    /** Takes a lock if nobody holds it ({@code SET key owner NX PX ttl}); true when taken. */
    boolean tryLock(String key, String owner, long ttlMillis);

    /** Releases a lock if {@code owner} still holds it. */
    void unlock(String key, String owner);

    /**
     * {@link #unlock} without waiting for the store; safe to call from a completion callback of
     * this store. Completes exceptionally with a {@link StoreException} when it cannot be delivered.
     */
    default CompletionStage<Void> unlockAsync(String key, String owner) {
        try {
            unlock(key, owner);
            return CompletableFuture.completedFuture(null);
        } catch (StoreException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Removes a writer's write-in-progress markers without deleting stamps (rollback after LOCK). */
    void abandon(Collection<String> tables, String writerId);

    /** The schemes currently registered for a table (escaped name). */
    Set<String> schemes(String table);

    /** Deletes the epoch: every entry becomes invalid at once. */
    void invalidateAll();

    /**
     * Changes whenever the store behind this client became another one (a Redis restart or
     * failover) since the first one it reached: invalidations may have been lost, so the
     * protocol replaces the epoch. Local reads only, no round trip.
     */
    default long generation() {
        return 0;
    }

    /**
     * Starts telling {@code listener} about every change of a key that can make an entry invalid
     * (those under {@link Keys#watchedPrefixes()}), made by any client of the store, for as long
     * as the returned watch is open (the store closes it when it closes).
     *
     * @return the watch, or {@code null} when this store cannot watch keys
     */
    default KeyWatch watch(KeyChanges listener) {
        return null;
    }

    /** A cheap round trip, to learn whether the store answers. */
    void ping();

    /** Releases connections and threads. */
    @Override
    void close();

    /** The two steps of an invalidation. */
    enum Phase { LOCK, RELEASE }
}
