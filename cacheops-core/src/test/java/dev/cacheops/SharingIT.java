package dev.cacheops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheops.testing.TestServices;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Instances and databases: a write through one instance invalidates what another instance with
 * the same Redis and prefix cached; the same SQL on two databases never shares an entry.
 */
class SharingIT extends CachingContract {
    @Override
    protected Cacheops.Builder store(Cacheops.Builder builder) {
        return builder.redis(TestServices.redisUri());
    }

    @Test
    void writeThroughOneInstanceInvalidatesAnothersEntries() throws Exception {
        String sql = CachingBehaviour.BY_CATEGORY;
        try (Cacheops other = configure(Cacheops.builder()).build()) {
            var ods = other.wrap(counting.dataSource());
            warm(sql, 5);
            warm(sql, 6);
            try (var c = ods.getConnection()) {
                update(c, "update post set category_id = 7 where id = 1");
            }
            assertThat(hit(sql, 5)).as("the other instance's write reached this instance's entries").isFalse();
            assertThat(hit(sql, 6)).isTrue();
        }
    }

    @Test
    void twoDatabasesNeverShareAnEntry() throws Exception {
        String sql = "select title from category where id = 5";
        try (TestServices.SchemaDataSource second = TestServices.freshPostgresSchema()) {
            exec(second.dataSource(), "create table category (id int primary key, title text);"
                    + "insert into category values (5, 'other database')");
            var secondDs = cacheops.wrap(second.dataSource());
            for (int i = 0; i < 3; i++) {
                assertThat(query(sql)).isEqualTo(List.of(List.of("five")));
                assertThat(query(secondDs, sql)).isEqualTo(List.of(List.of("other database")));
                sleep(20);
            }
        }
        assertThat(cacheops.stats().hits()).isPositive();
    }

    @Test
    void relaxedConsistencyStillInvalidates() throws Exception {
        try (Cacheops relaxed = configure(Cacheops.builder()).prefix(prefix + "r")
                .consistency(Consistency.RELAXED).build()) {
            var rds = relaxed.wrap(counting.dataSource());
            String sql = CachingBehaviour.BY_CATEGORY;
            query(rds, sql, 5);
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (relaxed.stats().hits() == 0 && System.nanoTime() < deadline) {
                query(rds, sql, 5);
                sleep(5);
            }
            assertThat(relaxed.stats().hits()).isPositive();
            try (var c = rds.getConnection()) {
                update(c, "update post set title = 'relaxed' where id = 1");
            }
            // In relaxed mode the writer's own thread sees its write at once: the invalidation
            // ran before the write returned.
            assertThat(query(rds, sql, 5)).isEqualTo(direct(sql, 5));
        }
    }
}
