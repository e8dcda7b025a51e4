package dev.cacheops;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every store must give, taken from django-cacheops' own suite and from the design:
 * hits, granular invalidation by single-table conditions, joins, subqueries, aggregates, writes of
 * every shape, manual scopes and the invalidation API. Transactions, races and failures have their
 * own suites.
 */
abstract class CachingBehaviour extends CachingContract {
    static final String BY_CATEGORY = "select id, title from post where category_id = ? order by id";

    @Test
    void repeatedSelectIsAHitAndEqualsTheDatabase() {
        assertThat(hit(BY_CATEGORY, 5)).isFalse();
        awaitStored(BY_CATEGORY, 5);
        assertThat(hit(BY_CATEGORY, 5)).isTrue();
        assertThat(cacheops.stats().hits()).isPositive();
    }

    @Test
    void writeToAnotherCategoryLeavesCachedCategoriesValid() {
        warm(BY_CATEGORY, 5);
        warm(BY_CATEGORY, 6);
        update("update post set title = 'd2' where id = 4"); // category 7
        assertThat(hit(BY_CATEGORY, 5)).isTrue();
        assertThat(hit(BY_CATEGORY, 6)).isTrue();
    }

    @Test
    void movingARowBetweenCategoriesInvalidatesBoth() {
        warm(BY_CATEGORY, 5);
        warm(BY_CATEGORY, 6);
        warm(BY_CATEGORY, 7);
        update("update post set category_id = ? where id = ?", 6, 1);
        assertThat(hit(BY_CATEGORY, 5)).isFalse();
        assertThat(hit(BY_CATEGORY, 6)).isFalse();
        assertThat(hit(BY_CATEGORY, 7)).isTrue();
    }

    @Test
    void insertedRowAppearsAndDeletedRowDisappears() {
        warm(BY_CATEGORY, 5);
        warm(BY_CATEGORY, 6);
        update("insert into post (category_id, title) values (?, ?)", 5, "new");
        assertThat(hit(BY_CATEGORY, 5)).isFalse();
        assertThat(hit(BY_CATEGORY, 6)).isTrue();
        warm(BY_CATEGORY, 5);
        update("delete from post where id = ?", 1);
        assertThat(hit(BY_CATEGORY, 5)).isFalse();
        assertThat(hit(BY_CATEGORY, 6)).isTrue();
    }

    @Test
    void insertedRowAppearsInAGetByGeneratedKey() {
        String byId = "select title from post where id = ?";
        warm(byId, 5); // empty result cached
        warm(byId, 1);
        update("insert into post (category_id, title) values (6, 'fifth')");
        assertThat(query(byId, 5)).containsExactly(java.util.List.of("fifth"));
        assertThat(hit(byId, 1)).as("other ids stay cached").isTrue();
    }

    @Test
    void isNullIsGranular() {
        String sql = "select id from post where editor is null order by id";
        warm(sql);
        update("update post set title = 'zz' where id = 2"); // editor 'ed', stays 'ed'
        assertThat(hit(sql)).isTrue();
        update("update post set editor = null where id = 2");
        assertThat(hit(sql)).isFalse();
    }

    @Test
    void booleansAreGranular() {
        String sql = "select id from post where visible = ? and category_id = ? order by id";
        warm(sql, true, 5);
        warm(sql, false, 5);
        update("update post set visible = true where id = 2"); // false -> true in category 5
        assertThat(hit(sql, true, 5)).isFalse();
        assertThat(hit(sql, false, 5)).isFalse();
        warm(sql, true, 6);
        update("update post set title = 'e' where id = 1"); // visible true, category 5
        assertThat(hit(sql, true, 6)).isTrue();
    }

    @Test
    void inListsAreGranular() {
        String sql = "select id, title from post where category_id in (5, 6) order by id"; // reads the title written
        warm(sql);
        update("update post set title = 'q' where id = 4"); // category 7
        assertThat(hit(sql)).isTrue();
        update("update post set title = 'q' where id = 3"); // category 6
        assertThat(hit(sql)).isFalse();
    }

    @Test
    void numericsCompareByValue() {
        String sql = "select id, title from post where score = ?"; // reads the title written
        warm(sql, new BigDecimal("1.5"));
        update("update post set score = 9 where id = 4"); // 4.00 -> 9
        assertThat(hit(sql, new BigDecimal("1.5"))).isTrue();
        update("update post set title = 'n' where score = ?", new BigDecimal("1.50"));
        assertThat(hit(sql, new BigDecimal("1.5"))).isFalse();
    }

    @Test
    void datesTimestampsAndUuidsAreGranular() {
        String byDate = "select id, title from post where published = ?";
        String byTs = "select id, title from post where created = ?";
        String byTz = "select id, title from post where created_tz = ?";
        String byUid = "select id, title from post where uid = ?";
        Date d = Date.valueOf("2024-01-01");
        Timestamp ts = Timestamp.valueOf("2024-01-01 10:00:00");
        OffsetDateTime tz = OffsetDateTime.of(2024, 1, 1, 10, 0, 0, 0, ZoneOffset.UTC);
        UUID uid = UUID.fromString("11111111-1111-1111-1111-111111111111");
        warm(byDate, d);
        warm(byTs, ts);
        warm(byTz, tz);
        warm(byUid, uid);
        update("update post set title = 'other' where id = 3");
        assertThat(hit(byDate, d)).isTrue();
        assertThat(hit(byTs, ts)).isTrue();
        assertThat(hit(byTz, tz)).isTrue();
        assertThat(hit(byUid, uid)).isTrue();
        update("update post set title = 'first' where id = 1");
        assertThat(hit(byDate, d)).isFalse();
        assertThat(hit(byTs, ts)).isFalse();
        assertThat(hit(byTz, tz)).isFalse();
        assertThat(hit(byUid, uid)).isFalse();
    }

    @Test
    void textIsGranular() {
        String sql = "select id from post where title = ?";
        warm(sql, "a");
        update("update post set title = 'bb' where id = 2");
        assertThat(hit(sql, "a")).isTrue();
        update("update post set title = 'a' where id = 3");
        assertThat(hit(sql, "a")).isFalse();
    }

    @Test
    void joinOnCategoryTitleIsInvalidatedByThatCategoryOnly() {
        String sql = "select p.id from post p join category c on p.category_id = c.id where c.title = ? order by p.id";
        warm(sql, "five");
        update("update category set title = 'SEVEN' where id = 7");
        assertThat(hit(sql, "five")).isTrue();
        update("update category set title = 'FIVE' where id = 5");
        assertThat(hit(sql, "five")).isFalse();
    }

    @Test
    void joinCarriesConstantsAcrossTables() {
        String sql = "select p.id, c.title from post p join category c on p.category_id = c.id where c.id = ? order by p.id";
        warm(sql, 5);
        update("update post set title = 'x' where id = 3"); // category 6 post
        assertThat(hit(sql, 5)).as("post narrowed to category 5 by the join").isTrue();
        update("update post set title = 'x' where id = 1");
        assertThat(hit(sql, 5)).isFalse();
    }

    @Test
    void subqueryExistsCteAndUnionTablesAreDependencies() {
        String in = "select id from post where category_id in (select id from category where visible) order by id";
        String exists = "select c.id from category c where exists "
                + "(select 1 from post p where p.category_id = c.id and p.visible) order by c.id";
        String cte = "with v as (select category_id from post where visible) select count(*) from v";
        String union = "select title from category where id = 5 union select title from post where id = 3";
        warm(in);
        warm(exists);
        warm(cte);
        warm(union);
        update("update category set visible = false where id = 6");
        assertThat(hit(in)).as("the subquery's table is a dependency").isFalse();
        assertThat(hit(exists)).as("category is read without conditions").isFalse();
        warm(exists);
        update("update post set title = 'q' where id = 2"); // an invisible post stays invisible
        assertThat(hit(exists)).as("EXISTS narrows post to visible rows").isTrue();
        update("update post set visible = false where id = 4");
        assertThat(hit(exists)).isFalse();
        assertThat(hit(cte)).as("the CTE's table is a dependency").isFalse();
        update("update post set title = 'cc' where id = 3");
        assertThat(hit(union)).as("a union branch's table is a dependency").isFalse();
    }

    @Test
    void countAggregateAndExistsAreCachedAndInvalidated() {
        String count = "select count(*) from post where category_id = ?";
        String agg = "select category_id, sum(score) from post group by category_id order by category_id";
        String ex = "select exists(select 1 from post where category_id = ?)";
        warm(count, 5);
        warm(agg);
        warm(ex, 6);
        update("insert into post (category_id, title, score) values (6, 'n', 10)");
        assertThat(hit(count, 5)).isTrue();
        assertThat(hit(agg)).isFalse();
        assertThat(hit(ex, 6)).isFalse();
    }

    @Test
    void massUpdateInvalidatesOnlyItsCategory() {
        warm(BY_CATEGORY, 5);
        warm(BY_CATEGORY, 6);
        update("update post set title = title || '!' where category_id = 5");
        assertThat(hit(BY_CATEGORY, 5)).isFalse();
        assertThat(hit(BY_CATEGORY, 6)).isTrue();
    }

    @Test
    void writeWithSubqueryInWhereInvalidatesExactlyTheRowsItChanged() {
        warm(BY_CATEGORY, 5);
        warm(BY_CATEGORY, 6);
        update("update post set title = 'sub' where category_id = (select id from category where title = 'six')");
        assertThat(hit(BY_CATEGORY, 5)).isTrue();
        assertThat(hit(BY_CATEGORY, 6)).isFalse();
    }

    @Test
    void insertSelectInvalidates() {
        warm(BY_CATEGORY, 7);
        update("insert into post (category_id, title) select 7, title from category where id = 5");
        assertThat(hit(BY_CATEGORY, 7)).isFalse();
    }

    @Test
    void upsertDoNothingReadsAnExistingConflictRowOnceAndLeavesItCached() {
        String byId = "select title from category where id = ?";
        warm(byId, 5);
        warm(byId, 6);
        warm(byId, 200);
        // data.sql run again: every row is there already, nothing changes
        int existing = imageReads(() -> update("insert into category (id, title) values (5, 'x'), (6, 'y')"
                + " on conflict (id) do nothing"));
        assertThat(existing).as("image reads of two existing conflict rows: before only").isEqualTo(2);
        assertThat(hit(byId, 5)).as("an unchanged row invalidates nothing").isTrue();
        assertThat(hit(byId, 6)).isTrue();

        int inserted = imageReads(() -> update("insert into category (id, title) values (200, 'new'), (6, 'z')"
                + " on conflict (id) do nothing"));
        assertThat(inserted).as("two before, one after for the row that was missing").isEqualTo(3);
        assertThat(hit(byId, 200)).isFalse();
        assertThat(query(byId, 200)).containsExactly(java.util.List.of("new"));
        assertThat(hit(byId, 6)).isTrue();
    }

    @Test
    void upsertDoUpdateInvalidatesTheOldAndNewImages() {
        String byTitle = "select id from category where title = ?";
        warm(byTitle, "six");
        warm(byTitle, "six!");
        warm(byTitle, "seven");
        update("insert into category (id, title) values (6, 'six!') on conflict (id) do update set title = excluded.title");
        assertThat(hit(byTitle, "six")).isFalse();
        assertThat(hit(byTitle, "six!")).isFalse();
        assertThat(query(byTitle, "six!")).containsExactly(java.util.List.of(6));
        assertThat(hit(byTitle, "seven")).isTrue();
    }

    /** How many selects of category the cache ran on its own (row images) while {@code write} ran. */
    private int imageReads(Runnable write) {
        int before = counting.executed().size();
        write.run();
        java.util.List<String> ran = counting.executed();
        return (int) ran.subList(before, ran.size()).stream()
                .filter(sql -> sql.startsWith("select") && sql.contains("\"category\"")).count();
    }

    @Test
    void deletingAParentInvalidatesItsCascadedChildren() {
        warm(BY_CATEGORY, 5);
        warm(BY_CATEGORY, 6);
        String tags = "select tag_id from post_tag where post_id = ? order by tag_id";
        warm(tags, 1);
        warm(tags, 3);
        update("delete from category where id = 5");
        assertThat(hit(BY_CATEGORY, 5)).isFalse();
        assertThat(hit(BY_CATEGORY, 6)).isTrue();
        assertThat(hit(tags, 1)).as("post_tag rows cascade from post 1").isFalse();
        assertThat(query(tags, 1)).isEmpty();
    }

    @Test
    void setNullChildrenAreInvalidated() {
        String sql = "select body from comment where post_id = ? order by id";
        String orphans = "select body from comment where post_id is null order by id";
        warm(sql, 1);
        warm(orphans);
        update("delete from post where id = 1");
        assertThat(hit(sql, 1)).isFalse();
        assertThat(hit(orphans)).isFalse();
    }

    @Test
    void cascadedDeleteKeepsChildResultsByOtherKeysCached() {
        String byTag = "select post_id from post_tag where tag_id = ? order by post_id";
        String byPost = "select tag_id from post_tag where post_id = ? order by tag_id";
        warm(byTag, 1); // (1, 1)
        warm(byTag, 2); // (1, 2), (2, 2)
        warm(byTag, 3); // (3, 3)
        warm(byPost, 3);
        update("delete from post where id = ?", 2); // cascades to post_tag (2, 2)
        assertThat(hit(byTag, 2)).as("the deleted link row's tag").isFalse();
        assertThat(query(byTag, 2)).containsExactly(java.util.List.of(1));
        assertThat(hit(byTag, 1)).as("read before the delete, the child rows are known by every column").isTrue();
        assertThat(hit(byTag, 3)).isTrue();
        assertThat(hit(byPost, 3)).isTrue();
    }

    @Test
    void setNullCascadeInvalidatesOnlyTheNulledChildRows() {
        String byId = "select post_id from comment where id = ?";
        warm(byId, 1); // post 1
        warm(byId, 3); // post 3
        update("delete from post where id = ?", 1);
        assertThat(hit(byId, 1)).isFalse();
        assertThat(query(byId, 1)).containsExactly(java.util.Collections.singletonList(null));
        assertThat(hit(byId, 3)).as("comment 3 is not a child of post 1").isTrue();
    }

    @Test
    void grandchildrenOfACascadedDeleteAreInvalidatedByTheirRows() {
        String byTag = "select post_id from post_tag where tag_id = ? order by post_id";
        String comment = "select post_id from comment where id = ?";
        warm(byTag, 1); // (1, 1): post 1 is in category 5
        warm(byTag, 3); // (3, 3): post 3 is in category 6
        warm(comment, 1); // post 1
        warm(comment, 3); // post 3
        update("delete from category where id = ?", 5); // posts 1, 2 -> their post_tag rows, comments
        assertThat(hit(byTag, 1)).isFalse();
        assertThat(query(byTag, 1)).isEmpty();
        assertThat(hit(comment, 1)).isFalse();
        assertThat(query(comment, 1)).containsExactly(java.util.Collections.singletonList(null));
        assertThat(hit(byTag, 3)).as("post 3 is in category 6").isTrue();
        assertThat(hit(comment, 3)).isTrue();
    }

    @Test
    void linkTablesAreGranularByBothKeys() {
        String byPost = "select tag_id from post_tag where post_id = ? order by tag_id";
        String byTag = "select post_id from post_tag where tag_id = ? order by post_id";
        warm(byPost, 1);
        warm(byPost, 3);
        warm(byTag, 1);
        warm(byTag, 3);
        update("insert into post_tag values (?, ?)", 2, 1);
        assertThat(hit(byPost, 1)).isTrue();
        assertThat(hit(byPost, 3)).isTrue();
        assertThat(hit(byTag, 1)).isFalse();
        assertThat(hit(byTag, 3)).isTrue();
        warm(byTag, 1);
        update("delete from post_tag where post_id = ? and tag_id = ?", 3, 3);
        assertThat(hit(byPost, 3)).isFalse();
        assertThat(hit(byTag, 3)).isFalse();
        assertThat(hit(byTag, 1)).isTrue();
    }

    @Test
    void volatileFunctionsAndLockingReadsAreNeverCached() {
        String now = "select id, now() from post where id = 1";
        String random = "select id from post where id = 1 and random() < 2";
        String locking = "select id from post where id = 1 for update";
        for (int i = 0; i < 3; i++) {
            assertThat(query(now)).hasSize(1);
            assertThat(hit(random)).isFalse();
            assertThat(hit(locking)).isFalse();
        }
        assertThat(counting.count(now)).isEqualTo(3);
        assertThat(cacheops.stats().passThroughs().get(PassReason.UNCACHEABLE)).isGreaterThanOrEqualTo(9);
    }

    @Test
    void manualScopesForceAndForbidCaching() throws Exception {
        try (Cacheops manual = store(Cacheops.builder()).prefix(prefix + "m")
                .profile("post", EnumSet.noneOf(Op.class), Duration.ofHours(1)).build()) {
            var mds = manual.wrap(counting.dataSource());
            String sql = "select id from post where category_id = 6";
            query(mds, sql);
            query(mds, sql);
            assertThat(counting.count(sql)).as("no ops: not cached automatically").isEqualTo(2);
            manual.cache(() -> query(mds, sql));
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            int before;
            do {
                before = counting.count(sql);
                manual.cache(() -> query(mds, sql));
            } while (counting.count(sql) != before && System.nanoTime() < deadline);
            assertThat(counting.count(sql)).as("cache() scope hits").isEqualTo(before);
            manual.nocache(() -> manual.cache(() -> query(mds, sql)));
            assertThat(counting.count(sql)).as("inner cache() wins over outer nocache()").isEqualTo(before);
            manual.cache(() -> manual.nocache(() -> query(mds, sql)));
            assertThat(counting.count(sql)).as("inner nocache() wins").isEqualTo(before + 1);
            query(mds, "/* cacheops:cache timeout=60 */ select id from post where category_id = 7");
        }
    }

    @Test
    void disabledTablesAreNeverCachedEvenManually() {
        String sql = "select msg from audit_log";
        for (int i = 0; i < 3; i++) {
            cacheops.cache(() -> query(sql));
            sleep(20);
        }
        assertThat(counting.count(sql)).isEqualTo(3);
        assertThat(cacheops.stats().passThroughs().get(PassReason.DISABLED)).isEqualTo(3);
    }

    @Test
    void timeoutsExpire() {
        String sql = "select id from post where category_id = 7";
        Duration ttl = Duration.ofSeconds(2);
        // Fill, then wait until the entry serves (stores are asynchronous).
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        int before;
        do {
            cacheops.cache(ttl, () -> query(sql));
            before = counting.count(sql);
            cacheops.cache(ttl, () -> query(sql));
        } while (counting.count(sql) != before && System.nanoTime() < deadline);
        assertThat(counting.count(sql)).as("served from the cache").isEqualTo(before);
        sleep(ttl.toMillis() + 1_000);
        cacheops.cache(ttl, () -> query(sql));
        assertThat(counting.count(sql)).as("expired").isEqualTo(before + 1);
    }

    @Test
    void invalidationApiWorks() {
        warm(BY_CATEGORY, 5);
        warm(BY_CATEGORY, 6);
        // A write the wrapper did not see (another application).
        query(schema.dataSource(), "select 1");
        cacheops.invalidateRow("post", Map.of("category_id", 5));
        assertThat(hit(BY_CATEGORY, 5)).isFalse();
        assertThat(hit(BY_CATEGORY, 6)).isTrue();
        cacheops.invalidateTable("post");
        assertThat(hit(BY_CATEGORY, 6)).isFalse();
        warm(BY_CATEGORY, 6);
        cacheops.invalidateAll();
        assertThat(hit(BY_CATEGORY, 6)).isFalse();
    }
}
