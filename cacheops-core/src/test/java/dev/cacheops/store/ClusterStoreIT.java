package dev.cacheops.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cacheops.store.Store.Phase;
import dev.cacheops.testing.RedisCluster;
import dev.cacheops.testing.RedisProcess;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The store contract against {@link ClusterStore} on a 3-master, 3-replica Redis Cluster of its own
 * processes ({@link RedisCluster#shared()}), plus what is particular to the cluster: the key
 * layout, invalidations of many slots in one call, and the settings.
 */
class ClusterStoreIT extends StoreContract {
    private static RedisClusterClient admin;
    private static StatefulRedisClusterConnection<String, String> connection;

    @BeforeAll
    static void connectAdmin() {
        admin = RedisClusterClient.create(RedisCluster.shared().uri().replace("redis-cluster://", "redis://"));
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
    Keys newKeys(String prefix) {
        return Keys.forCluster(prefix);
    }

    @Override
    Store createStore(Keys keys) {
        return awaitConnected(ClusterStore.builder(RedisCluster.shared().uri()).keys(keys)
                .commandTimeout(Duration.ofMillis(500)).build());
    }

    static ClusterStore awaitConnected(ClusterStore store) {
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
        // KEYS through the cluster connection runs on every master.
        List<String> left = redis().keys(keys.prefix() + "*");
        if (!left.isEmpty()) {
            redis().del(left.toArray(String[]::new));
        }
    }

    private static RedisAdvancedClusterCommands<String, String> redis() {
        return connection.sync();
    }

    @Test
    void aTablesKeysShareASlotWhileEntriesAndTheEpochSpread() {
        String table = Keys.escape("public.post");
        Set<Integer> tableSlots = new HashSet<>(List.of(
                SlotHash.getSlot(keys.schemes(table)),
                SlotHash.getSlot(keys.wip(table)),
                SlotHash.getSlot(keys.schemeVersion(table, "category_id")),
                SlotHash.getSlot(keys.conj(table, List.of("category_id"), List.of("5"))),
                SlotHash.getSlot(keys.conj(table, List.of(), List.of()))));
        assertThat(tableSlots).as("one slot per table").hasSize(1);
        assertThat(keys.conj(table, List.of("category_id"), List.of("5")))
                .as("the type stays right after the prefix").startsWith(keys.prefix() + "conj:{public.post}:");
        Set<Integer> entrySlots = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            entrySlots.add(SlotHash.getSlot(keys.entry("h" + i)));
        }
        assertThat(entrySlots).as("entries spread by their own hash").hasSizeGreaterThan(90);
        assertThat(SlotHash.getSlot(keys.epoch())).isNotIn(tableSlots);
    }

    @Test
    void aHitIsReadOnTheCallingThreadFromEveryNodeOfItsSlots() {
        Lookup l = postOfCategory(5);
        cached(l, "v");
        ClusterStore cluster = (ClusterStore) store;
        long before = cluster.blockingReadsServed();

        Fetched hit = store.fetch(l, base(), LONG, true);

        assertThat(hit.entry()).isNotNull();
        assertThat(new String(hit.entry(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("v");
        assertThat(cluster.blockingReadsServed()).as("read over the blocking connections, not Lettuce")
                .isEqualTo(before + 1);
    }

    @Test
    void anEntryInvalidatedIsNotServedByTheCallingThreadRead() {
        Lookup l = postOfCategory(5);
        cached(l, "v");
        release("post", row("category_id", "5"));

        Fetched after = store.fetch(l, base(), LONG, true);

        assertThat(after.entry()).isNull();
    }

    @Test
    void lockBuildsTheSameKeysAsKeys() {
        fetch(postOfCategoryVisible(5, true));
        fetch(allPosts());
        lock("w1", "post", row("visible", "true", "category_id", "5"), 30_000);

        assertThat(redis().get(keys.conj("post", List.of("category_id", "visible"), List.of("5", "true"))))
                .isEqualTo("LOCKED");
        assertThat(redis().get(keys.conj("post", List.of(), List.of()))).isEqualTo("LOCKED");
        assertThat(redis().zscore(keys.wip("post"), "w1")).isNotNull();
        store.invalidate(List.of(new TableInvalidation("post", false, List.of(row("category_id", "5", "visible", "true")))),
                Phase.RELEASE, "w1", 30_000);
        assertThat(redis().exists(keys.conj("post", List.of("category_id", "visible"), List.of("5", "true")))).isZero();
        assertThat(redis().zscore(keys.wip("post"), "w1")).isNull();
    }

    @Test
    void schemesSetsHaveNoTtl() {
        fetch(postOfCategory(5));
        assertThat(redis().smembers(keys.schemes("post"))).containsExactly("category_id");
        assertThat(redis().pttl(keys.schemes("post"))).isEqualTo(-1L);
    }

    @Test
    void rowsOfManyTablesOnManySlotsInOneCall() {
        List<TableInvalidation> tables = new ArrayList<>();
        List<Lookup> lookups = new ArrayList<>();
        List<List<byte[]>> stamps = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            tables.add(new TableInvalidation("t" + i, false, List.of(row("id", "1"), row("id", "2"))));
            Lookup l = lookup("t" + i, "t" + i, Map.of("id", "2"));
            lookups.add(l);
            stamps.add(cached(l, "v"));
        }
        Lookup untouched = lookup("t7-3", "t7", Map.of("id", "3"));
        List<byte[]> s3 = cached(untouched, "v3");
        store.invalidate(tables, Phase.RELEASE, "w", 1_000);
        for (int i = 0; i < 50; i++) {
            assertThat(stillCached(lookups.get(i), stamps.get(i), "v")).as("t%d", i).isFalse();
        }
        assertThat(stillCached(untouched, s3, "v3")).isTrue();
    }

    @Test
    void aFetchRightAfterAnUnawaitedFillFindsTheEntry() {
        for (int i = 0; i < 50; i++) {
            Lookup l = postOfCategory(100 + i);
            Fetched f = fetch(l);
            store.put(l, f.stamps(), "v".getBytes(UTF_8), LONG, LONG);
            assertThat(store.fetch(l, base(), LONG, true).entry()).as("round %d", i).isNotNull();
        }
    }

    @Test
    void badSettingsAreNamed() {
        assertThatThrownBy(() -> ClusterStore.builder("redis-cluster://127.0.0.1:1").keys(new Keys("p")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Keys.forCluster");
        assertThatThrownBy(() -> ClusterStore.builder("redis-cluster://:secret@127.0.0.1").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host:port")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> ClusterStore.builder("redis-cluster://127.0.0.1:7000/2").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("database 0 only");
        assertThatThrownBy(() -> ClusterStore.builder("redis-cluster://127.0.0.1:7000").trustedCa(java.nio.file.Path.of("x"))
                .build()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rediss-cluster://");
        assertThatThrownBy(() -> Keys.forCluster("a{b}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'{'");
    }
}
