package dev.cacheops.compat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.cacheops.Cacheops;
import dev.cacheops.Op;
import dev.cacheops.testing.CountingDataSource;
import dev.cacheops.testing.TestServices;
import dev.cacheops.testing.TestServices.SchemaDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * What every compatibility test class shares: a fresh PostgreSQL schema for the class, two HikariCP
 * pools on it, and a fresh {@link Cacheops} on Redis (its own key prefix) for every test.
 *
 * <pre>
 *   framework -> cached = cacheops.wrap(pool) -> HikariCP pool -> CountingDataSource -> PostgreSQL
 *   framework -> raw (HikariCP pool)                                                 -> PostgreSQL
 * </pre>
 *
 * <p>The counting wrapper sits <em>under</em> the cache, so a read that records no statement was
 * served from the cache. The raw pool is the reference: every cached result is compared with what the
 * same code returns over it. Before each test the subclass's seed script restores the data through the
 * raw pool (the cache is new, so nothing cached can survive it).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CompatFixture {
    /** How long a result may take to be stored after a miss (stores are asynchronous). */
    private static final Duration STORE_WAIT = Duration.ofSeconds(8);

    protected SchemaDataSource schema;
    protected CountingDataSource counting;
    protected HikariDataSource pool;
    protected HikariDataSource raw;
    protected Cacheops cacheops;
    protected DataSource cached;

    /** The tables the test caches with {@link Op#ALL}. */
    protected abstract List<String> tables();

    /** DDL run once for the class. */
    protected abstract String schemaSql();

    /** Run before every test: empties the tables and inserts the seed rows. */
    protected abstract String seedSql();

    @BeforeAll
    void createSchemaAndPools() {
        schema = freshDatabase();
        counting = new CountingDataSource(schema.dataSource());
        pool = pool("cached", counting.dataSource());
        raw = pool("raw", schema.dataSource());
        execute(raw, schemaSql());
        warmUpOncePerJvm();
    }

    private static boolean warm;

    /**
     * The first cached read in a JVM loads the parser, Lettuce and the scripts; on a loaded machine it
     * can take many seconds and meet Redis timeouts (reads then pass through as STORE_UNAVAILABLE).
     * Pay that once here, bounded, so no test's timing depends on being first.
     */
    private synchronized void warmUpOncePerJvm() {
        if (warm) {
            return;
        }
        warm = true;
        String sql = "select count(*) from " + tables().get(0);
        try (Cacheops warmUp = Cacheops.builder().redis(TestServices.redisUri()).prefix(TestServices.uniquePrefix())
                .redisTimeout(Duration.ofSeconds(1)).profile("*", Op.ALL, Duration.ofMinutes(1)).build()) {
            DataSource ds = warmUp.wrap(raw);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (warmUp.stats().hits() == 0 && System.nanoTime() < deadline) {
                try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                     java.sql.ResultSet rs = s.executeQuery(sql)) {
                    while (rs.next()) {
                        rs.getLong(1);
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException("warm-up read failed", e);
                }
                sleep(20);
            }
            if (warmUp.stats().hits() == 0) {
                System.err.println("compat warm-up: no hit within 30 s on " + sql + ": " + warmUp.stats());
            }
        }
    }

    @BeforeEach
    void freshCache() {
        execute(raw, seedSql());
        Cacheops.Builder builder = Cacheops.builder()
                .redis(TestServices.redisUri())
                .prefix(TestServices.uniquePrefix())
                // NOTE: with the default 100 ms, a cold JVM's first Redis calls time out and every read
                // then passes through (STORE_UNAVAILABLE) for about 2.5 s; these tests are about the
                // frameworks, not about start-up, so they give Redis a second.
                .redisTimeout(Duration.ofSeconds(1));
        for (String table : tables()) {
            builder.profile(table, Op.ALL, Duration.ofMinutes(10));
        }
        cacheops = builder.build();
        cached = cacheops.wrap(pool);
        counting.reset();
    }

    @AfterEach
    void closeCache() {
        cacheops.close();
    }

    @AfterAll
    void dropSchema() {
        // NOTE: JUnit runs this also when createSchemaAndPools was aborted (an optional database
        // that is not there), before anything was made.
        if (schema == null) {
            return;
        }
        if (pool != null) {
            pool.close();
        }
        if (raw != null) {
            raw.close();
        }
        dropDatabase();
    }

    /** The database the class works in: a fresh PostgreSQL schema unless a subclass says otherwise. */
    protected SchemaDataSource freshDatabase() {
        return TestServices.freshPostgresSchema();
    }

    /** Drops what {@link #freshDatabase()} created. */
    protected void dropDatabase() {
        schema.close();
    }

    private static HikariDataSource pool(String name, DataSource target) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("compat-" + name);
        config.setDataSource(target);
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(0);
        return new HikariDataSource(config);
    }

    /** Runs a script (several statements, no parameters) in one round trip. */
    protected static void execute(DataSource ds, String script) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(script);
        } catch (SQLException e) {
            throw new IllegalStateException("script failed: " + script, e);
        }
    }

    /** A value read through the cache, with the statements that reached the database meanwhile. */
    protected record Read<T>(T value, List<String> executed) {
        /** Served from the cache: nothing reached the database. */
        boolean hit() {
            return executed.isEmpty();
        }
    }

    /** Runs {@code read} and records which statements reached the database under the cache. */
    protected <T> Read<T> read(Callable<T> read) {
        int before = counting.executed().size();
        T value = call(read);
        List<String> all = counting.executed();
        return new Read<>(value, all.subList(before, all.size()));
    }

    /**
     * Runs {@code read} until it is served entirely from the cache (a miss stores asynchronously) and
     * returns that cached value; fails if it never becomes a hit.
     */
    protected <T> T awaitHit(Callable<T> read) {
        long deadline = System.nanoTime() + STORE_WAIT.toNanos();
        for (int attempt = 1; ; attempt++) {
            Read<T> r = read(read);
            if (r.hit()) {
                return r.value();
            }
            // NOTE: at least a few attempts, however slow: on a loaded machine a cold first read alone
            // can outlast the deadline.
            if (System.nanoTime() > deadline && attempt >= 3) {
                throw new AssertionError("never became a hit; last run executed " + r.executed()
                        + "; " + cacheops.stats());
            }
            sleep(5);
        }
    }

    protected static <T> T call(Callable<T> c) {
        try {
            return c.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
