package dev.cacheops;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rows of a result answer lookups of one row by key (DESIGN §3, "Rows of a result"), through
 * the wrapped data source on the real PostgreSQL: what an ORM's find after a page load needs.
 * Subclasses choose the store.
 */
abstract class RowsFromResultsBehaviour extends CachingContract {
    /** What Hibernate sends for {@code find}: the entity's columns by id. */
    private static final String BY_ID = "select p.id, p.category_id, p.title, p.score from post p where p.id = ?";
    /** A page of the same entity: the same columns, any condition on them. */
    private static final String PAGE = "select p.id, p.title, p.category_id, p.score from post p"
            + " where p.category_id = ? order by p.id";

    @Test
    void aPageStoresTheLookupsOfItsRows() {
        warm(BY_ID, 1);
        long before = cacheops.stats().derivedStores();

        assertThat(hit(PAGE, 5)).isFalse();
        awaitDerived(before + 2);

        assertThat(hit(BY_ID, 2)).as("post 2 was only ever read in the page").isTrue();
        assertThat(hit(BY_ID, 3)).as("post 3 is in another category").isFalse();
    }

    @Test
    void everyColumnAnswersEveryColumn() {
        // Every type of the fixture (numeric, dates, timestamps, uuid, double) replayed from the page.
        String byId = "select * from post where id = ?";
        warm(byId, 1);
        long before = cacheops.stats().derivedStores();

        query("select p.* from post p where p.visible = true order by p.id");
        awaitDerived(before + 3);

        assertThat(hit(byId, 3)).isTrue();
        assertThat(hit(byId, 4)).isTrue();
        assertThat(hit(byId, 2)).as("not visible, not in the page").isFalse();
    }

    @Test
    void aKeyBoundAsAnotherIntegerTypeIsAnsweredToo() {
        warm(BY_ID, 1L);
        long before = cacheops.stats().derivedStores();

        query(PAGE, 6);
        awaitDerived(before + 1);

        assertThat(hit(BY_ID, 3L)).as("an int4 key read as Integer, bound as Long").isTrue();
    }

    @Test
    void aLookupOfColumnsThePageDoesNotHaveIsNotAnswered() {
        String byIdWithEditor = "select p.id, p.title, p.editor from post p where p.id = ?";
        warm(byIdWithEditor, 1);
        warm(BY_ID, 1);
        long before = cacheops.stats().derivedStores();

        query(PAGE, 5);
        awaitDerived(before + 2);

        assertThat(hit(BY_ID, 2)).isTrue();
        assertThat(hit(byIdWithEditor, 2)).as("the page has no editor").isFalse();
    }

    @Test
    void aPageReferencingOtherColumnsTooAnswersNothing() {
        // A write of only `visible` would invalidate the page but not the lookup: had the page's
        // copy been stored while such a write was committing, nothing would remove it later.
        String pageWithVisible = "select p.id, p.category_id, p.title, p.score from post p"
                + " where p.category_id = ? and p.visible = true order by p.id";
        warm(BY_ID, 1);
        warm(pageWithVisible, 5);
        hit(BY_ID, 1);

        assertThat(cacheops.stats().derivedStores()).isZero();
    }

    @Test
    void aWriteAfterwardsInvalidatesTheStoredLookup() {
        warm(BY_ID, 1);
        long before = cacheops.stats().derivedStores();
        query(PAGE, 5);
        awaitDerived(before + 2);

        update("update post set title = ? where id = ?", "b2", 2);

        assertThat(hit(BY_ID, 2)).isFalse(); // hit() also compares with the database
        assertThat(query(BY_ID, 2).get(0).get(2)).isEqualTo("b2");
    }

    @Test
    void aWriteCommittedWhileThePageIsReadStoresNoLookup() throws SQLException {
        warm(BY_ID, 1);
        long before = cacheops.stats().derivedStores();
        List<Object> titles = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(PAGE)) {
            ps.setObject(1, 5);
            try (ResultSet rs = ps.executeQuery()) {
                // The driver has the whole page now; the write commits before the caller has read it.
                update("update post set title = ? where id = ?", "b2", 2);
                while (rs.next()) {
                    titles.add(rs.getString(2));
                }
            }
        }
        assertThat(titles).containsExactly("a", "b");
        // Give a wrongly stored lookup time to land, then check none did.
        hit(BY_ID, 1);
        sleep(300);

        assertThat(cacheops.stats().derivedStores()).isEqualTo(before);
        assertThat(hit(BY_ID, 2)).as("the page's copy of post 2 is older than the commit").isFalse();
    }

    @Test
    void offByTheBuilder() throws SQLException {
        cacheops.close();
        cacheops = configure(Cacheops.builder()).rowsFromResults(false).build();
        ds = cacheops.wrap(counting.dataSource());
        warm(BY_ID, 1);
        warm(PAGE, 5);
        sleep(300);

        assertThat(cacheops.stats().derivedStores()).isZero();
        assertThat(hit(BY_ID, 2)).isFalse();
    }

    /** Derived stores are asynchronous: wait until {@code count} have landed (bounded). */
    private void awaitDerived(long count) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (cacheops.stats().derivedStores() < count && System.nanoTime() < deadline) {
            sleep(5);
        }
        assertThat(cacheops.stats().derivedStores()).as("derived stores").isGreaterThanOrEqualTo(count);
    }
}
