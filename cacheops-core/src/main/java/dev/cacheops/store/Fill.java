package dev.cacheops.store;

import static dev.cacheops.store.InvalidationArgs.bytes;
import static dev.cacheops.store.Store.LOCKED;

import io.lettuce.core.api.StatefulRedisConnection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import redis.clients.jedis.Protocol;

/** {@link Store#put} on Redis: a compare-and-set store of an entry, never awaited by the caller. */
final class Fill {
    private static final byte[] PX = bytes("PX");

    private Fill() {
    }

    /**
     * A fill in two pipelined steps of plain commands on the shared connection, neither awaited
     * by the caller (a {@code put.lua} run cost Redis about 19 µs of CPU, the same checks as plain
     * commands a few):
     * <ol>
     *   <li>{@code MGET} of the stamps, {@code ZCARD} of each {@code wip} set and {@code HVALS} of
     *       its {@code wips} hash, {@code PTTL} of the stamps;</li>
     *   <li>only when every stamp still holds its expected value and every writer in progress
     *       knew the entry's schemes and locked none of its stamps ({@link WriterRecord}):
     *       {@code SET} the entry (and the recorded stamp keys), {@code PEXPIRE} the stamps that
     *       would expire before {@code stampTtlMillis}.</li>
     * </ol>
     * Not atomic, and it need not be: an entry is served only while its checksum matches the
     * stamps (DESIGN §3), so a stamp changed between the steps leaves an entry that is never
     * served; and the writers' check runs after the query ended, so a writer it misses locked
     * after that, knowing every scheme of the entry, or its release deleted the stamps (DESIGN
     * §6). {@code ZCARD} counts an expired writer too until a release of that table prunes it:
     * conservative, and free of clocks.
     */
    static CompletableFuture<Boolean> start(StatefulRedisConnection<String, byte[]> connection, Keys keys,
                                            Lookup lookup, List<byte[]> expected, byte[] value, long ttlMillis,
                                            long stampTtlMillis, String depsKey) {
        List<String> stamps = lookup.stampKeys();
        CommandBatch check = new CommandBatch();
        Check source = Check.add(check, keys, lookup);
        List<CompletableFuture<Long>> ttls = new ArrayList<>(stamps.size());
        for (String stamp : stamps) {
            ttls.add(check.pttl(stamp));
        }
        List<CompletableFuture<?>> checks = source.replies();
        checks.addAll(ttls);
        check.dispatch(connection);
        return CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new)).thenCompose(ignored -> {
            if (!source.passes(expected)) {
                return CompletableFuture.completedFuture(false);
            }
            CommandBatch store = new CommandBatch();
            CompletableFuture<String> stored = store.setPx(lookup.entryKey(), value, ttlMillis);
            if (depsKey != null) {
                store.setPx(depsKey, bytes(String.join("\n", stamps)), ttlMillis);
            }
            // Stamps must outlive every entry that depends on them: an entry whose stamp expired can
            // never be valid again (the stamp comes back with a new value). Extended only once past
            // half their margin over the entry, not at every fill, which would double the commands.
            long extendBelow = extendBelow(ttlMillis, stampTtlMillis);
            for (int i = 0; i < stamps.size(); i++) {
                long ttl = ttls.get(i).join();
                if (ttl >= 0 && ttl < extendBelow) {
                    store.pexpire(stamps.get(i), stampTtlMillis);
                }
            }
            store.dispatch(connection);
            return stored.thenApply("OK"::equals);
        });
    }

    /**
     * The second half of {@link Store#putDerived}, once every derived entry's stamps exist and
     * were read ({@code fetched}): the checks of {@link #start} on the source, then, only if they
     * pass, {@code SET} of every derived entry whose stamps are not locked. No {@code PEXPIRE}: a
     * stamp that expires before a derived entry leaves it dead, never stale.
     */
    static CompletableFuture<Integer> startDerived(StatefulRedisConnection<String, byte[]> connection, Keys keys,
                                                   Lookup source, List<byte[]> expected, List<Store.Derived> derived,
                                                   List<Fetched> fetched, long ttlMillis) {
        CommandBatch check = new CommandBatch();
        Check sourceCheck = Check.add(check, keys, source);
        check.dispatch(connection);
        return CompletableFuture.allOf(sourceCheck.replies().toArray(CompletableFuture[]::new)).thenCompose(ignored -> {
            if (!sourceCheck.passes(expected)) {
                return CompletableFuture.completedFuture(0);
            }
            CommandBatch store = new CommandBatch();
            List<CompletableFuture<String>> stored = new ArrayList<>(derived.size());
            for (int i = 0; i < derived.size(); i++) {
                Fetched f = fetched.get(i);
                if (!f.locked()) {
                    stored.add(store.setPx(derived.get(i).lookup().entryKey(), derived.get(i).value().apply(f.stamps()),
                            ttlMillis));
                }
            }
            store.dispatch(connection);
            return CompletableFuture.allOf(stored.toArray(CompletableFuture[]::new))
                    .thenApply(done -> (int) stored.stream().filter(f -> "OK".equals(f.join())).count());
        });
    }

    /**
     * A fill after a {@linkplain Fetched#quiet quiet} fetch: one batch, {@code SET} of the entry and
     * {@code PEXPIRE} of the stamps that the fetch saw below {@link #extendBelow}, nothing read
     * first. Safe without the checks of {@link #start} (DESIGN §3, "Miss path"): a stamp changed
     * since the fetch leaves an entry that is never served, and a writer that took its lock after
     * the fetch read the stamps knew every scheme they stand for (a stamp never exists without
     * its scheme), so its lock changed one of them if it touched the result. Only a writer already
     * in progress at the fetch might not have, and the fetch saw none.
     */
    static CompletableFuture<Boolean> startQuiet(StatefulRedisConnection<String, byte[]> connection, Lookup lookup,
                                                 Fetched.Quiet quiet, byte[] value, long ttlMillis,
                                                 long stampTtlMillis) {
        List<String> stamps = lookup.stampKeys();
        boolean[] extend = toExtend(stamps, quiet, ttlMillis, stampTtlMillis);
        CommandBatch store = new CommandBatch();
        CompletableFuture<String> stored = store.setPx(lookup.entryKey(), value, ttlMillis);
        for (int i = 0; i < stamps.size(); i++) {
            if (extend[i]) {
                store.pexpire(stamps.get(i), stampTtlMillis);
            }
        }
        store.dispatch(connection);
        return stored.thenApply("OK"::equals);
    }

    /**
     * The commands of {@link #startQuiet}, written to a pooled connection with their replies
     * skipped ({@link BlockingReads#sendUnanswered}): the calling thread writes them and nobody
     * reads anything, where the shared connection's event loop took each batch from the caller and
     * handed its answer back (docs/PERFORMANCE.md, "Concurrency", fourth pass). What that loses is
     * the answer, which nothing needed: the quiet fill compares nothing, and a refused or lost
     * {@code SET} costs a miss later, as a refused fill always did.
     */
    static void sendQuiet(BlockingReads.Unanswered out, Lookup lookup, Fetched.Quiet quiet, byte[] value,
                          long ttlMillis, long stampTtlMillis) {
        List<String> stamps = lookup.stampKeys();
        boolean[] extend = toExtend(stamps, quiet, ttlMillis, stampTtlMillis);
        out.send(Protocol.Command.SET, bytes(lookup.entryKey()), value, PX, bytes(Long.toString(ttlMillis)));
        byte[] stampTtl = bytes(Long.toString(stampTtlMillis));
        for (int i = 0; i < stamps.size(); i++) {
            if (extend[i]) {
                out.send(Protocol.Command.PEXPIRE, bytes(stamps.get(i)), stampTtl);
            }
        }
    }

    /** Which stamps a quiet fill extends: those the fetch saw below {@link #extendBelow}. */
    private static boolean[] toExtend(List<String> stamps, Fetched.Quiet quiet, long ttlMillis, long stampTtlMillis) {
        long[] ttls = quiet.stampTtls();
        if (ttls.length != stamps.size()) {
            throw new IllegalArgumentException("expected " + stamps.size() + " stamp TTLs, got " + ttls.length);
        }
        long extendBelow = extendBelow(ttlMillis, stampTtlMillis);
        boolean[] extend = new boolean[ttls.length];
        for (int i = 0; i < ttls.length; i++) {
            extend[i] = ttls[i] >= 0 && ttls[i] < extendBelow;
        }
        return extend;
    }

    /**
     * The remaining TTL below which a fill extends a stamp: stamps must outlive every entry that
     * depends on them (an entry whose stamp expired can never be valid again), and are extended
     * only once past half their margin over the entry, not at every fill.
     */
    static long extendBelow(long ttlMillis, long stampTtlMillis) {
        return Math.min(stampTtlMillis, ttlMillis + (stampTtlMillis - ttlMillis) / 2);
    }

    /**
     * The checks of a checked fill, added to a batch: {@code MGET} of the lookup's stamps, and per
     * table {@code ZCARD} of its {@code wip} set and {@code HVALS} of its {@code wips} hash.
     */
    private record Check(Keys keys, Lookup lookup, CompletableFuture<List<byte[]>> stamps,
                         List<CompletableFuture<Long>> writers, List<CompletableFuture<List<byte[]>>> known) {
        static Check add(CommandBatch batch, Keys keys, Lookup lookup) {
            CompletableFuture<List<byte[]>> stamps = batch.mget(lookup.stampKeys());
            List<CompletableFuture<Long>> writers = new ArrayList<>(lookup.wipKeys().size());
            List<CompletableFuture<List<byte[]>>> known = new ArrayList<>(lookup.wipKeys().size());
            for (String wip : lookup.wipKeys()) {
                writers.add(batch.zcard(wip));
                known.add(batch.hvals(keys.wipRecordsOf(wip)));
            }
            return new Check(keys, lookup, stamps, writers, known);
        }

        /** Every reply, in a new list the caller may add to. */
        List<CompletableFuture<?>> replies() {
            List<CompletableFuture<?>> all = new ArrayList<>(1 + 2 * writers.size() + lookup.stampKeys().size());
            all.add(stamps);
            all.addAll(writers);
            all.addAll(known);
            return all;
        }

        /**
         * Once every reply is in: whether every stamp still holds {@code expected} and every writer in
         * progress knew the lookup's schemes and locked none of its stamps ({@link WriterRecord}).
         */
        boolean passes(List<byte[]> expected) {
            if (!unchanged(stamps.join(), expected)) {
                return false;
            }
            List<String> wips = lookup.wipKeys();
            for (int j = 0; j < wips.size(); j++) {
                if (!WriterRecord.harmlessReplies(keys, lookup, wips.get(j), writers.get(j).join(), known.get(j).join())) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Whether every stamp exists and holds the value the fill was computed under. */
    static boolean unchanged(List<byte[]> current, List<byte[]> expected) {
        if (current.size() != expected.size()) {
            return false;
        }
        for (int i = 0; i < expected.size(); i++) {
            byte[] v = current.get(i);
            // A missing stamp or a LOCKED one never matches: a writer invalidated meanwhile.
            if (v == null || Arrays.equals(v, LOCKED) || !Arrays.equals(v, expected.get(i))) {
                return false;
            }
        }
        return true;
    }

}
