package dev.cacheops;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Column-aware invalidation (DESIGN §3, "Column sets"; §4, "Changed columns") through the wrapped
 * data source on the real PostgreSQL: a write that changes no column a result references, and
 * cannot change which rows it has, keeps it. Subclasses choose the store.
 */
abstract class ColumnSetBehaviour extends CachingContract {
    private static final String TITLES_OF_CATEGORY = "select id, title from post where category_id = ? order by id";
    private static final String TITLE_BY_ID = "select title from post where id = ?";
    private static final String BY_VIEWS = "select id, title from post order by views desc, id";
    private static final String COUNT_OF_CATEGORY = "select count(*) from post where category_id = ?";
    private static final String COUNT = "select count(*) from post";
    private static final String EVERY_COLUMN = "select * from post where id = ?";

    @BeforeAll
    void addCounter() throws SQLException {
        exec(schema.dataSource(), "alter table post add column views int not null default 0");
    }

    @Test
    void aCounterUpdateKeepsTheTitlesAndInvalidatesTheListingOrderedByIt() {
        warm(TITLES_OF_CATEGORY, 5);
        warm(TITLE_BY_ID, 1);
        warm(BY_VIEWS);
        warm(EVERY_COLUMN, 1);

        assertThat(update("update post set views = views + 1 where id = ?", 1)).isEqualTo(1);

        assertThat(hit(TITLES_OF_CATEGORY, 5)).as("titles reference no counter").isTrue();
        assertThat(hit(TITLE_BY_ID, 1)).isTrue();
        assertThat(hit(BY_VIEWS)).as("ordered by the counter").isFalse();
        assertThat(hit(EVERY_COLUMN, 1)).as("select * falls back to every column").isFalse();
    }

    @Test
    void aFullRowRewriteOfUnchangedValuesKeepsTheResults() {
        String read = "select id, title, score, visible from post where category_id = ? order by id";
        warm(read, 5);
        warm(BY_VIEWS);
        warm(COUNT_OF_CATEGORY, 5);
        warm(EVERY_COLUMN, 1);

        // What an ORM sends for a dirty-checked entity: every column, values as they were.
        assertThat(update("update post set category_id = ?, title = ?, score = ?, visible = ?, views = ? where id = ?",
                5, "a", new BigDecimal("1.5"), true, 0, 1)).isEqualTo(1);

        assertThat(hit(read, 5)).as("score 1.50 rewritten as 1.5 is the same value").isTrue();
        assertThat(hit(BY_VIEWS)).isTrue();
        assertThat(hit(COUNT_OF_CATEGORY, 5)).isTrue();
        assertThat(hit(EVERY_COLUMN, 1)).as("select * falls back to every column").isFalse();
    }

    @Test
    void changingAReferencedColumnInvalidatesOnlyTheResultsReferencingIt() {
        warm(TITLES_OF_CATEGORY, 5);
        warm(TITLE_BY_ID, 1);
        warm(COUNT_OF_CATEGORY, 5);
        warm(BY_VIEWS);

        update("update post set title = ? where id = ?", "a2", 1);

        assertThat(hit(TITLES_OF_CATEGORY, 5)).isFalse();
        assertThat(hit(TITLE_BY_ID, 1)).isFalse();
        assertThat(hit(BY_VIEWS)).as("shows titles too").isFalse();
        assertThat(hit(COUNT_OF_CATEGORY, 5)).isTrue();
    }

    @Test
    void changingAConditionColumnInvalidatesBothRowSets() {
        warm(COUNT_OF_CATEGORY, 5);
        warm(COUNT_OF_CATEGORY, 6);
        warm(COUNT_OF_CATEGORY, 7);
        warm(COUNT);
        warm(TITLE_BY_ID, 1);

        update("update post set category_id = ? where id = ?", 6, 1);

        assertThat(hit(COUNT_OF_CATEGORY, 5)).isFalse();
        assertThat(hit(COUNT_OF_CATEGORY, 6)).isFalse();
        assertThat(hit(COUNT_OF_CATEGORY, 7)).isTrue();
        assertThat(hit(COUNT)).as("an update changes no total").isTrue();
        assertThat(hit(TITLE_BY_ID, 1)).isTrue();
    }

    @Test
    void insertsAndDeletesInvalidateWhateverTheirRowBelongsTo() {
        warm(COUNT);
        warm(TITLES_OF_CATEGORY, 5);
        update("insert into post (category_id, title) values (5, 'new')");
        assertThat(hit(COUNT)).isFalse();
        assertThat(hit(TITLES_OF_CATEGORY, 5)).isFalse();

        warm(COUNT);
        warm(TITLES_OF_CATEGORY, 5);
        update("delete from comment where post_id = 2");
        update("delete from post where id = 2");
        assertThat(hit(COUNT)).isFalse();
        assertThat(hit(TITLES_OF_CATEGORY, 5)).isFalse();
    }

    @Test
    void columnsTheDatabaseChangesByItselfCountAsChanged() throws SQLException {
        exec(schema.dataSource(), """
                create table if not exists i14c_counted (id int primary key, title text, views int not null default 0,
                    double_views int generated always as (views * 2) stored, touched int not null default 0);
                create table if not exists i14c_triggered (id int primary key, title text, views int not null default 0,
                    touched int not null default 0);
                create or replace function i14c_touch() returns trigger language plpgsql as
                    $$ begin new.touched := old.touched + 1; return new; end $$;
                drop trigger if exists i14c_touch on i14c_triggered;
                create trigger i14c_touch before update on i14c_triggered for each row execute function i14c_touch();
                truncate i14c_counted, i14c_triggered;
                insert into i14c_counted (id, title) values (1, 'a');
                insert into i14c_triggered (id, title) values (1, 'a');
                """);
        String generated = "select title, double_views from i14c_counted where id = ?";
        String title = "select title from i14c_counted where id = ?";
        String triggered = "select title, touched from i14c_triggered where id = ?";
        warm(generated, 1);
        warm(title, 1);
        warm(triggered, 1);

        update("update i14c_counted set views = views + 1 where id = ?", 1);
        update("update i14c_triggered set views = views + 1 where id = ?", 1);

        assertThat(hit(generated, 1)).as("a generated column follows views").isFalse();
        assertThat(hit(title, 1)).isTrue();
        assertThat(hit(triggered, 1)).as("a trigger may change any column").isFalse();
    }

    @Test
    void aCounterUpdateOfEveryRowKeepsTheTitles() {
        warm(TITLES_OF_CATEGORY, 5);
        warm(BY_VIEWS);
        update("update post set views = views + 1"); // no images needed: a whole-table update
        assertThat(hit(TITLES_OF_CATEGORY, 5)).isTrue();
        assertThat(hit(BY_VIEWS)).isFalse();
    }

    @Test
    void aCounterUpdateInATransactionKeepsTheTitlesAfterTheCommit() throws SQLException {
        warm(TITLES_OF_CATEGORY, 5);
        warm(BY_VIEWS);
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            update(c, "update post set views = views + 1 where id = ?", 1);
            update(c, "update post set views = views + 2 where category_id = ?", 6);
            c.commit();
        }
        assertThat(hit(TITLES_OF_CATEGORY, 5)).isTrue();
        assertThat(hit(BY_VIEWS)).isFalse();
    }
}
