package dev.cacheops.bench.workload;

import dev.cacheops.bench.fixture.RedisKeys;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts the Redis keys under one Cacheops prefix by kind ({@code q}, {@code conj}, {@code sv},
 * {@code schemes}, {@code wip}, {@code epoch}) and table, with {@code SCAN}.
 *
 * @param entries    cached results ({@code q:} keys)
 * @param stampsByTable conjunction and scheme-version stamps per table
 * @param otherKeys  schemes sets, write-in-progress markers and the epoch
 */
public record KeyCensus(long entries, Map<String, Long> stampsByTable, long otherKeys) {
    public KeyCensus {
        stampsByTable = Map.copyOf(stampsByTable);
    }

    /** Counts the keys under {@code prefix} (without its trailing colon). */
    static KeyCensus of(RedisKeys redis, String prefix) {
        String p = prefix + ":";
        long[] entries = {0};
        long[] other = {0};
        Map<String, Long> stamps = new TreeMap<>();
        redis.scan(p, key -> {
            String rest = key.substring(p.length());
            if (rest.startsWith("q:")) {
                entries[0]++;
            } else if (rest.startsWith("conj:") || rest.startsWith("sv:")) {
                String afterKind = rest.substring(rest.indexOf(':') + 1);
                int end = afterKind.indexOf(':');
                stamps.merge(end < 0 ? afterKind : afterKind.substring(0, end), 1L, Long::sum);
            } else {
                other[0]++;
            }
        });
        return new KeyCensus(entries[0], stamps, other[0]);
    }
}
