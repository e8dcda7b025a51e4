package dev.cacheops.stress;

import dev.cacheops.Consistency;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything one JVM of a stress run needs, and its command-line form (so a forked JVM gets exactly
 * the settings of its parent). Immutable.
 *
 * @param jdbcUrl         PostgreSQL URL
 * @param user            PostgreSQL user
 * @param password        PostgreSQL password (may be empty)
 * @param schema          the run's own schema (created by {@link StressSchema})
 * @param redisUri        the Redis every JVM shares
 * @param prefix          the key prefix every JVM shares
 * @param consistency     STRICT or RELAXED
 * @param threads         threads per JVM, writers included
 * @param writers         writer threads per JVM (the rest read)
 * @param jvms            how many JVMs take part (for the id layout and the barriers)
 * @param jvmIndex        this JVM's index, 0 for the parent
 * @param duration        how long the writers write
 * @param redisTimeout    Cacheops' Redis timeout
 * @param maxOpsPerThread a hard bound on each thread's loop, whatever the duration
 * @param nearCacheBytes  {@code Cacheops.Builder#nearCache} of every JVM, 0 for none (needs RELAXED);
 *                        with a near cache each JVM also runs a {@link WindowProbe}
 * @param staleBound      how long after a commit returned an old value may still be read in
 *                        RELAXED mode (and, with {@code bypass}, after a bypassing commit in any
 *                        mode); a stale read that starts later is a late stale read
 * @param bypass          every JVM consumes the change stream ({@link #slot()}; one holds the slot)
 *                        and runs one more writer that writes rows of its own through a plain,
 *                        unwrapped connection, and a {@link WindowProbe} that measures how long
 *                        after such a commit the cache still served the old value
 */
public record StressSettings(String jdbcUrl, String user, String password, String schema, String redisUri,
                             String prefix, Consistency consistency, int threads, int writers, int jvms,
                             int jvmIndex, Duration duration, Duration redisTimeout, long maxOpsPerThread,
                             long nearCacheBytes, Duration staleBound, boolean bypass) {

    /** The default {@link #staleBound()}: far beyond any report's way on one host, far below a human's notice. */
    public static final Duration DEFAULT_STALE_BOUND = Duration.ofMillis(50);

    /** Rows written only through multi-row transactions, by any writer of any JVM. */
    public static final int SHARED_IDS = 6;
    /** Rows each writer owns and writes in auto-commit (so it knows each version it wrote). */
    public static final int OWNED_PER_WRITER = 2;

    public StressSettings {
        if (threads < 2 || writers < 1 || writers >= threads) {
            throw new IllegalArgumentException("threads must be >= 2 and writers in [1, threads), was threads="
                    + threads + " writers=" + writers);
        }
        if (jvms < 1 || jvmIndex < 0 || jvmIndex >= jvms) {
            throw new IllegalArgumentException("jvmIndex must be in [0, jvms), was " + jvmIndex + " of " + jvms);
        }
        if (nearCacheBytes != 0 && consistency != Consistency.RELAXED) {
            throw new IllegalArgumentException("a near cache needs consistency RELAXED, was " + consistency);
        }
        if (bypass && nearCacheBytes != 0) {
            // The probe measures one window per run: the two would be mixed up.
            throw new IllegalArgumentException("a bypassing writer and a near cache are not measured together");
        }
        if (staleBound.isNegative()) {
            throw new IllegalArgumentException("staleBound must not be negative, was " + staleBound);
        }
    }

    /** Settings without a near cache and with the default stale bound. */
    public StressSettings(String jdbcUrl, String user, String password, String schema, String redisUri,
                          String prefix, Consistency consistency, int threads, int writers, int jvms, int jvmIndex,
                          Duration duration, Duration redisTimeout, long maxOpsPerThread) {
        this(jdbcUrl, user, password, schema, redisUri, prefix, consistency, threads, writers, jvms, jvmIndex,
                duration, redisTimeout, maxOpsPerThread, 0, DEFAULT_STALE_BOUND, false);
    }

    /** Settings without a bypassing writer. */
    public StressSettings(String jdbcUrl, String user, String password, String schema, String redisUri,
                          String prefix, Consistency consistency, int threads, int writers, int jvms, int jvmIndex,
                          Duration duration, Duration redisTimeout, long maxOpsPerThread, long nearCacheBytes,
                          Duration staleBound) {
        this(jdbcUrl, user, password, schema, redisUri, prefix, consistency, threads, writers, jvms, jvmIndex,
                duration, redisTimeout, maxOpsPerThread, nearCacheBytes, staleBound, false);
    }

    /** Whether every JVM keeps a near cache (and runs a {@link WindowProbe}). */
    public boolean nearCache() {
        return nearCacheBytes > 0;
    }

    /** The same settings with a near cache of {@code bytes} on every JVM (0 for none). */
    public StressSettings withNearCache(long bytes) {
        return new StressSettings(jdbcUrl, user, password, schema, redisUri, prefix, consistency, threads, writers,
                jvms, jvmIndex, duration, redisTimeout, maxOpsPerThread, bytes, staleBound, bypass);
    }

    /** The same settings with another {@link #staleBound()}. */
    public StressSettings withStaleBound(Duration bound) {
        return new StressSettings(jdbcUrl, user, password, schema, redisUri, prefix, consistency, threads, writers,
                jvms, jvmIndex, duration, redisTimeout, maxOpsPerThread, nearCacheBytes, bound, bypass);
    }

    /** The same settings with or without a bypassing writer per JVM (see {@link #bypass()}). */
    public StressSettings withBypass(boolean on) {
        return new StressSettings(jdbcUrl, user, password, schema, redisUri, prefix, consistency, threads, writers,
                jvms, jvmIndex, duration, redisTimeout, maxOpsPerThread, nearCacheBytes, staleBound, on);
    }

    /** The number of counter rows: shared ones, every writer's own, every bypassing writer's own. */
    public int rows() {
        return firstBypassId() - 1 + (bypass ? jvms * OWNED_PER_WRITER : 0);
    }

    /**
     * The first row written by a bypassing writer (of any JVM); those rows are written by nothing
     * else, so a stale read of one is a read within the change stream's window.
     */
    public int firstBypassId() {
        return SHARED_IDS + jvms * writers * OWNED_PER_WRITER + 1;
    }

    /** The first id owned by this JVM's bypassing writer. */
    public int firstOwnedBypassId() {
        return firstBypassId() + jvmIndex * OWNED_PER_WRITER;
    }

    /** The replication slot (and publication) of a run with {@link #bypass()}: named after the schema. */
    public String slot() {
        return "cacheops_stress_" + schema.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    }

    /** The URL the change stream connects with: the JDBC URL with the user and password as parameters. */
    public String changeStreamUrl() {
        String sep = jdbcUrl.contains("?") ? "&" : "?";
        return jdbcUrl + sep + "user=" + user + (password == null || password.isEmpty() ? "" : "&password=" + password);
    }

    /** The first id owned by writer {@code local} of this JVM. */
    public int firstOwnedId(int local) {
        int global = jvmIndex * writers + local;
        return SHARED_IDS + 1 + global * OWNED_PER_WRITER;
    }

    /** The same settings for another JVM of the run. */
    public StressSettings forJvm(int index) {
        return new StressSettings(jdbcUrl, user, password, schema, redisUri, prefix, consistency, threads, writers,
                jvms, index, duration, redisTimeout, maxOpsPerThread, nearCacheBytes, staleBound, bypass);
    }

    /** The same settings against another Redis. */
    public StressSettings withRedis(String uri) {
        return new StressSettings(jdbcUrl, user, password, schema, uri, prefix, consistency, threads, writers,
                jvms, jvmIndex, duration, redisTimeout, maxOpsPerThread, nearCacheBytes, staleBound, bypass);
    }

    /** As {@code --key value} arguments for {@link #parse}. */
    public List<String> toArgs() {
        List<String> a = new ArrayList<>();
        add(a, "jdbc-url", jdbcUrl);
        add(a, "user", user);
        add(a, "password", password);
        add(a, "schema", schema);
        add(a, "redis", redisUri);
        add(a, "prefix", prefix);
        add(a, "mode", consistency.name().toLowerCase(Locale.ROOT));
        add(a, "threads", Integer.toString(threads));
        add(a, "writers", Integer.toString(writers));
        add(a, "jvms", Integer.toString(jvms));
        add(a, "jvm-index", Integer.toString(jvmIndex));
        add(a, "duration-ms", Long.toString(duration.toMillis()));
        add(a, "redis-timeout-ms", Long.toString(redisTimeout.toMillis()));
        add(a, "max-ops", Long.toString(maxOpsPerThread));
        add(a, "near-cache-bytes", Long.toString(nearCacheBytes));
        add(a, "stale-bound-us", Long.toString(staleBound.toNanos() / 1000));
        add(a, "bypass", Boolean.toString(bypass));
        return a;
    }

    /** Parses what {@link #toArgs()} wrote. */
    public static StressSettings parse(String[] args) {
        Map<String, String> m = options(args);
        return new StressSettings(m.get("jdbc-url"), m.get("user"), m.getOrDefault("password", ""), m.get("schema"),
                m.get("redis"), m.get("prefix"), Consistency.valueOf(m.get("mode").toUpperCase(Locale.ROOT)),
                Integer.parseInt(m.get("threads")), Integer.parseInt(m.get("writers")),
                Integer.parseInt(m.get("jvms")), Integer.parseInt(m.get("jvm-index")),
                Duration.ofMillis(Long.parseLong(m.get("duration-ms"))),
                Duration.ofMillis(Long.parseLong(m.get("redis-timeout-ms"))), Long.parseLong(m.get("max-ops")),
                Long.parseLong(m.get("near-cache-bytes")), Duration.ofNanos(1000 * Long.parseLong(m.get("stale-bound-us"))),
                Boolean.parseBoolean(m.get("bypass")));
    }

    /** {@code --key value} pairs; a value may be empty. */
    static Map<String, String> options(String[] args) {
        Map<String, String> m = new TreeMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option, got '" + args[i] + "'");
            }
            String key = args[i].substring(2);
            String value = i + 1 < args.length && !args[i + 1].startsWith("--") ? args[++i] : "";
            m.put(key, value);
        }
        return m;
    }

    private static void add(List<String> a, String k, String v) {
        a.add("--" + k);
        a.add(v == null ? "" : v);
    }
}
