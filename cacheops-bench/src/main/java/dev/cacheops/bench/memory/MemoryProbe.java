package dev.cacheops.bench.memory;

import com.zaxxer.hikari.HikariDataSource;
import dev.cacheops.bench.fixture.BenchSettings;
import dev.cacheops.bench.fixture.CacheFixture;
import dev.cacheops.bench.fixture.CacheFixture.StoreKind;
import dev.cacheops.bench.fixture.Fixtures;
import dev.cacheops.bench.fixture.Pools;
import dev.cacheops.bench.fixture.RedisKeys;
import dev.cacheops.bench.jmh.BenchQuery;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Caches each {@link BenchQuery} once on a fresh prefix and asks Redis what its entry costs:
 * {@code STRLEN} (the stored value: checksum and payload) against {@code MEMORY USAGE} (what Redis
 * spends on the key, value and overhead), and the same for the stamp keys created along the way.
 */
public final class MemoryProbe {
    /**
     * One measured key.
     *
     * @param what        the query, or the kind of stamp
     * @param valueBytes  the stored value's length
     * @param redisBytes  {@code MEMORY USAGE} of the key
     */
    public record Row(String what, long valueBytes, long redisBytes) {
    }

    private MemoryProbe() {
    }

    /** Measures one entry per query, then the average stamp key. */
    public static List<Row> measure(BenchSettings s) throws Exception {
        Fixtures.ensure(Pools.postgres(s), s.schema());
        List<Row> rows = new ArrayList<>();
        try (HikariDataSource pool = Pools.pool(s, 1);
             CacheFixture.Built cache = CacheFixture.build(s, StoreKind.REDIS, "memory");
             RedisKeys redis = new RedisKeys(s.redisUri())) {
            DataSource ds = cache.cacheops().wrap(pool);
            String entries = cache.prefix() + ":q:";
            Set<String> seen = new HashSet<>();
            for (BenchQuery q : BenchQuery.values()) {
                try (Connection c = ds.getConnection()) {
                    q.runHit(c);
                }
                List<String> fresh = awaitNewKey(redis, entries, seen);
                for (String key : fresh) {
                    rows.add(new Row(q.name(), redis.strlen(key), redis.memoryUsage(key)));
                }
                seen.addAll(fresh);
            }
            long n = 0;
            long value = 0;
            long usage = 0;
            for (String key : redis.keys(cache.prefix() + ":")) {
                String rest = key.substring(cache.prefix().length() + 1);
                if (rest.startsWith("conj:") || rest.startsWith("sv:")) {
                    n++;
                    value += redis.strlen(key);
                    usage += redis.memoryUsage(key);
                }
            }
            if (n > 0) {
                rows.add(new Row("stamp key (mean of " + n + ")", value / n, usage / n));
            }
        }
        return rows;
    }

    private static List<String> awaitNewKey(RedisKeys redis, String prefix, Set<String> seen)
            throws InterruptedException {
        // the store may complete the put after the caller already has its rows
        for (int i = 0; i < 100; i++) {
            List<String> fresh = new ArrayList<>(redis.keys(prefix));
            fresh.removeAll(seen);
            if (!fresh.isEmpty()) {
                return fresh;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("no entry was stored under " + prefix);
    }
}
