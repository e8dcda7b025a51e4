package dev.cacheops.bench.oltp;

import com.zaxxer.hikari.HikariDataSource;
import dev.cacheops.CacheStats;
import dev.cacheops.Cacheops;
import dev.cacheops.CacheopsListener;
import dev.cacheops.Consistency;
import dev.cacheops.Op;
import dev.cacheops.bench.fixture.BenchSettings;
import dev.cacheops.bench.fixture.CacheFixture;
import dev.cacheops.bench.fixture.CountingDataSource;
import dev.cacheops.bench.fixture.Pools;
import dev.cacheops.bench.fixture.RedisKeys;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * Runs one cell of the concurrent workload: restores the data, builds a pool of {@code threads}
 * connections (over a statement counter) and, for a Cacheops mode, a fresh instance with an empty
 * cache and its own Redis prefix, then drives {@link OltpWorkload} through {@link TimedRun}.
 * Cacheops is built with its defaults (timeouts included) and one profile caching every read of the
 * {@code oltp_*} tables for 15 minutes, as a new user would set it up; the near mode adds
 * {@code consistency(RELAXED)} and {@code nearCache(64 MiB)}, which is all a user adds.
 */
final class OltpCells {
    private static final long NEAR_BYTES = 64L * 1024 * 1024;
    private final BenchSettings settings;
    private final long seed;

    OltpCells(BenchSettings oltpSettings, long seed) {
        this.settings = oltpSettings;
        this.seed = seed;
    }

    private record Probe(RedisInfo redis, CacheStats stats, long statements) {
    }

    OltpResult run(OltpMode mode, double writeShare, int threads, Duration warmup, Duration settle,
                  Duration window)
            throws Exception {
        OltpSchema.restore(Pools.postgres(settings));
        CountingDataSource counter = new CountingDataSource(Pools.postgres(settings));
        try (HikariDataSource pool = Pools.pool(counter.dataSource(), threads);
             RedisKeys redis = new RedisKeys(settings.redisUri());
             CacheFixture.Built cache = mode == OltpMode.NONE ? null : cacheops(mode)) {
            DataSource ds = cache == null ? pool : cache.cacheops().wrap(pool);
            OltpWorkload workload = new OltpWorkload(ds, writeShare);
            TimedRun.Window<Probe> w = TimedRun.run(threads, warmup, settle, window, index -> {
                // the same sequence of draws in every mode
                SplittableRandom rnd = new SplittableRandom(seed * 1000 + index);
                return () -> workload.step(rnd);
            }, () -> new Probe(RedisInfo.read(redis), cache == null ? null : cache.cacheops().stats(),
                    counter.statements()));
            Probe a = w.before();
            Probe b = w.after();
            double hitRatio = 0;
            double refused = 0;
            long errors = 0;
            long passed = 0;
            if (cache != null) {
                long hits = b.stats().hits() - a.stats().hits();
                long misses = b.stats().misses() - a.stats().misses();
                hitRatio = hits + misses == 0 ? 0 : (double) hits / (hits + misses);
                refused = (double) (b.stats().storesRefused() - a.stats().storesRefused()) / Math.max(1, misses);
                errors = b.stats().storeErrors() - a.stats().storeErrors();
                passed = b.stats().passThroughTotal() - a.stats().passThroughTotal();
            }
            return new OltpResult(mode, writeShare, threads, w.ops(), w.seconds(),
                    w.latency().getValueAtPercentile(50), w.latency().getValueAtPercentile(99),
                    w.jvmCpuMicrosPerOp(), (b.redis().cpuSeconds() - a.redis().cpuSeconds()) * 1e6 / Math.max(1, w.ops()),
                    b.redis().callsPerOp(a.redis(), w.ops()),
                    (double) (b.statements() - a.statements()) / Math.max(1, w.ops()), hitRatio, errors, passed,
                    refused,
                    w.jitMillis(), w.warmupSeconds());
        }
    }

    private CacheFixture.Built cacheops(OltpMode mode) {
        String prefix = BenchSettings.freshPrefix("oltp");
        Cacheops.Builder b = Cacheops.builder().prefix(prefix).profile("oltp_*", Op.ALL, Duration.ofMinutes(15));
        CacheFixture.StoreKind kind = switch (mode) {
            case REDIS -> CacheFixture.StoreKind.REDIS;
            case NEAR -> CacheFixture.StoreKind.NEAR;
            default -> CacheFixture.StoreKind.LOCAL;
        };
        b = kind.redis() ? b.redis(settings.redisUri()) : b.inMemory();
        if (kind == CacheFixture.StoreKind.NEAR) {
            b = b.consistency(Consistency.RELAXED).nearCache(NEAR_BYTES);
        }
        return new CacheFixture.Built(b.listener(new FailedCalls()).build(), prefix, kind, settings.redisUri());
    }

    /**
     * Names each failed store call on stderr (the first 20 of an instance): the operation and how
     * long it took, so that a cell's store errors say what failed and whether it was the timeout.
     */
    private static final class FailedCalls implements CacheopsListener {
        private final AtomicInteger told = new AtomicInteger();

        @Override
        public void storeCalled(String operation, long nanos, boolean failed) {
            if (failed && told.incrementAndGet() <= 20) {
                System.err.printf("oltp: store call failed: %s after %.1f ms%n", operation, nanos / 1e6);
            }
        }
    }
}
