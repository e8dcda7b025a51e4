package dev.cacheops.engine;

import dev.cacheops.CacheopsListener;
import dev.cacheops.Consistency;
import dev.cacheops.FailureMode;
import dev.cacheops.Profile;
import dev.cacheops.sql.AnalyzerSettings;
import java.time.Duration;
import java.util.List;

/**
 * Everything the engine is configured with, validated by {@code Cacheops.Builder}. Immutable.
 *
 * @param profiles        table profiles (disabled ones included)
 * @param consistency     strict or relaxed
 * @param lockTtl         how long a pre-commit lock marker lives if its writer dies
 * @param defaultTimeout  timeout of manually cached reads when the caller gives none and no profile does
 * @param maxRows         results with more rows pass through uncached
 * @param maxBytes        results larger than this (encoded) pass through uncached
 * @param bulkRows        writes touching more rows than this invalidate the whole table
 * @param analyzer        analyser limits
 * @param planCacheSize   how many analysed statements to remember per data source (and four times as
 *                        many memoised lookups, {@code Database.lookup})
 * @param listener        event listener
 * @param failureMode     what a write does when its invalidation cannot be delivered
 * @param serveCommittedInRepeatableRead serve cache hits (never fill) inside REPEATABLE READ
 *                        transactions that have not written
 * @param statsLogInterval how often to log a statistics line at INFO, or null for never
 * @param nearCacheBytes  the bound of the near cache in bytes, or 0 for none (DESIGN §11)
 * @param writesLeftToStream wrapped writes read no images and invalidate nothing themselves: the
 *                        change stream invalidates them after their commit (DESIGN §12)
 * @param rowsFromResults the rows of a result also answer lookups of one row by key (DESIGN §3,
 *                        "Rows of a result")
 */
public record EngineSettings(List<Profile> profiles, Consistency consistency, Duration lockTtl,
                             Duration defaultTimeout, int maxRows, long maxBytes, int bulkRows,
                             AnalyzerSettings analyzer, int planCacheSize, CacheopsListener listener,
                             FailureMode failureMode, boolean serveCommittedInRepeatableRead,
                             Duration statsLogInterval, long nearCacheBytes, boolean writesLeftToStream,
                             boolean rowsFromResults) {
    public EngineSettings {
        profiles = List.copyOf(profiles);
    }

    /** The settings without the opt-ins: REPEATABLE READ passes through, no statistics log. */
    public EngineSettings(List<Profile> profiles, Consistency consistency, Duration lockTtl,
                          Duration defaultTimeout, int maxRows, long maxBytes, int bulkRows,
                          AnalyzerSettings analyzer, int planCacheSize, CacheopsListener listener,
                          FailureMode failureMode) {
        this(profiles, consistency, lockTtl, defaultTimeout, maxRows, maxBytes, bulkRows, analyzer, planCacheSize,
                listener, failureMode, false, null, 0, false, true);
    }
}
