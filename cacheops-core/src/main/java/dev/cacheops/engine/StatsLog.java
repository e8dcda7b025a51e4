package dev.cacheops.engine;

import dev.cacheops.CacheStats;
import dev.cacheops.PassReason;
import dev.cacheops.protocol.Counters;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The optional periodic statistics line ({@code statsLogInterval}): one INFO line per interval
 * with the interval's hits, misses, hit ratio, pass-throughs by reason and invalidations, so a
 * plain-JDBC user sees whether the cache pays without writing a listener. One daemon thread per
 * engine; stopped by {@link #close()}.
 */
final class StatsLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("dev.cacheops.stats");

    private final Counters counters;
    private final Duration interval;
    private final ScheduledExecutorService timer;
    private CacheStats last;

    private StatsLog(Counters counters, Duration interval) {
        this.counters = counters;
        this.interval = interval;
        this.last = counters.snapshot();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cacheops-stats-log");
            t.setDaemon(true);
            return t;
        });
    }

    static StatsLog start(Counters counters, Duration interval) {
        StatsLog log = new StatsLog(counters, interval);
        long ms = Math.max(1, interval.toMillis());
        log.timer.scheduleAtFixedRate(log::tick, ms, ms, TimeUnit.MILLISECONDS);
        return log;
    }

    private synchronized void tick() {
        try {
            CacheStats now = counters.snapshot();
            LOG.info(line(now.minus(last), interval));
            last = now;
        } catch (RuntimeException e) {
            LOG.debug("cannot log the statistics", e);
        }
    }

    /** The line for the counts of one interval. */
    static String line(CacheStats delta, Duration interval) {
        StringJoiner reasons = new StringJoiner(", ", " (", ")");
        reasons.setEmptyValue("");
        for (Map.Entry<PassReason, Long> e : new java.util.TreeMap<>(delta.passThroughs()).entrySet()) {
            if (e.getValue() > 0) {
                reasons.add(e.getKey() + "=" + e.getValue());
            }
        }
        return String.format(Locale.ROOT,
                "cacheops last %s: %d hits, %d misses, hit ratio %.1f%%, %d pass-throughs%s, %d invalidations",
                interval.toString().substring(2).toLowerCase(Locale.ROOT), delta.hits(), delta.misses(),
                delta.hitRatio() * 100, delta.passThroughTotal(), reasons, delta.invalidations());
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
