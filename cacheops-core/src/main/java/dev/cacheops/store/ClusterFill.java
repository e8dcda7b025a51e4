package dev.cacheops.store;

import static dev.cacheops.store.InvalidationArgs.bytes;

import io.lettuce.core.KeyValue;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@link Store#put} on Redis Cluster: the two steps of {@link Fill}, each sent to the nodes of
 * the keys it touches in parallel (Lettuce splits the {@code MGET} by slot):
 * <ol>
 *   <li>{@code MGET} of the stamps, {@code ZCARD} of each {@code wip} set and {@code HVALS} of its
 *       {@code wips} hash, {@code PTTL} of the stamps;</li>
 *   <li>only when every stamp still holds its expected value and every writer in progress knew
 *       the entry's schemes and locked none of its stamps ({@link WriterRecord}): {@code SET} the
 *       entry (and the recorded stamp keys), {@code PEXPIRE} the stamps that would expire
 *       before the stamp TTL.</li>
 * </ol>
 * The standalone fill is not atomic either, and for the same reason need not be: an entry is
 * served only while its checksum matches the stamps read with it (DESIGN §3), so a stamp changed
 * between the steps, on whatever node, leaves an entry that is never served.
 */
final class ClusterFill {
    private ClusterFill() {
    }

    static CompletableFuture<Boolean> start(RedisAdvancedClusterAsyncCommands<String, byte[]> redis, Keys keys,
                                            Lookup lookup, List<byte[]> expected, byte[] value, long ttlMillis,
                                            long stampTtlMillis, String depsKey) {
        List<String> stamps = lookup.stampKeys();
        CompletableFuture<List<KeyValue<String, byte[]>>> current =
                redis.mget(stamps.toArray(String[]::new)).toCompletableFuture();
        List<String> wips = lookup.wipKeys();
        List<CompletableFuture<Long>> writers = new ArrayList<>(wips.size());
        List<CompletableFuture<List<byte[]>>> known = new ArrayList<>(wips.size());
        for (String wip : wips) {
            writers.add(redis.zcard(wip).toCompletableFuture());
            known.add(redis.hvals(keys.wipRecordsOf(wip)).toCompletableFuture());
        }
        List<CompletableFuture<Long>> ttls = new ArrayList<>(stamps.size());
        for (String stamp : stamps) {
            ttls.add(redis.pttl(stamp).toCompletableFuture());
        }
        List<CompletableFuture<?>> checks = new ArrayList<>(1 + 2 * wips.size() + ttls.size());
        checks.add(current);
        checks.addAll(writers);
        checks.addAll(known);
        checks.addAll(ttls);
        return CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new)).thenCompose(ignored -> {
            List<byte[]> values = new ArrayList<>(stamps.size());
            for (KeyValue<String, byte[]> kv : current.join()) {
                values.add(kv.getValueOrElse(null));
            }
            if (!Fill.unchanged(values, expected)) {
                return CompletableFuture.completedFuture(false);
            }
            for (int j = 0; j < wips.size(); j++) {
                if (!WriterRecord.harmlessReplies(keys, lookup, wips.get(j), writers.get(j).join(), known.get(j).join())) {
                    return CompletableFuture.completedFuture(false);
                }
            }
            CompletableFuture<String> stored = redis.set(lookup.entryKey(), value, SetArgs.Builder.px(ttlMillis))
                    .toCompletableFuture();
            List<CompletableFuture<?>> sent = new ArrayList<>();
            sent.add(stored);
            if (depsKey != null) {
                sent.add(redis.set(depsKey, bytes(String.join("\n", stamps)), SetArgs.Builder.px(ttlMillis))
                        .toCompletableFuture());
            }
            long extendBelow = Fill.extendBelow(ttlMillis, stampTtlMillis);
            for (int i = 0; i < stamps.size(); i++) {
                long ttl = ttls.get(i).join();
                if (ttl >= 0 && ttl < extendBelow) {
                    sent.add(redis.pexpire(stamps.get(i), stampTtlMillis).toCompletableFuture());
                }
            }
            // Settled only when everything landed: a dog-pile lock is released after its fill.
            return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
                    .thenApply(done -> "OK".equals(stored.join()));
        });
    }
}
