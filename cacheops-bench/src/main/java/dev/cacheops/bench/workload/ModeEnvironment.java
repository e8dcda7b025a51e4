package dev.cacheops.bench.workload;

import com.zaxxer.hikari.HikariDataSource;
import dev.cacheops.CacheStats;
import dev.cacheops.bench.fixture.BenchSettings;
import dev.cacheops.bench.fixture.CacheFixture;
import dev.cacheops.bench.fixture.CacheFixture.StoreKind;
import dev.cacheops.bench.fixture.CountingDataSource;
import dev.cacheops.bench.fixture.Fixtures;
import dev.cacheops.bench.fixture.Pools;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;

/**
 * One mode's stack: PostgreSQL, a statement counter, a pool of 16, optionally Cacheops over the
 * pool, and Hibernate on top. Not thread-safe to set up or reset; the session factory is.
 */
final class ModeEnvironment implements AutoCloseable {
    final CacheMode mode;
    final SessionFactory sessions;
    private final BenchSettings settings;
    private final CountingDataSource counter;
    private final HikariDataSource pool;
    private final CacheFixture.Built cache;

    ModeEnvironment(CacheMode mode, BenchSettings settings, int poolSize) {
        this.mode = mode;
        this.settings = settings;
        this.counter = new CountingDataSource(Pools.postgres(settings));
        this.pool = Pools.pool(counter.dataSource(), poolSize);
        DataSource top = pool;
        if (mode.isCacheops()) {
            cache = CacheFixture.build(settings, mode == CacheMode.CACHEOPS_REDIS ? StoreKind.REDIS : StoreKind.LOCAL,
                    "workload");
            top = cache.cacheops().wrap(pool);
        } else {
            cache = null;
        }
        this.sessions = Orm.sessionFactory(top, mode == CacheMode.HIBERNATE);
    }

    /**
     * Restores the fixtures on the database directly, then empties the caches, so every run
     * starts from the same data and a cold cache.
     */
    void reset() throws SQLException {
        Fixtures.restore(Pools.postgres(settings));
        if (cache != null) {
            cache.cacheops().invalidateAll();
        }
        sessions.getCache().evictAllRegions();
        sessions.getStatistics().clear();
    }

    /** Statements the database has run so far. */
    long statements() {
        return counter.statements();
    }

    /** Cache hits and misses so far: Cacheops' counters, or Hibernate's L2 plus query cache. */
    long[] hitsAndMisses() {
        if (cache != null) {
            CacheStats s = cache.cacheops().stats();
            return new long[] {s.hits(), s.misses() + s.passThroughTotal()};
        }
        Statistics s = sessions.getStatistics();
        return new long[] {s.getSecondLevelCacheHitCount() + s.getQueryCacheHitCount(),
                s.getSecondLevelCacheMissCount() + s.getQueryCacheMissCount()};
    }

    /** Cacheops' counters in words (pass-throughs by reason included), or Hibernate's. */
    String describeCache() {
        if (cache != null) {
            return cache.cacheops().stats().toString();
        }
        Statistics s = sessions.getStatistics();
        return "L2 hits " + s.getSecondLevelCacheHitCount() + ", misses " + s.getSecondLevelCacheMissCount()
                + ", query cache hits " + s.getQueryCacheHitCount() + ", misses " + s.getQueryCacheMissCount();
    }

    /** The Redis prefix of this mode's Cacheops, or null. */
    String redisPrefix() {
        return cache != null && cache.kind() == StoreKind.REDIS ? cache.prefix() : null;
    }

    @Override
    public void close() {
        sessions.close();
        if (cache != null) {
            cache.close();
        }
        pool.close();
    }
}
