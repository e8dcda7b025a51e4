package dev.cacheops.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheops.store.Store.Phase;
import dev.cacheops.testing.TestServices;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Store} shares, run against each implementation by a subclass (the
 * way Lettuce reuses one suite across execution modes). Everything is observed through the
 * {@code Store} API only, so both stores answer the same questions.
 */
abstract class StoreContract {
    static final long LONG = 60_000;

    Keys keys;
    Store store;

    /** A store using {@code keys}, ready to serve. */
    abstract Store createStore(Keys keys);

    /** The key schema for a prefix: the standalone layout unless the store needs another. */
    Keys newKeys(String prefix) {
        return new Keys(prefix);
    }

    /** Lets {@code d} pass on the store's clock (a test clock, or real sleeping). */
    abstract void advance(Duration d);

    /** Removes whatever the test left behind. */
    void cleanUp(Keys keys) {
    }

    @BeforeEach
    void createStore() {
        keys = newKeys(TestServices.uniquePrefix());
        store = createStore(keys);
    }

    @AfterEach
    void closeStore() {
        try {
            store.close();
        } finally {
            cleanUp(keys);
        }
    }

    // ---- helpers -------------------------------------------------------------------------

    /** A query on {@code table} with equality on {@code conj} (sorted column -> value). */
    Lookup lookup(String hash, String table, Map<String, String> conj) {
        List<String> cols = new ArrayList<>(conj.keySet());
        List<String> vals = new ArrayList<>(conj.values());
        String scheme = Keys.scheme(cols);
        return new Lookup(keys.entry(hash),
                List.of(keys.epoch(), keys.schemeVersion(table, scheme), keys.conj(table, cols, vals)),
                List.of(new Lookup.SchemeRef(keys.schemes(table), scheme)),
                List.of(keys.wip(table)));
    }

    /** Like {@link #lookup}, for a result referencing only the columns of {@code columnSet}. */
    Lookup lookup(String hash, String table, Map<String, String> conj, String columnSet) {
        List<String> cols = new ArrayList<>(conj.keySet());
        List<String> vals = new ArrayList<>(conj.values());
        String scheme = Keys.scheme(cols, columnSet);
        return new Lookup(keys.entry(hash),
                List.of(keys.epoch(), keys.schemeVersion(table, scheme), keys.conj(table, cols, vals, columnSet)),
                List.of(new Lookup.SchemeRef(keys.schemes(table), scheme)),
                List.of(keys.wip(table)));
    }

    void release(TableInvalidation t) {
        store.invalidate(List.of(t), Phase.RELEASE, "w-" + base(), LONG);
    }

    Lookup postOfCategory(int category) {
        return lookup("post-cat-" + category, "post", Map.of("category_id", Integer.toString(category)));
    }

    Lookup allPosts() {
        return lookup("post-all", "post", Map.of());
    }

    Lookup postOfCategoryVisible(int category, boolean visible) {
        Map<String, String> conj = new LinkedHashMap<>();
        conj.put("category_id", Integer.toString(category));
        conj.put("visible", Boolean.toString(visible));
        return lookup("post-cat-vis-" + category + "-" + visible, "post", conj);
    }

    static String base() {
        return UUID.randomUUID().toString();
    }

    Fetched fetch(Lookup l) {
        return store.fetch(l, base(), LONG);
    }

    boolean put(Lookup l, Fetched f, String value) {
        return put(l, f.stamps(), value, LONG, LONG);
    }

    boolean put(Lookup l, List<byte[]> expected, String value, long ttl, long stampTtl) {
        return store.put(l, expected, value.getBytes(UTF_8), ttl, stampTtl).toCompletableFuture().join();
    }

    /** Fetches, stores {@code value} and checks it was stored; returns the stamps it depends on. */
    List<byte[]> cached(Lookup l, String value) {
        Fetched f = fetch(l);
        assertThat(put(l, f, value)).as("put of %s", l.entryKey()).isTrue();
        return f.stamps();
    }

    /** Whether the entry is still served with exactly the given stamps. */
    boolean stillCached(Lookup l, List<byte[]> stamps, String value) {
        Fetched f = fetch(l);
        return f.entry() != null && new String(f.entry(), UTF_8).equals(value) && same(f.stamps(), stamps);
    }

    static boolean same(List<byte[]> a, List<byte[]> b) {
        return strings(a).equals(strings(b));
    }

    static List<String> strings(List<byte[]> values) {
        return values.stream().map(v -> new String(v, UTF_8)).toList();
    }

    static Map<String, String> row(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    void release(String table, Map<String, String> row) {
        store.invalidate(List.of(new TableInvalidation(table, false, List.of(row))), Phase.RELEASE, "w-" + base(), LONG);
    }

    void lock(String writer, String table, Map<String, String> row, long lockTtl) {
        store.invalidate(List.of(new TableInvalidation(table, false, List.of(row))), Phase.LOCK, writer, lockTtl);
    }

    // ---- fetch ---------------------------------------------------------------------------

    @Test
    void firstFetchCreatesStampsAndRegistersSchemes() {
        Lookup l = postOfCategory(5);
        Fetched f = store.fetch(l, "b1", LONG);
        assertThat(f.entry()).isNull();
        assertThat(f.locked()).isFalse();
        assertThat(strings(f.stamps())).containsExactly("b1:1", "b1:2", "b1:3");
        assertThat(store.schemes("post")).containsExactly("category_id");

        Fetched again = store.fetch(l, "b2", LONG);
        assertThat(strings(again.stamps())).as("existing stamps are kept").containsExactly("b1:1", "b1:2", "b1:3");
        assertThat(again.entry()).isNull();
    }

    @Test
    void emptySchemeIsRegisteredToo() {
        fetch(allPosts());
        fetch(postOfCategoryVisible(5, true));
        assertThat(store.schemes("post")).containsExactlyInAnyOrder("", "category_id,visible");
        assertThat(store.schemes("nobody_reads_this")).isEmpty();
    }

    @Test
    void putThenFetchReturnsEntryWithUnchangedStamps() {
        Lookup l = postOfCategory(5);
        Fetched f = fetch(l);
        assertThat(put(l, f, "rows")).isTrue();

        Fetched hit = store.fetch(l, "unused", LONG);
        assertThat(new String(hit.entry(), UTF_8)).isEqualTo("rows");
        assertThat(strings(hit.stamps())).isEqualTo(strings(f.stamps()));
        assertThat(hit.locked()).isFalse();
    }

    @Test
    void fetchReturnsNoEntryWhenAStampHadToBeCreated() {
        Lookup l = postOfCategory(5);
        cached(l, "rows");
        release("post", row("category_id", "5"));
        Fetched f = fetch(l);
        assertThat(f.entry()).as("the conjunction stamp was recreated").isNull();
    }

    @Test
    void hintedFetchOfANewLookupStillCreatesStampsAndSchemes() {
        Lookup l = postOfCategory(5);
        Fetched f = store.fetch(l, "h1", LONG, true);
        assertThat(f.entry()).isNull();
        assertThat(strings(f.stamps())).containsExactly("h1:1", "h1:2", "h1:3");
        assertThat(store.schemes("post")).containsExactly("category_id");
    }

    @Test
    void hintedFetchServesWhatTheCreatingFetchServes() {
        Lookup l = postOfCategory(5);
        List<byte[]> stamps = cached(l, "rows");
        Fetched hit = store.fetch(l, "unused", LONG, true);
        assertThat(new String(hit.entry(), UTF_8)).isEqualTo("rows");
        assertThat(strings(hit.stamps())).isEqualTo(strings(stamps));

        lock("w1", "post", row("category_id", "5"), LONG);
        Fetched locked = store.fetch(l, "unused", LONG, true);
        assertThat(locked.locked()).isTrue();
        assertThat(locked.entry()).as("never served while locked").isNull();

        store.invalidate(List.of(new TableInvalidation("post", false, List.of(row("category_id", "5")))),
                Phase.RELEASE, "w1", LONG);
        Fetched after = store.fetch(l, "h2", LONG, true);
        assertThat(after.locked()).isFalse();
        assertThat(after.entry()).as("the released stamp was recreated").isNull();
        assertThat(strings(after.stamps())).containsExactly(strings(stamps).get(0), strings(stamps).get(1), "h2:3");
        assertThat(put(l, after, "fresh")).isTrue();
        assertThat(new String(store.fetch(l, "unused", LONG, true).entry(), UTF_8)).isEqualTo("fresh");
    }

    // ---- put -----------------------------------------------------------------------------

    /** A quiet fill writes without checking: what it stores under changed stamps must never be served. */
    @Test
    void aQuietFillUnderStampsChangedSinceTheFetchIsNeverServed() {
        Lookup l = postOfCategory(5);
        Fetched f = fetch(l);
        release("post", row("category_id", "5"));
        store.putQuiet(l, f.stamps(), f.quiet(), "old".getBytes(UTF_8), LONG, LONG).toCompletableFuture().join();
        // The store may hand the bytes back; the stamps they were written under are gone for good,
        // so the protocol's checksum (computed from f's stamps) never matches again.
        assertThat(stillCached(l, f.stamps(), "old")).isFalse();
        assertThat(same(fetch(l).stamps(), f.stamps())).isFalse();
    }

    @Test
    void aQuietFillIsServedLikeAnyOther() {
        Lookup l = postOfCategory(5);
        Fetched f = fetch(l);
        assertThat(store.putQuiet(l, f.stamps(), f.quiet(), "rows".getBytes(UTF_8), LONG, LONG)
                .toCompletableFuture().join()).isTrue();
        assertThat(stillCached(l, f.stamps(), "rows")).isTrue();
    }

    @Test
    void putRefusedWhenAStampChanged() {
        Lookup l = postOfCategory(5);
        Fetched f = fetch(l);
        store.invalidateAll();
        fetch(l); // recreates the epoch with another value
        assertThat(put(l, f, "stale")).isFalse();
        assertThat(fetch(l).entry()).isNull();
    }

    @Test
    void putRefusedWhenAStampWasDeleted() {
        Lookup l = postOfCategory(5);
        Fetched f = fetch(l);
        release("post", row("category_id", "5"));
        assertThat(put(l, f, "stale")).isFalse();
    }

    @Test
    void putRefusedWhenAStampIsLocked() {
        Lookup l = postOfCategory(5);
        Fetched f = fetch(l);
        lock("w1", "post", row("category_id", "5"), LONG);
        assertThat(put(l, f, "stale")).isFalse();
        List<byte[]> lockedStamps = new ArrayList<>(f.stamps());
        lockedStamps.set(2, Store.LOCKED);
        assertThat(put(l, lockedStamps, "stale", LONG, LONG)).as("LOCKED never matches").isFalse();
    }

    @Test
    void putRefusedWhileAWriterThatDidNotKnowItsSchemeIsInProgress() {
        // The writer's lock read the schemes before this lookup registered its own: it locked
        // nothing of it, and its commit may still change the result.
        lock("w1", "post", row("category_id", "5"), LONG);
        Lookup l = postOfCategory(5);
        Fetched f = fetch(l);
        assertThat(f.locked()).isFalse();
        assertThat(put(l, f, "maybe stale")).isFalse();
    }

    @Test
    void putAcceptedWhileAWriterThatKnewItsSchemeWritesOtherRows() {
        Lookup l = postOfCategory(5);
        Fetched f = fetch(l);
        lock("w1", "post", row("category_id", "7"), LONG); // another conjunction of the same table
        assertThat(strings(fetch(l).stamps())).isEqualTo(strings(f.stamps()));
        assertThat(put(l, f, "rows of 5")).isTrue();
        assertThat(stillCached(l, f.stamps(), "rows of 5")).isTrue();
    }

    @Test
    void putRefusedWhenAWriterThatKnewItsSchemeTouchedIt() {
        Lookup l = postOfCategory(5);
        Fetched f = fetch(l);
        lock("w1", "post", row("category_id", "5"), LONG);
        assertThat(put(l, f, "stale")).as("its stamp is LOCKED").isFalse();
    }

    @Test
    void putRefusedWhileAWriterThatLockedItsStampIsInProgressEvenAfterAnotherReleaseDeletedTheLock() {
        Lookup l = postOfCategory(5);
        fetch(l);
        lock("w2", "post", row("category_id", "5"), LONG);
        // Another writer of the same row commits first: its release deletes the LOCKED stamp.
        release("post", row("category_id", "5"));
        Fetched f = fetch(l);
        assertThat(f.locked()).as("the stamp was recreated").isFalse();
        assertThat(put(l, f, "read before w2 commits")).as("w2 may still change it").isFalse();
        store.invalidate(List.of(new TableInvalidation("post", false, List.of(row("category_id", "5")))),
                Phase.RELEASE, "w2", LONG);
        Fetched after = fetch(l);
        assertThat(put(l, after, "read after w2")).isTrue();
    }

    @Test
    void putRefusedWhileAWriterKnewOnlySomeOfItsSchemes() {
        fetch(postOfCategory(9));
        lock("w1", "post", row("category_id", "7"), LONG); // knows category_id, not category_id,visible
        Lookup l = postOfCategoryVisible(5, true);
        Fetched f = fetch(l);
        assertThat(put(l, f, "maybe stale")).isFalse();
    }

    @Test
    void aCapturedFunctionIsRefusedWhileAnyWriterIsInProgress() throws Exception {
        Lookup a = postOfCategory(5);
        Fetched fa = fetch(a);
        lock("w1", "post", row("category_id", "7"), LONG);
        // A captured function's lookup names no schemes: no writer can be shown to know them.
        Lookup fn = new Lookup(keys.entry("fn-wip"), a.stampKeys(), List.of(), List.of(keys.wip("post")));
        assertThat(store.putRecorded(fn, fa.stamps(), "v".getBytes(UTF_8), LONG, LONG, keys.deps("fn-wip"))
                .toCompletableFuture().get()).isFalse();
        assertThat(put(a, fa, "rows of 5")).as("the same stamps with their scheme named").isTrue();
    }

    @Test
    void putAcceptedAfterTheWriteInProgressExpired() {
        lock("crashed", "post", row("category_id", "7"), 300);
        Lookup l = postOfCategory(5);
        Fetched f = fetch(l);
        assertThat(put(l, f, "v")).isFalse();
        advance(Duration.ofMillis(700));
        assertThat(put(l, f, "v")).isTrue();
    }

    // ---- invalidate ----------------------------------------------------------------------

    @Test
    void releaseByRowDeletesExactlyTheMatchingConjunctions() {
        Lookup cat5 = postOfCategory(5);
        Lookup cat7 = postOfCategory(7);
        Lookup cat5visible = postOfCategoryVisible(5, true);
        Lookup cat7visible = postOfCategoryVisible(7, true);
        Lookup all = allPosts();
        Lookup otherTable = lookup("cat-7", "category", Map.of("id", "7"));
        List<byte[]> s5 = cached(cat5, "5");
        List<byte[]> s7 = cached(cat7, "7");
        List<byte[]> s5v = cached(cat5visible, "5v");
        List<byte[]> s7v = cached(cat7visible, "7v");
        List<byte[]> sAll = cached(all, "all");
        List<byte[]> sOther = cached(otherTable, "other");

        release("post", row("id", "1", "category_id", "7", "visible", "true"));

        assertThat(stillCached(cat5, s5, "5")).as("category 5 untouched").isTrue();
        assertThat(stillCached(cat5visible, s5v, "5v")).isTrue();
        assertThat(stillCached(otherTable, sOther, "other")).as("other table untouched").isTrue();
        assertThat(stillCached(cat7, s7, "7")).isFalse();
        assertThat(stillCached(cat7visible, s7v, "7v")).isFalse();
        assertThat(stillCached(all, sAll, "all")).as("the empty conjunction").isFalse();
        // Only the conjunction stamp (last) changed; epoch and scheme version are kept.
        Fetched f7 = fetch(cat7);
        assertThat(strings(f7.stamps()).subList(0, 2)).isEqualTo(strings(s7).subList(0, 2));
        assertThat(strings(f7.stamps()).get(2)).isNotEqualTo(strings(s7).get(2));
    }

    // ---- column sets (DESIGN §3, "Column sets") -----------------------------------------------

    /** Titles of category 5, all titles, a count of category 5, a count of all, and every column. */
    private final class ColumnSets {
        final Lookup titlesOf5 = lookup("titles-5", "post", Map.of("category_id", "5"), "category_id,title");
        final Lookup titles = lookup("titles", "post", Map.of(), "title");
        final Lookup countOf5 = lookup("count-5", "post", Map.of("category_id", "5"), "category_id");
        final Lookup count = lookup("count", "post", Map.of(), "");
        final Lookup everyColumnOf5 = postOfCategory(5);
        final List<byte[]> sTitlesOf5 = cached(titlesOf5, "t5");
        final List<byte[]> sTitles = cached(titles, "t");
        final List<byte[]> sCountOf5 = cached(countOf5, "c5");
        final List<byte[]> sCount = cached(count, "c");
        final List<byte[]> sEvery = cached(everyColumnOf5, "e5");

        List<Boolean> kept() {
            return List.of(stillCached(titlesOf5, sTitlesOf5, "t5"), stillCached(titles, sTitles, "t"),
                    stillCached(countOf5, sCountOf5, "c5"), stillCached(count, sCount, "c"),
                    stillCached(everyColumnOf5, sEvery, "e5"));
        }
    }

    @SafeVarargs
    private static TableInvalidation update(java.util.Set<String> changed, Map<String, String>... images) {
        return new TableInvalidation("post", false, List.of(images), changed);
    }

    @Test
    void aWriteChangingOnlyAnUnreferencedColumnKeepsTheResultsThatDoNotReferenceIt() {
        ColumnSets c = new ColumnSets();
        Map<String, String> image = row("id", "1", "category_id", "5");
        release(update(java.util.Set.of("views"), image, image));
        // Only the result that may depend on every column is invalidated.
        assertThat(c.kept()).containsExactly(true, true, true, true, false);
    }

    @Test
    void aRewriteThatChangedNothingKeepsEveryResultWithAColumnSet() {
        ColumnSets c = new ColumnSets();
        Map<String, String> image = row("id", "1", "category_id", "5");
        release(update(java.util.Set.of(), image, image));
        assertThat(c.kept()).containsExactly(true, true, true, true, false);
    }

    @Test
    void changingAReferencedColumnInvalidatesTheResultsReferencingIt() {
        ColumnSets c = new ColumnSets();
        Map<String, String> image = row("id", "1", "category_id", "5");
        release(update(java.util.Set.of("title"), image, image));
        assertThat(c.kept()).containsExactly(false, false, true, true, false);
    }

    @Test
    void changingAConditionColumnInvalidatesTheConjunctionsOfBothImages() {
        ColumnSets c = new ColumnSets();
        Lookup countOf7 = lookup("count-7", "post", Map.of("category_id", "7"), "category_id");
        List<byte[]> s7 = cached(countOf7, "c7");
        Lookup countOf9 = lookup("count-9", "post", Map.of("category_id", "9"), "category_id");
        List<byte[]> s9 = cached(countOf9, "c9");
        release(update(java.util.Set.of("category_id"), row("id", "1", "category_id", "5"),
                row("id", "1", "category_id", "7")));
        assertThat(c.kept()).containsExactly(false, true, false, true, false);
        assertThat(stillCached(countOf7, s7, "c7")).isFalse();
        assertThat(stillCached(countOf9, s9, "c9")).as("another category").isTrue();
    }

    @Test
    void anInsertOrDeleteInvalidatesWhateverItsRowBelongsTo() {
        ColumnSets c = new ColumnSets();
        release(new TableInvalidation("post", false, List.of(row("id", "1", "category_id", "5"))));
        assertThat(c.kept()).containsExactly(false, false, false, false, false);
    }

    @Test
    void aWholeTableUpdateOfKnownColumnsKeepsTheResultsNotReferencingThem() {
        ColumnSets c = new ColumnSets();
        release(new TableInvalidation("post", true, List.of(), java.util.Set.of("views")));
        assertThat(c.kept()).containsExactly(true, true, true, true, false);
        release(new TableInvalidation("post", true, List.of(), java.util.Set.of("category_id")));
        // count(*) of every row: an update changes no count unless a condition column changes.
        assertThat(c.kept()).containsExactly(false, true, false, true, false);
    }

    @Test
    void aLockOfAnUnreferencedColumnLeavesTheResultsServed() {
        ColumnSets c = new ColumnSets();
        Map<String, String> image = row("id", "1", "category_id", "5");
        store.invalidate(List.of(update(java.util.Set.of("views"), image)), Phase.LOCK, "w-lock", LONG);
        assertThat(c.kept()).containsExactly(true, true, true, true, false);
    }

    @Test
    void rowMissingASchemeColumnDeletesThatSchemeVersion() {
        Lookup cat5 = postOfCategory(5);
        Lookup cat5visible = postOfCategoryVisible(5, true);
        List<byte[]> s5 = cached(cat5, "5");
        List<byte[]> s5v = cached(cat5visible, "5v");

        release("post", row("category_id", "9")); // visible unknown

        assertThat(stillCached(cat5, s5, "5")).isTrue();
        assertThat(stillCached(cat5visible, s5v, "5v")).isFalse();
        Fetched f = fetch(cat5visible);
        assertThat(strings(f.stamps()).get(1)).as("sv:post:category_id,visible recreated").isNotEqualTo(strings(s5v).get(1));
        assertThat(strings(f.stamps()).get(2)).as("the conjunction itself was kept").isEqualTo(strings(s5v).get(2));
    }

    @Test
    void wholeTableDeletesEverySchemeVersion() {
        Lookup cat5 = postOfCategory(5);
        Lookup all = allPosts();
        Lookup otherTable = lookup("cat-7", "category", Map.of("id", "7"));
        List<byte[]> s5 = cached(cat5, "5");
        List<byte[]> sAll = cached(all, "all");
        List<byte[]> sOther = cached(otherTable, "other");

        store.invalidate(List.of(TableInvalidation.wholeTable("post")), Phase.RELEASE, "w", LONG);

        assertThat(stillCached(cat5, s5, "5")).isFalse();
        assertThat(stillCached(all, sAll, "all")).isFalse();
        assertThat(stillCached(otherTable, sOther, "other")).isTrue();
        Fetched f = fetch(cat5);
        assertThat(strings(f.stamps()).get(1)).isNotEqualTo(strings(s5).get(1));
        assertThat(strings(f.stamps()).get(2)).as("conjunctions are left alone").isEqualTo(strings(s5).get(2));
    }

    @Test
    void oneCallInvalidatesSeveralTables() {
        Lookup cat5 = postOfCategory(5);
        Lookup category5 = lookup("category-5", "category", Map.of("id", "5"));
        Lookup category6 = lookup("category-6", "category", Map.of("id", "6"));
        List<byte[]> s = cached(cat5, "p");
        List<byte[]> c5 = cached(category5, "c5");
        List<byte[]> c6 = cached(category6, "c6");

        store.invalidate(List.of(
                new TableInvalidation("post", false, List.of(row("category_id", "5"), row("category_id", "6"))),
                new TableInvalidation("category", false, List.of(row("id", "5")))), Phase.RELEASE, "w", LONG);

        assertThat(stillCached(cat5, s, "p")).isFalse();
        assertThat(stillCached(category5, c5, "c5")).isFalse();
        assertThat(stillCached(category6, c6, "c6")).isTrue();
    }

    @Test
    void lockSetsLockedAndFetchReportsItWithoutOverwriting() {
        Lookup cat5 = postOfCategory(5);
        List<byte[]> s5 = cached(cat5, "5");

        lock("w1", "post", row("category_id", "5"), LONG);

        for (int i = 0; i < 2; i++) {
            Fetched f = fetch(cat5);
            assertThat(f.locked()).isTrue();
            assertThat(f.entry()).isNull();
            assertThat(strings(f.stamps())).containsExactly(strings(s5).get(0), strings(s5).get(1), "LOCKED");
        }
        assertThat(fetch(postOfCategory(7)).locked()).isFalse();
    }

    @Test
    void lockedStampExpiresWithTheLockTtl() {
        Lookup cat5 = postOfCategory(5);
        fetch(cat5);
        lock("crashed", "post", row("category_id", "5"), 300);
        assertThat(fetch(cat5).locked()).isTrue();
        advance(Duration.ofMillis(700));
        Fetched f = fetch(cat5);
        assertThat(f.locked()).isFalse();
        assertThat(put(cat5, f, "v")).isTrue();
    }

    @Test
    void releaseAfterLockRemovesTheLockAndOnlyThisWriter() {
        lock("b", "post", row("category_id", "9"), LONG); // before the scheme exists
        Lookup cat5 = postOfCategory(5);
        fetch(cat5);
        lock("a", "post", row("category_id", "5"), LONG);

        store.invalidate(List.of(new TableInvalidation("post", false, List.of(row("category_id", "5")))),
                Phase.RELEASE, "a", LONG);

        Fetched f = fetch(cat5);
        assertThat(f.locked()).isFalse();
        assertThat(strings(f.stamps()).get(2)).isNotEqualTo("LOCKED");
        assertThat(put(cat5, f, "v")).as("writer b, which did not know the scheme, still in progress").isFalse();

        store.invalidate(List.of(new TableInvalidation("post", false, List.of(row("category_id", "9")))),
                Phase.RELEASE, "b", LONG);
        assertThat(put(cat5, f, "v")).isTrue();
    }

    @Test
    void aLockArrivingAfterItsWritersReleaseLocksNothing() {
        Lookup cat5 = postOfCategory(5);
        fetch(cat5);
        store.invalidate(List.of(new TableInvalidation("post", false, List.of(row("category_id", "5")))),
                Phase.RELEASE, "late", LONG);
        lock("late", "post", row("category_id", "5"), LONG);

        Fetched f = fetch(cat5);
        assertThat(f.locked()).as("the late lock set no stamp LOCKED").isFalse();
        assertThat(put(cat5, f, "v")).as("nor left its writer in progress").isTrue();

        lock("other", "post", row("category_id", "5"), LONG);
        assertThat(fetch(cat5).locked()).as("another writer still locks").isTrue();
    }

    @Test
    void abandonRemovesTheWriterButLeavesStamps() {
        Lookup cat9 = postOfCategory(9);
        fetch(cat9);
        lock("a", "post", row("category_id", "9"), LONG);
        Lookup visible5 = postOfCategoryVisible(5, true); // a scheme the writer did not know
        Fetched f = fetch(visible5);
        assertThat(put(visible5, f, "v")).isFalse();

        store.abandon(List.of("post", "category"), "a");

        assertThat(put(visible5, f, "v")).isTrue();
        assertThat(fetch(cat9).locked()).as("stamps untouched").isTrue();
    }

    @Test
    void invalidateAllDeletesTheEpoch() {
        Lookup cat5 = postOfCategory(5);
        List<byte[]> s5 = cached(cat5, "5");
        store.invalidateAll();
        Fetched f = fetch(cat5);
        assertThat(f.entry()).isNull();
        assertThat(strings(f.stamps()).get(0)).isNotEqualTo(strings(s5).get(0));
        assertThat(strings(f.stamps()).subList(1, 3)).isEqualTo(strings(s5).subList(1, 3));
    }

    // ---- TTLs ----------------------------------------------------------------------------

    @Test
    void entryExpires() {
        Lookup cat5 = postOfCategory(5);
        Fetched f = fetch(cat5);
        assertThat(put(cat5, f.stamps(), "v", 400, LONG)).isTrue();
        assertThat(fetch(cat5).entry()).isNotNull();
        advance(Duration.ofMillis(800));
        Fetched after = fetch(cat5);
        assertThat(after.entry()).isNull();
        assertThat(strings(after.stamps())).as("stamps outlive the entry").isEqualTo(strings(f.stamps()));
    }

    @Test
    void stampsExpireWithoutAnEntry() {
        Lookup cat5 = postOfCategory(5);
        Fetched f = store.fetch(cat5, "b1", 300);
        advance(Duration.ofMillis(700));
        Fetched again = store.fetch(cat5, "b2", LONG);
        assertThat(strings(again.stamps())).containsExactly("b2:1", "b2:2", "b2:3");
        assertThat(put(cat5, f, "v")).isFalse();
    }

    @Test
    void putExtendsShortStamps() {
        Lookup cat5 = postOfCategory(5);
        Fetched f = store.fetch(cat5, "b1", 300);
        assertThat(put(cat5, f.stamps(), "v", LONG, LONG)).isTrue();
        advance(Duration.ofMillis(700));
        Fetched hit = store.fetch(cat5, "b2", LONG);
        assertThat(strings(hit.stamps())).containsExactly("b1:1", "b1:2", "b1:3");
        assertThat(hit.entry()).isNotNull();
    }

    // ---- keys ----------------------------------------------------------------------------

    @Test
    void escapedTablesColumnsAndValues() {
        String table = Keys.escape("my:schema.post&x");
        String column = Keys.escape("a=b,c");
        String tricky = Keys.escape("x:y&z=w,%");
        String other = Keys.escape("x:y&z=w,%2");
        Lookup l1 = lookup("e1", table, Map.of(column, tricky));
        Lookup l2 = lookup("e2", table, Map.of(column, other));
        List<byte[]> s1 = cached(l1, "1");
        List<byte[]> s2 = cached(l2, "2");
        assertThat(store.schemes(table)).containsExactly(column);

        release(table, row(column, tricky));

        assertThat(stillCached(l1, s1, "1")).isFalse();
        assertThat(stillCached(l2, s2, "2")).isTrue();
    }

    @Test
    void manyStamps() {
        List<String> stamps = new ArrayList<>();
        stamps.add(keys.epoch());
        stamps.add(keys.schemeVersion("t", "id"));
        for (int i = 1; i <= 198; i++) {
            stamps.add(keys.conj("t", List.of("id"), List.of(Integer.toString(i))));
        }
        Lookup l = new Lookup(keys.entry("many"), stamps, List.of(new Lookup.SchemeRef(keys.schemes("t"), "id")),
                List.of(keys.wip("t")));
        Fetched f = store.fetch(l, "b", LONG);
        assertThat(f.stamps()).hasSize(200);
        assertThat(new String(f.stamps().get(199), UTF_8)).isEqualTo("b:200");
        assertThat(put(l, f, "v")).isTrue();
        assertThat(stillCached(l, f.stamps(), "v")).isTrue();

        release("t", row("id", "100"));

        Fetched after = fetch(l);
        assertThat(after.entry()).isNull();
        assertThat(strings(after.stamps()).get(101)).isNotEqualTo("b:102");
        assertThat(strings(after.stamps()).get(100)).isEqualTo("b:101");
    }

    @Test
    void binaryEntriesRoundTrip() {
        Lookup l = postOfCategory(5);
        Fetched f = fetch(l);
        byte[] value = new byte[256];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) i;
        }
        assertThat(store.put(l, f.stamps(), value, LONG, LONG).toCompletableFuture().join()).isTrue();
        assertThat(fetch(l).entry()).isEqualTo(value);
    }

    // ---- concurrency ---------------------------------------------------------------------

    /**
     * The protocol's promise (DESIGN §6), with a counter standing in for the database: no read that
     * starts after a commit has returned is served a value older than that commit, while readers
     * and a strict writer (LOCK, write, RELEASE) race.
     */
    @Test
    void noReadStartingAfterACommitIsServedAnOlderValue() throws Exception {
        Lookup l = postOfCategory(5);
        AtomicLong database = new AtomicLong();
        AtomicLong committed = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong hits = new AtomicLong();
        long end = System.nanoTime() + Duration.ofMillis(700).toNanos();
        Runnable reader = () -> {
            try {
                while (System.nanoTime() < end && failure.get() == null) {
                    long before = committed.get();
                    Fetched f = fetch(l);
                    // Like the engine, an entry carries the stamps it was written with (its
                    // checksum) and is valid only while they are the current ones.
                    String checksum = String.join(",", strings(f.stamps()));
                    String entry = f.entry() == null ? null : new String(f.entry(), UTF_8);
                    if (entry != null && entry.startsWith(checksum + "|")) {
                        hits.incrementAndGet();
                        long served = Long.parseLong(entry.substring(checksum.length() + 1));
                        assertThat(served).as("served after commit %d", before).isGreaterThanOrEqualTo(before);
                    } else if (!f.locked()) {
                        long read = database.get();
                        put(l, f.stamps(), checksum + "|" + read, LONG, LONG);
                    }
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        };
        Runnable writer = () -> {
            try {
                while (System.nanoTime() < end && failure.get() == null) {
                    String id = "w-" + base();
                    lock(id, "post", row("category_id", "5"), LONG);
                    long v = database.incrementAndGet();
                    store.invalidate(List.of(new TableInvalidation("post", false, List.of(row("category_id", "5")))),
                            Phase.RELEASE, id, LONG);
                    committed.set(v);
                    Thread.sleep(2); // let readers fill the cache between writes
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        };
        List<Thread> threads = List.of(new Thread(reader), new Thread(reader), new Thread(reader), new Thread(writer));
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertThat(committed.get()).as("writes happened").isPositive();
        assertThat(hits.get()).as("hits happened").isPositive();
    }

    @Test
    void pingAnswers() {
        store.ping();
    }

    // ---- recorded entries (automatic dependency capture) and dog-pile locks

    @Test
    void recordedEntryIsValidUntilOneOfItsStampsIsInvalidated() throws Exception {
        Lookup a = postOfCategory(5);
        Lookup b = postOfCategory(6);
        Fetched fa = fetch(a);
        Fetched fb = fetch(b);
        List<String> stampKeys = new ArrayList<>(a.stampKeys());
        List<byte[]> expected = new ArrayList<>(fa.stamps());
        for (int i = 1; i < b.stampKeys().size(); i++) { // the epoch is shared
            stampKeys.add(b.stampKeys().get(i));
            expected.add(fb.stamps().get(i));
        }
        Lookup fn = new Lookup(keys.entry("fn"), stampKeys, List.of(), List.of(keys.wip("post")));
        assertThat(store.fetchRecorded(keys.entry("fn"), keys.deps("fn")).entry()).as("nothing recorded yet").isNull();
        assertThat(store.putRecorded(fn, expected, "v".getBytes(UTF_8), LONG, LONG, keys.deps("fn"))
                .toCompletableFuture().get()).isTrue();

        Recorded r = store.fetchRecorded(keys.entry("fn"), keys.deps("fn"));
        assertThat(r.entry()).isEqualTo("v".getBytes(UTF_8));
        assertThat(r.stampKeys()).isEqualTo(stampKeys);
        assertThat(r.stamps()).hasSize(stampKeys.size());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(r.stamps().get(i)).isEqualTo(expected.get(i));
        }

        release("post", row("category_id", "6"));
        assertThat(store.fetchRecorded(keys.entry("fn"), keys.deps("fn")).entry())
                .as("a stamp it recorded is gone").isNull();
    }

    @Test
    void recordedPutIsRefusedWhenAStampChanged() throws Exception {
        Lookup a = postOfCategory(5);
        Fetched fa = fetch(a);
        release("post", row("category_id", "5"));
        assertThat(store.putRecorded(a, fa.stamps(), "v".getBytes(UTF_8), LONG, LONG, keys.deps("x"))
                .toCompletableFuture().get()).isFalse();
        assertThat(store.fetchRecorded(a.entryKey(), keys.deps("x")).stampKeys()).as("nothing recorded").isEmpty();
    }

    @Test
    void lockIsExclusiveUntilReleasedOrExpired() {
        String k = keys.lock("q");
        assertThat(store.tryLock(k, "a", LONG)).isTrue();
        assertThat(store.tryLock(k, "b", LONG)).isFalse();
        store.unlock(k, "b"); // not the owner: no effect
        assertThat(store.tryLock(k, "b", LONG)).isFalse();
        store.unlock(k, "a");
        assertThat(store.tryLock(k, "b", 200)).isTrue();
        advance(Duration.ofMillis(400));
        assertThat(store.tryLock(k, "c", LONG)).as("expired").isTrue();
    }
}
