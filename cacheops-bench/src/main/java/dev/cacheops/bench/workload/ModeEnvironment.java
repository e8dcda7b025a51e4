package dev.cacheops.bench.workload;

import com.zaxxer.hikari.HikariDataSource;
import dev.cacheops.CacheStats;
import dev.cacheops.Consistency;
import dev.cacheops.bench.fixture.BenchSettings;
import dev.cacheops.bench.fixture.CacheFixture;
import dev.cacheops.bench.fixture.CacheFixture.StoreKind;
import dev.cacheops.bench.fixture.CountingDataSource;
import dev.cacheops.bench.fixture.Fixtures;
import dev.cacheops.bench.fixture.Pools;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;

/**
 * One mode's stack: PostgreSQL, a statement counter, a pool of 16, optionally Cacheops over the
 * pool, and Hibernate on top. The near mode has two instances of the application over the one
 * pool: two Cacheops on one Redis prefix, each under a session factory of its own. Not
 * thread-safe to set up or reset; the session factories are.
 */
final class ModeEnvironment implements AutoCloseable {
    final CacheMode mode;
    /** One per application instance; operations alternate between them. */
    final List<SessionFactory> sessions = new ArrayList<>();
    private final BenchSettings settings;
    private final CountingDataSource counter;
    private final HikariDataSource pool;
    private final List<CacheFixture.Built> caches = new ArrayList<>();

    ModeEnvironment(CacheMode mode, BenchSettings settings, int poolSize) {
        this.mode = mode;
        this.settings = settings;
        this.counter = new CountingDataSource(Pools.postgres(settings));
        this.pool = Pools.pool(counter.dataSource(), poolSize);
        switch (mode) {
            case CACHEOPS_REDIS -> caches.add(CacheFixture.build(settings, StoreKind.REDIS, "workload"));
            case CACHEOPS_LOCAL -> caches.add(CacheFixture.build(settings, StoreKind.LOCAL, "workload"));
            case CACHEOPS_NEAR -> {
                String prefix = BenchSettings.freshPrefix("workloadnear");
                for (int i = 0; i < 2; i++) {
                    caches.add(CacheFixture.build(settings, StoreKind.NEAR, Consistency.RELAXED, prefix));
                }
            }
            default -> { }
        }
        if (caches.isEmpty()) {
            sessions.add(Orm.sessionFactory(pool, mode == CacheMode.HIBERNATE));
        }
        for (CacheFixture.Built cache : caches) {
            sessions.add(Orm.sessionFactory(cache.cacheops().wrap(pool), false));
        }
    }

    /**
     * Restores the fixtures on the database directly, then empties the caches, so every run
     * starts from the same data and a cold cache.
     */
    void reset() throws SQLException {
        Fixtures.restore(Pools.postgres(settings));
        for (CacheFixture.Built cache : caches) {
            // each instance: so each waits for its own near cache to hear of it
            cache.cacheops().invalidateAll();
        }
        for (SessionFactory f : sessions) {
            f.getCache().evictAllRegions();
            f.getStatistics().clear();
        }
    }

    /** Statements the database has run so far. */
    long statements() {
        return counter.statements();
    }

    /** Cache hits and misses so far: Cacheops' counters, or Hibernate's L2 plus query cache. */
    long[] hitsAndMisses() {
        if (!caches.isEmpty()) {
            long hits = 0;
            long misses = 0;
            for (CacheFixture.Built cache : caches) {
                CacheStats s = cache.cacheops().stats();
                hits += s.hits();
                misses += s.misses() + s.passThroughTotal();
            }
            return new long[] {hits, misses};
        }
        Statistics s = sessions.get(0).getStatistics();
        return new long[] {s.getSecondLevelCacheHitCount() + s.getQueryCacheHitCount(),
                s.getSecondLevelCacheMissCount() + s.getQueryCacheMissCount()};
    }

    /** Cacheops' counters in words (pass-throughs by reason included, near caches too), or Hibernate's. */
    String describeCache() {
        if (!caches.isEmpty()) {
            List<String> each = new ArrayList<>();
            for (CacheFixture.Built cache : caches) {
                each.add(cache.cacheops().stats()
                        + (cache.kind() == StoreKind.NEAR ? "; " + cache.cacheops().nearCacheStats() : ""));
            }
            return String.join("\n  ", each);
        }
        Statistics s = sessions.get(0).getStatistics();
        return "L2 hits " + s.getSecondLevelCacheHitCount() + ", misses " + s.getSecondLevelCacheMissCount()
                + ", query cache hits " + s.getQueryCacheHitCount() + ", misses " + s.getQueryCacheMissCount();
    }

    /** The Redis prefix of the Cacheops-on-Redis mode (whose keys the report counts), or null. */
    String redisPrefix() {
        return mode == CacheMode.CACHEOPS_REDIS ? caches.get(0).prefix() : null;
    }

    @Override
    public void close() {
        sessions.forEach(SessionFactory::close);
        caches.forEach(CacheFixture.Built::close);
        pool.close();
    }
}
