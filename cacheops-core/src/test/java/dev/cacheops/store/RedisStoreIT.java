package dev.cacheops.store;

import dev.cacheops.testing.RedisProcess;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cacheops.store.Store.Phase;
import dev.cacheops.testing.TestServices;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The store contract against {@link RedisStore} on the real (shared) Redis, plus Redis details. */
class RedisStoreIT extends StoreContract {
    private static RedisClient admin;
    private static StatefulRedisConnection<String, String> connection;

    @BeforeAll
    static void connectAdmin() {
        admin = RedisClient.create(TestServices.redisUri());
        connection = admin.connect();
    }

    @AfterAll
    static void closeAdmin() {
        if (connection != null) {
            connection.close();
        }
        if (admin != null) {
            admin.shutdown();
        }
    }

    @Override
    Store createStore(Keys keys) {
        // A generous timeout: the shared Redis may be busy with other suites.
        return awaitConnected(RedisStore.builder(TestServices.redisUri()).keys(keys)
                .commandTimeout(Duration.ofMillis(500)).build());
    }

    static RedisStore awaitConnected(RedisStore store) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!store.isConnected() && System.nanoTime() < deadline) {
            RedisProcess.sleep(10);
        }
        assertThat(store.isConnected()).as("connected within 10 s").isTrue();
        return store;
    }

    @Override
    void advance(Duration d) {
        RedisProcess.sleep(d.toMillis());
    }

    @Override
    void cleanUp(Keys keys) {
        deleteByPrefix(redis(), keys.prefix());
    }

    static void deleteByPrefix(RedisCommands<String, String> redis, String prefix) {
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.matches(prefix + "*").limit(1000));
            if (!page.getKeys().isEmpty()) {
                redis.del(page.getKeys().toArray(new String[0]));
            }
            cursor = page;
        } while (!cursor.isFinished());
    }

    private static RedisCommands<String, String> redis() {
        return connection.sync();
    }

    @Test
    void putSetsTheEntryTtlAndExtendsStamps() {
        Lookup l = postOfCategory(5);
        Fetched f = store.fetch(l, "b", 5_000);
        assertThat(redis().pttl(keys.epoch())).isBetween(1L, 5_000L);
        assertThat(put(l, f.stamps(), "v", 20_000, 50_000)).isTrue();
        assertThat(redis().pttl(l.entryKey())).isBetween(10_000L, 20_000L);
        for (String stamp : l.stampKeys()) {
            assertThat(redis().pttl(stamp)).as(stamp).isBetween(40_000L, 50_000L);
        }
        // A shorter stamp TTL never shortens a stamp.
        assertThat(put(l, f.stamps(), "v", 20_000, 1_000)).isTrue();
        assertThat(redis().pttl(keys.epoch())).isGreaterThan(40_000L);
    }

    @Test
    void fillsExtendStampsOnlyPastHalfTheirMargin() {
        Lookup l = postOfCategory(5);
        Fetched f = store.fetch(l, "b", 50_000);
        assertThat(put(l, f.stamps(), "v", 20_000, 50_000)).isTrue();
        // 50 s left of a 50 s stamp for a 20 s entry: no PEXPIRE was needed.
        assertThat(redis().pttl(keys.epoch())).isBetween(40_000L, 50_000L);
        // Past half the 30 s margin (35 s here): extended back to the full stamp TTL.
        redis().pexpire(keys.epoch(), 30_000);
        assertThat(put(l, f.stamps(), "v", 20_000, 50_000)).isTrue();
        assertThat(redis().pttl(keys.epoch())).isBetween(40_000L, 50_000L);
    }

    @Test
    void aCreatingFetchIsQuietWithTheStampTtlsUnlessAWriterMayNotKnowItsSchemes() {
        Lookup l = postOfCategory(5);
        Fetched f = store.fetch(l, "b", 30_000);
        assertThat(f.quiet()).isNotNull();
        assertThat(f.quiet().stampTtls()).hasSize(l.stampKeys().size());
        for (long ttl : f.quiet().stampTtls()) {
            assertThat(ttl).isBetween(1L, 30_000L);
        }
        // A writer of another row of the table that knew the scheme: its lock decides by stamps.
        lock("w1", "post", row("category_id", "9"), LONG);
        Fetched known = store.fetch(postOfCategory(6), "c", 30_000);
        assertThat(known.locked()).isFalse();
        assertThat(known.quiet()).as("the writer knew category_id").isNotNull();
        // The same writer did not know a scheme this fetch registers.
        Fetched unknown = store.fetch(postOfCategoryVisible(6, true), "d", 30_000);
        assertThat(unknown.locked()).isFalse();
        assertThat(unknown.quiet()).as("a writer may not know the scheme: the fill must check after the query")
                .isNull();
        // A writer that locked the lookup's stamp, whose LOCKED value another release deleted.
        lock("w2", "post", row("category_id", "6"), LONG);
        release("post", row("category_id", "6"));
        Fetched touched = store.fetch(postOfCategory(6), "e", 30_000);
        assertThat(touched.locked()).isFalse();
        assertThat(touched.quiet()).as("w2 locked category_id=6: it may still change the result").isNull();
    }

    @Test
    void aWriterLockingTooManyKeysToRecordRefusesEveryFillOfItsTable() {
        Lookup l = postOfCategory(5);
        Fetched f = fetch(l);
        List<Map<String, String>> rows = new java.util.ArrayList<>();
        for (int i = 100; i < 300; i++) {
            rows.add(row("category_id", Integer.toString(i)));
        }
        store.invalidate(List.of(new TableInvalidation("post", false, rows)), Phase.LOCK, "bulk", LONG);
        assertThat(WriterRecord.decode(redis().hget(keys.wipRecords("post"), "bulk").getBytes(UTF_8), keys.prefix())
                .lockedKeys()).as("past the recorded maximum").isNull();
        assertThat(put(l, f, "maybe stale")).isFalse();
    }

    @Test
    void aWriterOfAnOlderVersionWithoutItsSchemesRefusesEveryFill() {
        Lookup l = postOfCategory(5);
        Fetched f = fetch(l);
        // What an earlier version's lock leaves: the writer in the wip set, no schemes beside it.
        redis().zadd(keys.wip("post"), System.currentTimeMillis() + 30_000.0, "old-writer");
        assertThat(put(l, f, "maybe stale")).isFalse();
        assertThat(store.fetch(postOfCategory(6), "c", 30_000).quiet()).isNull();
        redis().zrem(keys.wip("post"), "old-writer");
        assertThat(put(l, f, "rows")).isTrue();
    }

    @Test
    void aQuietFillStoresTheEntryAndExtendsTheStampsTheFetchSawShort() {
        Lookup l = postOfCategory(5);
        Fetched f = store.fetch(l, "b", 30_000);
        // 30 s left, below 20 s + half the 30 s margin: extended to 50 s.
        assertThat(store.putQuiet(l, f.stamps(), f.quiet(), "v".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                20_000, 50_000).toCompletableFuture().join()).isTrue();
        assertThat(redis().pttl(l.entryKey())).isBetween(10_000L, 20_000L);
        for (String stamp : l.stampKeys()) {
            assertThat(redis().pttl(stamp)).as(stamp).isBetween(40_000L, 50_000L);
        }
        assertThat(stillCached(l, f.stamps(), "v")).isTrue();
    }

    @Test
    void aFetchAfterAnUnawaitedReleaseFindsItLanded() {
        Lookup l = postOfCategory(5);
        for (int i = 0; i < 50; i++) {
            fetch(l);
            lock("w" + i, "post", row("category_id", "5"), LONG);
            store.invalidateAsync(List.of(new TableInvalidation("post", false, List.of(row("category_id", "5")))),
                    Phase.RELEASE, "w" + i, LONG);
            // Sent after the release returned: ordered behind it, so the stamps are gone, not LOCKED.
            assertThat(store.fetch(l, base(), LONG, true).locked()).as("round %d", i).isFalse();
        }
    }

    @Test
    void aFetchRightAfterAnUnawaitedFillFindsTheEntry() {
        for (int i = 0; i < 50; i++) {
            Lookup l = postOfCategory(100 + i);
            Fetched f = fetch(l);
            store.put(l, f.stamps(), "v".getBytes(java.nio.charset.StandardCharsets.UTF_8), LONG, LONG);
            // The fill takes two round trips on the shared connection; the fetch waits for it.
            assertThat(store.fetch(l, base(), LONG, true).entry()).as("round %d", i).isNotNull();
        }
    }

    @Test
    void closeLetsUnawaitedReleasesLand() {
        Lookup l = postOfCategory(5);
        fetch(l);
        String conj = keys.conj("post", List.of("category_id"), List.of("5"));
        assertThat(redis().exists(conj)).isOne();
        List<java.util.concurrent.CompletableFuture<Void>> sent = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            sent.add(store.invalidateAsync(List.of(new TableInvalidation("post", false,
                    List.of(row("category_id", Integer.toString(5 + i))))), Phase.RELEASE, "w-close", 30_000)
                    .toCompletableFuture());
        }
        store.close();
        assertThat(sent).as("every release was delivered, none cancelled by the close")
                .allSatisfy(f -> assertThat(f).isCompletedWithValue(null));
        assertThat(redis().exists(conj)).isZero();
    }

    @Test
    void schemesSetsHaveNoTtl() {
        fetch(postOfCategory(5));
        assertThat(redis().smembers(keys.schemes("post"))).containsExactly("category_id");
        assertThat(redis().pttl(keys.schemes("post"))).isEqualTo(-1L);
    }

    @Test
    void lockBuildsTheSameKeysAsKeysAndScoresWriters() {
        fetch(postOfCategoryVisible(5, true));
        fetch(allPosts());
        lock("w1", "post", row("visible", "true", "category_id", "5"), 30_000);

        assertThat(redis().get(keys.conj("post", List.of("category_id", "visible"), List.of("5", "true"))))
                .isEqualTo("LOCKED");
        assertThat(redis().get(keys.conj("post", List.of(), List.of()))).isEqualTo("LOCKED");
        assertThat(redis().pttl(keys.conj("post", List.of(), List.of()))).isBetween(1L, 30_000L);
        long now = System.currentTimeMillis();
        assertThat(redis().zscore(keys.wip("post"), "w1")).isBetween(now + 25_000.0, now + 35_000.0);
        assertThat(redis().pttl(keys.wip("post"))).isBetween(25_000L, 30_000L);
        WriterRecord record = WriterRecord.decode(redis().hget(keys.wipRecords("post"), "w1").getBytes(UTF_8),
                keys.prefix());
        assertThat(record.schemes()).containsExactlyInAnyOrder("", "category_id,visible");
        assertThat(record.lockedKeys()).containsExactlyInAnyOrder(
                keys.conj("post", List.of("category_id", "visible"), List.of("5", "true")),
                keys.conj("post", List.of(), List.of()));
        assertThat(redis().pttl(keys.wipRecords("post"))).isBetween(25_000L, 30_000L);

        store.invalidate(List.of(new TableInvalidation("post", false, List.of(row("category_id", "5", "visible", "true")))),
                Phase.RELEASE, "w1", 30_000);
        assertThat(redis().exists(keys.conj("post", List.of("category_id", "visible"), List.of("5", "true")))).isZero();
        assertThat(redis().zscore(keys.wip("post"), "w1")).isNull();
        assertThat(redis().hexists(keys.wipRecords("post"), "w1")).isFalse();
    }

    @Test
    void releaseDropsExpiredWriters() {
        lock("crashed", "post", row("category_id", "1"), 100);
        lock("alive", "post", row("category_id", "2"), 30_000);
        advance(Duration.ofMillis(300));
        store.invalidate(List.of(TableInvalidation.wholeTable("post")), Phase.RELEASE, "other", 30_000);
        assertThat(redis().zrange(keys.wip("post"), 0, -1)).containsExactly("alive");
        assertThat(redis().hkeys(keys.wipRecords("post"))).containsExactly("alive");
    }

    @Test
    void databaseFromTheBuilder() {
        Keys k = new Keys(TestServices.uniquePrefix());
        try (RedisStore s3 = awaitConnected(RedisStore.builder(TestServices.redisUri()).keys(k).database(3)
                .commandTimeout(Duration.ofMillis(500)).build())) {
            s3.fetch(new Lookup(k.entry("x"), List.of(k.epoch()), List.of(), List.of()), "b", 10_000);
            redis().select(3);
            try {
                assertThat(redis().get(k.epoch())).isEqualTo("b:1");
                deleteByPrefix(redis(), k.prefix());
            } finally {
                redis().select(0);
            }
            assertThat(redis().exists(k.epoch())).isZero();
        }
    }

    @Test
    void badSettingsAreNamed() {
        assertThatThrownBy(() -> RedisStore.builder("redis://x").commandTimeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("commandTimeout");
        assertThatThrownBy(() -> RedisStore.builder("nonsense://:secret@x").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("uri")
                .hasMessageNotContaining("secret");
    }

    @Test
    void rowsOfManyTablesInOneScript() {
        Map<String, String> r = row("id", "1");
        List<TableInvalidation> tables = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            tables.add(new TableInvalidation("t" + i, false, List.of(r, row("id", "2"))));
        }
        Lookup l = lookup("t7", "t7", Map.of("id", "2"));
        List<byte[]> s = cached(l, "v");
        store.invalidate(tables, Phase.RELEASE, "w", 1_000);
        assertThat(stillCached(l, s, "v")).isFalse();
    }
}
