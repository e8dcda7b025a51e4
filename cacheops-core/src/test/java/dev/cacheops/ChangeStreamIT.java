package dev.cacheops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cacheops.testing.TestServices;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Writes that bypass the wrapper (here: plain JDBC on the unwrapped data source, as psql would)
 * are invalidated from PostgreSQL's logical replication stream: updates, inserts, deletes and
 * truncations, granularly, with the default replica identity and with {@code FULL}; one instance
 * at a time consumes the slot and another takes over when it stops; a slot that had to be
 * created replaces the epoch.
 */
class ChangeStreamIT extends CachingContract {
    private static final String SQL = CachingBehaviour.BY_CATEGORY;
    private final String slot = "cacheops_it_" + TestServices.uniquePrefix().toLowerCase();

    @Override
    protected Cacheops.Builder store(Cacheops.Builder builder) {
        return builder.redis(TestServices.redisUri()).changeStream(TestServices.postgresUrl(), slot);
    }

    @BeforeAll
    void dropLeftovers() throws SQLException {
        // Slots of an earlier, interrupted run would keep WAL forever.
        exec(TestServices.postgres(), "select pg_drop_replication_slot(slot_name) from pg_replication_slots "
                + "where slot_name like 'cacheops_it_%' and not active");
    }

    @AfterAll
    void dropSlot() throws SQLException {
        exec(TestServices.postgres(), "select pg_drop_replication_slot(slot_name) from pg_replication_slots "
                + "where slot_name = '" + slot + "' and not active");
        exec(TestServices.postgres(), "drop publication if exists " + slot);
    }

    @BeforeEach
    void consuming() {
        await("consuming the change stream", () -> cacheops.consumingChangeStream());
        caughtUp();
    }

    /**
     * Waits until the stream has handled every commit so far (the seeding's own truncation and
     * inserts bypass the wrapper too): a marker write, handled in commit order after them.
     */
    private void caughtUp() {
        long before = cacheops.stats().invalidations();
        bypass("update category set visible = visible where id = 7");
        await("the stream caught up", () -> cacheops.stats().invalidations() > before);
    }

    @Test
    void anUpdateThatBypassesTheWrapperIsInvalidated() {
        warm(SQL, 5);
        warm(SQL, 6);
        long start = System.nanoTime();
        bypass("update post set title = 'by psql' where id = 1");
        await("the bypassing update invalidated the cached result", () -> query(SQL, 5).equals(direct(SQL, 5)));
        System.out.printf("change stream window: %d µs%n", (System.nanoTime() - start) / 1_000);
        // The default identity sends no old row: the old category is unknown, so results by
        // category are invalidated whole (narrower with REPLICA IDENTITY FULL, below).
        assertThat(query(SQL, 6)).isEqualTo(direct(SQL, 6));
    }

    @Test
    void insertsDeletesAndTruncationsThatBypassTheWrapperAreInvalidated() {
        warm(SQL, 5);
        warm(SQL, 6);
        long invalidations = cacheops.stats().invalidations();
        bypass("insert into post (category_id, title) values (6, 'inserted by psql')");
        await("insert", () -> query(SQL, 6).equals(direct(SQL, 6)));
        await("counted", () -> cacheops.stats().invalidations() > invalidations);
        assertThat(hit(SQL, 5)).as("a new row of category 6 leaves category 5 cached (%s)", cacheops.stats())
                .isTrue();
        warm(SQL, 6);
        bypass("delete from post where id = 3");
        await("delete", () -> query(SQL, 6).equals(direct(SQL, 6)));
        warm("select count(*) from tag");
        bypass("truncate post_tag, tag");
        await("truncate", () -> query("select count(*) from tag").equals(direct("select count(*) from tag")));
    }

    @Test
    void aKeyOnlyOldImageInvalidatesTheSchemesOfOtherColumnsWhole() {
        // Default identity: an update that keeps the key sends no old row, so the old category is
        // unknown and every result that selects by category is invalidated.
        warm(SQL, 5);
        warm(SQL, 7);
        bypass("update post set category_id = 7 where id = 1");
        await("the old category's result", () -> query(SQL, 5).equals(direct(SQL, 5)));
        assertThat(query(SQL, 7)).isEqualTo(direct(SQL, 7));
    }

    @Test
    void withReplicaIdentityFullTheOldRowNarrowsTheInvalidation() throws SQLException {
        exec(schema.dataSource(), "alter table post replica identity full");
        try {
            warm(SQL, 5);
            warm(SQL, 6);
            warm(SQL, 7);
            bypass("update post set category_id = 6 where id = 1");
            // Waits for this update's own invalidation: the counter also moves for changes other
            // sessions stream from the same database (any table the catalog can resolve).
            await("the old category's result", () -> query(SQL, 5).equals(direct(SQL, 5)));
            assertThat(query(SQL, 6)).isEqualTo(direct(SQL, 6));
            assertThat(hit(SQL, 7)).as("category 7 was neither the old nor the new value").isTrue();
        } finally {
            exec(schema.dataSource(), "alter table post replica identity default");
        }
    }

    @Test
    void oneInstanceConsumesAndAnotherTakesOverWhenItStops() {
        Cacheops second = configure(Cacheops.builder()).build();
        try {
            sleep(500);
            assertThat(second.consumingChangeStream()).as("the slot is held by the first instance").isFalse();
            cacheops.close();
            await("the second instance took the slot over", second::consumingChangeStream);
            DataSource sds = second.wrap(counting.dataSource());
            query(sds, SQL, 5);
            await("cached", () -> {
                query(sds, SQL, 5);
                return second.stats().hits() > 0;
            });
            bypass("update post set title = 'after hand-over' where id = 2");
            await("invalidated by the new consumer", () -> query(sds, SQL, 5).equals(direct(SQL, 5)));
        } finally {
            second.close();
            cacheops = configure(Cacheops.builder()).build(); // closed again after the test
            ds = cacheops.wrap(counting.dataSource());
        }
    }

    @Test
    void aSlotThatHadToBeCreatedReplacesTheEpoch() throws SQLException {
        warm(SQL, 5);
        cacheops.close();
        // Someone drops the slot while no instance consumes: changes from then on are unseen.
        await("slot released", () -> {
            try {
                exec(TestServices.postgres(), "select pg_drop_replication_slot('" + slot + "')");
                return true;
            } catch (SQLException e) {
                return false;
            }
        });
        bypass("update post set title = 'unseen' where id = 1");
        cacheops = configure(Cacheops.builder()).build();
        ds = cacheops.wrap(counting.dataSource());
        await("consuming again", cacheops::consumingChangeStream);
        assertThat(query(SQL, 5)).as("the epoch was replaced when the slot was created").isEqualTo(direct(SQL, 5));
    }

    @Test
    void aStreamFurtherBehindThanTheMaxLagReplacesTheEpoch() throws SQLException {
        warm(SQL, 5);
        cacheops.close();
        // Committed while nobody consumes, and handled more than the bound after it was made: a
        // write to a table the cached result does not read, so only the lag can make it a miss.
        bypass("update tag set name = name where id = 1");
        sleep(1_500);
        cacheops = configure(Cacheops.builder()).changeStreamMaxLag(Duration.ofSeconds(1)).build();
        ds = cacheops.wrap(counting.dataSource());
        await("consuming again", cacheops::consumingChangeStream);
        long before = cacheops.stats().invalidations();
        bypass("update category set visible = visible where id = 7");
        await("the stream caught up", () -> cacheops.stats().invalidations() > before);
        assertThat(hit(SQL, 5)).as("the epoch was replaced for the lag").isFalse();
    }

    @Test
    void aStreamWithinTheMaxLagKeepsTheEpoch() throws SQLException {
        warm(SQL, 5);
        cacheops.close();
        bypass("update tag set name = name where id = 1");
        cacheops = configure(Cacheops.builder()).changeStreamMaxLag(Duration.ofMinutes(10)).build();
        ds = cacheops.wrap(counting.dataSource());
        await("consuming again", cacheops::consumingChangeStream);
        long before = cacheops.stats().invalidations();
        bypass("update category set visible = visible where id = 7");
        await("the stream caught up", () -> cacheops.stats().invalidations() > before);
        assertThat(hit(SQL, 5)).as("a write elsewhere within the bound leaves the result cached").isTrue();
    }

    @Test
    void wrappedWritesLeftToTheStreamCostOneStatementAndAreInvalidatedByIt() {
        Cacheops relaxed = configure(Cacheops.builder()).consistency(Consistency.RELAXED).leaveWritesToStream(true)
                .build();
        try {
            DataSource rds = relaxed.wrap(counting.dataSource());
            await("cached", () -> {
                query(rds, SQL, 5);
                return relaxed.stats().hits() > 0;
            });
            counting.reset();
            try (var c = rds.getConnection(); var ps = c.prepareStatement("update post set category_id = 6 where id = 1")) {
                ps.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            // Without the setting the old category is read first (select ... for update).
            assertThat(counting.executed()).as("statements the wrapped write sent to the database")
                    .containsExactly("update post set category_id = 6 where id = 1");
            await("invalidated by the stream", () -> query(rds, SQL, 5).equals(direct(SQL, 5)));
        } finally {
            relaxed.close();
        }
    }

    @Test
    void leavingWritesToTheStreamNeedsTheStreamAndRelaxed() {
        assertThatThrownBy(() -> Cacheops.builder().consistency(Consistency.RELAXED).leaveWritesToStream(true).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("changeStream");
        assertThatThrownBy(() -> configure(Cacheops.builder()).consistency(Consistency.STRICT)
                .leaveWritesToStream(true).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RELAXED");
    }

    @Test
    void aStreamedWriteOfMoreRowsThanBulkRowsInvalidatesTheWholeTable() {
        String byId = "select title from post where id = ?";
        for (int bulkRows : new int[] {1_000, 3}) {
            cacheops.close();
            cacheops = configure(Cacheops.builder()).bulkRows(bulkRows).build();
            ds = cacheops.wrap(counting.dataSource());
            await("consuming again", cacheops::consumingChangeStream);
            warm(byId, 3);
            long before = cacheops.stats().invalidations();
            // Two rows, four images (old keys and new rows): row by row below the bound, whole above it.
            bypass("update post set title = title where id in (1, 2)");
            await("invalidated", () -> cacheops.stats().invalidations() > before);
            assertThat(hit(byId, 3)).as("post 3 after a streamed update of posts 1 and 2, bulkRows %d", bulkRows)
                    .isEqualTo(bulkRows == 1_000);
        }
    }

    @Test
    void writesOfTriggersAndProceduresAreInvalidatedToo() throws SQLException {
        exec(schema.dataSource(), """
                create or replace function touch_category() returns trigger language plpgsql as $$
                begin update category set title = title || '!' where id = new.category_id; return new; end $$;
                create trigger post_touches_category after insert on post for each row execute function touch_category();
                create or replace procedure rename_tag(tag_id int, new_name text) language sql
                    as $$ update tag set name = new_name where id = tag_id $$;
                """);
        try {
            String category = "select title from category where id = ?";
            String tag = "select name from tag where id = ?";
            warm(category, 5);
            warm(tag, 1);
            // Through the wrapper: the insert is seen, the trigger's update of category is not.
            update("insert into post (category_id, title) values (5, 'fires the trigger')");
            await("the trigger's write", () -> query(category, 5).equals(direct(category, 5)));
            bypass("call rename_tag(1, 'procedural')");
            await("the procedure's write", () -> query(tag, 1).equals(direct(tag, 1)));
        } finally {
            exec(schema.dataSource(), "drop trigger post_touches_category on post; drop procedure rename_tag");
        }
    }

    @Test
    void aConsumerThatLosesItsConnectionResumesWithoutMissingAWrite() throws SQLException {
        warm(SQL, 5);
        exec(TestServices.postgres(), "select pg_terminate_backend(active_pid) from pg_replication_slots "
                + "where slot_name = '" + slot + "'");
        // Committed while nobody streams: kept in the slot, delivered after the reconnect.
        bypass("update post set title = 'while reconnecting' where id = 1");
        await("the write made while reconnecting", () -> query(SQL, 5).equals(direct(SQL, 5)));
        await("consuming again", cacheops::consumingChangeStream);
    }

    @Test
    void aChangeStreamNeedsAPostgresUrlAndAPlainSlotName() {
        assertThatThrownBy(() -> Cacheops.builder().changeStream("jdbc:h2:mem:x", "s").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jdbc:postgresql:");
        assertThatThrownBy(() -> Cacheops.builder().changeStream("jdbc:postgresql://h/db", "Bad-Name").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("slot");
    }

    private void bypass(String sql) {
        try {
            exec(schema.dataSource(), sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            sleep(5);
        }
    }
}
