package dev.cacheops.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheops.CacheopsListener;
import dev.cacheops.Consistency;
import dev.cacheops.store.Fetched;
import dev.cacheops.store.KeyChanges;
import dev.cacheops.store.KeyWatch;
import dev.cacheops.store.Keys;
import dev.cacheops.store.LocalStore;
import dev.cacheops.store.Lookup;
import dev.cacheops.store.Recorded;
import dev.cacheops.store.Store;
import dev.cacheops.store.TableInvalidation;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A fill keeps its result in the filling JVM's near cache (DESIGN §11, "Fills") under the rule of a
 * copy from a hit: a change of its stamps reported after the mark taken before the fetch refuses or
 * drops it, also when the report arrives between the store's answer and the local insert. The store
 * is the in-process one behind a watch the test drives, and its answers are held back at will.
 */
class NearFillTest {
    private static final long TTL = 60_000;

    private final Keys keys = new Keys("i16");
    private final GatedStore store = new GatedStore(LocalStore.builder().keys(keys).build());
    private final StampProtocol protocol = new StampProtocol(store, keys, Consistency.RELAXED, 1_000,
            new Counters(new CacheopsListener() { }), false, 1 << 20);

    @AfterEach
    void close() {
        protocol.close();
        store.close();
    }

    @Test
    void theFillersNextReadIsANearHit() {
        store.listener.watching();
        Attempt.Miss miss = (Attempt.Miss) protocol.fetch("h1", List.of(), TTL);
        protocol.fill(miss, bytes("rows"), TTL).toCompletableFuture().join();
        int fetches = store.fetches.get();

        Attempt again = protocol.fetch("h1", List.of(), TTL);

        assertThat(again).isInstanceOf(Attempt.Hit.class);
        assertThat(((Attempt.Hit) again).payload()).isEqualTo(bytes("rows"));
        assertThat(store.fetches.get()).as("served near, without asking the store").isEqualTo(fetches);
    }

    @Test
    void aChangeReportedBetweenTheStoresAnswerAndTheLocalInsertLeavesNoCopy() {
        store.listener.watching();
        Attempt.Miss miss = (Attempt.Miss) protocol.fetch("h1", List.of(), TTL);
        store.hold();
        CompletableFuture<Void> filled = protocol.fill(miss, bytes("old rows"), TTL).toCompletableFuture();
        // The store has compared the stamps and stored; a writer then changes one, and its report is
        // handled before the store's answer reaches the protocol.
        write();
        store.release();
        filled.join();

        assertThat(protocol.nearCache().get(keys.entry("h1"))).as("validated before a change it did not see").isNull();
    }

    @Test
    void aChangeWhileTheQueryRunsLeavesNoCopy() {
        store.listener.watching();
        Attempt.Miss miss = (Attempt.Miss) protocol.fetch("h1", List.of(), TTL);
        write();
        protocol.fill(miss, bytes("old rows"), TTL).toCompletableFuture().join();

        assertThat(protocol.nearCache().get(keys.entry("h1"))).isNull();
    }

    @Test
    void aFillIsComparedWithTheStampsEvenWhenTheFetchWasQuiet() {
        store.listener.watching();
        store.quiet = true;
        Attempt.Miss miss = (Attempt.Miss) protocol.fetch("h1", List.of(), TTL);
        assertThat(miss.quiet()).isNotNull();
        // Reported before the fill starts, so after the fetch's mark but before the fill's: only the
        // store's comparison of the stamps can refuse this copy.
        write();
        protocol.fill(miss, bytes("old rows"), TTL).toCompletableFuture().join();

        assertThat(store.quietPuts.get()).as("no unchecked store with a near cache").isZero();
        assertThat(protocol.nearCache().get(keys.entry("h1"))).isNull();
    }

    @Test
    void aCopyKeptByAFillIsDroppedByTheNextReport() {
        store.listener.watching();
        Attempt.Miss miss = (Attempt.Miss) protocol.fetch("h1", List.of(), TTL);
        protocol.fill(miss, bytes("rows"), TTL).toCompletableFuture().join();
        assertThat(protocol.nearCache().get(keys.entry("h1"))).isNotNull();

        write();

        assertThat(protocol.nearCache().get(keys.entry("h1"))).isNull();
    }

    @Test
    void aFillTheStoreRefusedIsNotKept() {
        store.listener.watching();
        Attempt.Miss miss = (Attempt.Miss) protocol.fetch("h1", List.of(), TTL);
        store.refuse = true;
        protocol.fill(miss, bytes("rows"), TTL).toCompletableFuture().join();

        assertThat(protocol.nearCache().get(keys.entry("h1"))).isNull();
    }

    @Test
    void aFillOvertakenByAnotherRemovalOfTheEntryIsNotKept() {
        store.listener.watching();
        Attempt.Miss miss = (Attempt.Miss) protocol.fetch("h1", List.of(), TTL);
        store.hold();
        CompletableFuture<Void> filled = protocol.fill(miss, bytes("older rows"), TTL).toCompletableFuture();
        // Another reader of this JVM found the stored entry invalid meanwhile (it saw newer stamps).
        protocol.nearCache().remove(keys.entry("h1"));
        store.release();
        filled.join();

        assertThat(protocol.nearCache().get(keys.entry("h1"))).isNull();
    }

    @Test
    void aLostWatchDuringTheFillLeavesNoCopy() {
        store.listener.watching();
        Attempt.Miss miss = (Attempt.Miss) protocol.fetch("h1", List.of(), TTL);
        store.hold();
        CompletableFuture<Void> filled = protocol.fill(miss, bytes("rows"), TTL).toCompletableFuture();
        store.listener.lost();
        store.listener.watching();
        store.release();
        filled.join();

        assertThat(protocol.nearCache().get(keys.entry("h1"))).isNull();
    }

    /** A writer of another JVM: replaces the epoch in the store, then its report arrives. */
    private void write() {
        store.local.invalidateAll();
        store.listener.changed(List.of(keys.epoch()));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The in-process store, with a watch the test reports through and puts it can hold back. */
    private static final class GatedStore implements Store {
        private final LocalStore local;
        private final AtomicInteger fetches = new AtomicInteger();
        private KeyChanges listener;
        private CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);
        private volatile boolean refuse;
        /** Whether fetches answer as a quiet fetch would (no writer was seen). */
        private volatile boolean quiet;
        private final AtomicInteger quietPuts = new AtomicInteger();

        GatedStore(LocalStore local) {
            this.local = local;
        }

        void hold() {
            gate = new CompletableFuture<>();
        }

        void release() {
            gate.complete(null);
        }

        @Override
        public KeyWatch watch(KeyChanges l) {
            this.listener = l;
            return new KeyWatch() {
                @Override
                public void fence() { }

                @Override
                public void close() { }
            };
        }

        @Override
        public Fetched fetch(Lookup lookup, String stampBase, long stampTtlMillis) {
            fetches.incrementAndGet();
            Fetched f = local.fetch(lookup, stampBase, stampTtlMillis);
            return quiet ? new Fetched(f.entry(), f.stamps(), f.locked(), new Fetched.Quiet(new long[0])) : f;
        }

        /** Stores without comparing anything, as a quiet store may. */
        @Override
        public CompletionStage<Boolean> putQuiet(Lookup lookup, List<byte[]> expected, Fetched.Quiet q, byte[] value,
                                                 long ttlMillis, long stampTtlMillis) {
            quietPuts.incrementAndGet();
            return CompletableFuture.completedFuture(true);
        }

        @Override
        public CompletionStage<Boolean> put(Lookup lookup, List<byte[]> expected, byte[] value, long ttlMillis,
                                            long stampTtlMillis) {
            if (refuse) {
                return CompletableFuture.completedFuture(false);
            }
            CompletionStage<Boolean> stored = local.put(lookup, expected, value, ttlMillis, stampTtlMillis);
            return gate.thenCompose(ignored -> stored);
        }

        @Override
        public void invalidate(Collection<TableInvalidation> tables, Phase phase, String writerId, long lockTtlMillis) {
            local.invalidate(tables, phase, writerId, lockTtlMillis);
        }

        @Override
        public Recorded fetchRecorded(String entryKey, String depsKey) {
            return local.fetchRecorded(entryKey, depsKey);
        }

        @Override
        public CompletionStage<Boolean> putRecorded(Lookup lookup, List<byte[]> expected, byte[] value,
                                                    long ttlMillis, long stampTtlMillis, String depsKey) {
            return local.putRecorded(lookup, expected, value, ttlMillis, stampTtlMillis, depsKey);
        }

        @Override
        public void delete(String... k) {
            local.delete(k);
        }

        @Override
        public boolean tryLock(String key, String owner, long ttlMillis) {
            return local.tryLock(key, owner, ttlMillis);
        }

        @Override
        public void unlock(String key, String owner) {
            local.unlock(key, owner);
        }

        @Override
        public void abandon(Collection<String> tables, String writerId) {
            local.abandon(tables, writerId);
        }

        @Override
        public Set<String> schemes(String table) {
            return local.schemes(table);
        }

        @Override
        public void invalidateAll() {
            local.invalidateAll();
        }

        @Override
        public void ping() {
            local.ping();
        }

        @Override
        public void close() {
            local.close();
        }
    }
}
