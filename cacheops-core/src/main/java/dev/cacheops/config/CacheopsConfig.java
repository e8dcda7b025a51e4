package dev.cacheops.config;

import dev.cacheops.Cacheops;
import dev.cacheops.Consistency;
import dev.cacheops.FailureMode;
import dev.cacheops.Op;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * Builds a {@link Cacheops.Builder} from flat {@code cacheops.*} properties, the key set shared
 * by the JDBC driver, {@code cacheops.properties} files and the Spring Boot starter:
 *
 * <pre>
 * cacheops.redis.url=redis://127.0.0.1:6379/0
 * cacheops.prefix=blog
 * cacheops.profiles.post.ops=all
 * cacheops.profiles.post.timeout=15m
 * cacheops.profiles.[*].ops=count
 * cacheops.disabled=audit_log
 * </pre>
 *
 * <p>Profile patterns may contain dots ({@code cacheops.profiles.public.post.ops}) and may be
 * written in Spring Boot's map-key brackets ({@code cacheops.profiles.[auth_*].ops}). Durations
 * and sizes are read by {@link Values}. Keys outside {@code cacheops.} are ignored; an unknown
 * {@code cacheops.*} key, or a bad value, fails with an {@link IllegalArgumentException} naming the
 * key and the value. Stateless and thread-safe.
 */
public final class CacheopsConfig {
    /** The key prefix every setting shares. */
    public static final String PREFIX = "cacheops.";
    /** The key naming a properties file to read (by the driver); accepted and otherwise ignored here. */
    public static final String CONFIG_KEY = "cacheops.config";
    /** The key that turns the cache off; read with {@link #enabled(Map)}. */
    public static final String ENABLED_KEY = "cacheops.enabled";

    private static final String PROFILES = "cacheops.profiles.";

    /** The scalar keys and how each is applied, in documentation order. */
    private static final Map<String, BiConsumer<Cacheops.Builder, Setting>> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put(ENABLED_KEY, (b, s) -> s.bool());
        KEYS.put(CONFIG_KEY, (b, s) -> { });
        KEYS.put("cacheops.prefix", (b, s) -> {
            if (s.value().isBlank() || s.value().trim().equals(":")) {
                throw Values.bad(s.key(), s.value(), "a non-empty key prefix");
            }
            b.prefix(s.value().trim());
        });
        KEYS.put("cacheops.consistency", (b, s) -> b.consistency(s.choice(Consistency.class)));
        KEYS.put("cacheops.failure-mode", (b, s) -> b.failureMode(s.choice(FailureMode.class)));
        KEYS.put("cacheops.redis.url", (b, s) -> {
            if (s.value().isBlank()) {
                b.inMemory();
            } else {
                b.redis(s.value().trim());
            }
        });
        KEYS.put("cacheops.redis.timeout", (b, s) -> b.redisTimeout(s.positiveDuration()));
        KEYS.put("cacheops.redis.connect-timeout", (b, s) -> b.redisConnectTimeout(s.positiveDuration()));
        KEYS.put("cacheops.redis.pool-size", (b, s) -> b.redisPoolSize(s.intAtLeast(1)));
        KEYS.put("cacheops.redis.ssl.trusted-ca", (b, s) -> {
            if (!s.value().isBlank()) {
                b.redisTrustedCa(Path.of(s.value().trim()));
            }
        });
        KEYS.put("cacheops.lock-timeout", (b, s) -> b.lockTimeout(s.positiveDuration()));
        KEYS.put("cacheops.default-timeout", (b, s) -> b.defaultTimeout(s.positiveDuration()));
        KEYS.put("cacheops.max-rows", (b, s) -> b.maxRows(s.intAtLeast(1)));
        KEYS.put("cacheops.max-bytes", (b, s) -> b.maxBytes(s.sizeAtLeast(1024)));
        KEYS.put("cacheops.bulk-rows", (b, s) -> b.bulkRows(s.intAtLeast(1)));
        KEYS.put("cacheops.rows-from-results", (b, s) -> b.rowsFromResults(Values.bool(s.key(), s.value())));
        KEYS.put("cacheops.in-list-limit", (b, s) -> b.inListLimit(s.intAtLeast(1)));
        KEYS.put("cacheops.local.max-bytes", (b, s) -> b.localMaxBytes(s.sizeAtLeast(1024)));
        KEYS.put("cacheops.near-cache.max-bytes", (b, s) -> {
            long bytes = s.value().isBlank() ? 0 : s.sizeAtLeast(0);
            if (bytes != 0 && bytes < 1024) {
                throw Values.bad(s.key(), s.value(), "0 (no near cache) or a data size of at least 1024 bytes");
            }
            b.nearCache(bytes);
        });
        // Applied together after the loop (apply): one builder call takes both.
        KEYS.put("cacheops.change-stream.url", (b, s) -> { });
        KEYS.put("cacheops.change-stream.slot", (b, s) -> { });
        KEYS.put("cacheops.change-stream.max-lag", (b, s) -> b.changeStreamMaxLag(s.durationOrZero()));
        KEYS.put("cacheops.change-stream.leave-writes-to-stream",
                (b, s) -> b.leaveWritesToStream(Values.bool(s.key(), s.value())));
        KEYS.put("cacheops.safe-functions", (b, s) -> b.safeFunctions(Values.list(s.value()).toArray(String[]::new)));
        KEYS.put("cacheops.disabled", (b, s) -> Values.list(s.value()).forEach(b::disable));
        KEYS.put("cacheops.stats-log-interval", (b, s) -> b.statsLogInterval(s.positiveDuration()));
        KEYS.put("cacheops.repeatable-read", (b, s) -> {
            switch (s.value().trim().toLowerCase(Locale.ROOT)) {
                case "pass" -> b.serveCommittedInRepeatableRead(false);
                case "serve-committed" -> b.serveCommittedInRepeatableRead(true);
                default -> throw Values.bad(s.key(), s.value(), "pass or serve-committed");
            }
        });
    }

    private CacheopsConfig() {
    }

    /**
     * A builder configured from {@code properties}; add a listener or override settings, then
     * {@link Cacheops.Builder#build()}.
     *
     * @throws IllegalArgumentException naming the key and value of the first unknown key or bad value
     */
    public static Cacheops.Builder fromProperties(Map<String, String> properties) {
        Cacheops.Builder builder = Cacheops.builder();
        apply(properties, builder);
        return builder;
    }

    /**
     * Applies {@code properties} to an existing builder (keys outside {@code cacheops.} ignored).
     *
     * @throws IllegalArgumentException naming the key and value of the first unknown key or bad value
     */
    public static void apply(Map<String, String> properties, Cacheops.Builder builder) {
        // Sorted so the first error reported does not depend on the map's iteration order.
        Map<String, String> settings = new TreeMap<>();
        properties.forEach((k, v) -> {
            if (k.startsWith(PREFIX)) {
                settings.put(k, v == null ? "" : v);
            }
        });
        Map<String, ProfileSpec> profiles = new TreeMap<>();
        Duration defaultTimeout = Duration.ofHours(1);
        for (Map.Entry<String, String> e : settings.entrySet()) {
            String key = e.getKey();
            Setting s = new Setting(key, e.getValue());
            BiConsumer<Cacheops.Builder, Setting> apply = KEYS.get(key);
            if (apply != null) {
                apply.accept(builder, s);
                if (key.equals("cacheops.default-timeout")) {
                    defaultTimeout = s.positiveDuration();
                }
            } else if (key.startsWith(PROFILES)) {
                profileSetting(profiles, s);
            } else {
                throw new IllegalArgumentException("unknown key " + key + " (value '" + e.getValue()
                        + "'); the keys are " + String.join(", ", KEYS.keySet())
                        + ", cacheops.profiles.<pattern>.ops|timeout|lock-wait");
            }
        }
        String streamUrl = settings.get("cacheops.change-stream.url");
        String streamSlot = settings.get("cacheops.change-stream.slot");
        if (streamUrl != null && !streamUrl.isBlank()) {
            builder.changeStream(streamUrl.trim(),
                    streamSlot == null || streamSlot.isBlank() ? "cacheops" : streamSlot.trim());
        } else if (streamSlot != null && !streamSlot.isBlank()) {
            throw Values.bad("cacheops.change-stream.slot", streamSlot,
                    "set together with cacheops.change-stream.url");
        }
        for (Map.Entry<String, ProfileSpec> p : profiles.entrySet()) {
            ProfileSpec spec = p.getValue();
            builder.profile(p.getKey(), spec.ops == null ? Set.of() : spec.ops,
                    spec.timeout == null ? defaultTimeout : spec.timeout, spec.lockWait);
        }
    }

    /**
     * The fixed keys (the profile keys {@code cacheops.profiles.<pattern>.ops|timeout|lock-wait}
     * come on top), in documentation order; for tools that list them.
     */
    public static List<String> keys() {
        return List.copyOf(KEYS.keySet());
    }

    /** Whether {@code cacheops.enabled} (default true) leaves the cache on. */
    public static boolean enabled(Map<String, String> properties) {
        String v = properties.get(ENABLED_KEY);
        return v == null || Values.bool(ENABLED_KEY, v);
    }

    private static void profileSetting(Map<String, ProfileSpec> profiles, Setting s) {
        String rest = s.key().substring(PROFILES.length());
        int dot = rest.lastIndexOf('.');
        String pattern = dot < 0 ? "" : rest.substring(0, dot);
        if (pattern.startsWith("[") && pattern.endsWith("]")) {
            pattern = pattern.substring(1, pattern.length() - 1);
        }
        if (pattern.isBlank()) {
            throw new IllegalArgumentException("unknown key " + s.key()
                    + ": profile keys are cacheops.profiles.<pattern>.ops|timeout|lock-wait");
        }
        ProfileSpec spec = profiles.computeIfAbsent(pattern.trim(), k -> new ProfileSpec());
        switch (rest.substring(dot + 1)) {
            case "ops" -> spec.ops = ops(s);
            case "timeout" -> spec.timeout = s.positiveDuration();
            case "lock-wait" -> spec.lockWait = s.positiveDuration();
            default -> throw new IllegalArgumentException("unknown key " + s.key()
                    + ": profile keys are cacheops.profiles.<pattern>.ops|timeout|lock-wait");
        }
    }

    private static Set<Op> ops(Setting s) {
        Set<Op> ops = EnumSet.noneOf(Op.class);
        for (String item : Values.list(s.value())) {
            if (item.equalsIgnoreCase("all")) {
                ops.addAll(Op.ALL);
                continue;
            }
            try {
                ops.add(Op.valueOf(item.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw Values.bad(s.key(), s.value(), "a comma list of get, fetch, count, aggregate, exists or all");
            }
        }
        return ops;
    }

    /** The profile keys of one pattern, gathered before the profile is added. */
    private static final class ProfileSpec {
        Set<Op> ops;
        Duration timeout;
        Duration lockWait;
    }

    /** One key and its raw value, with the typed readers that name both on failure. */
    private record Setting(String key, String value) {
        Duration durationOrZero() {
            Duration d = Values.duration(key, value);
            if (d.isNegative()) {
                throw Values.bad(key, value, "a duration, 0 for none");
            }
            return d;
        }

        Duration positiveDuration() {
            Duration d = Values.duration(key, value);
            if (d.isNegative() || d.isZero()) {
                throw Values.bad(key, value, "a positive duration");
            }
            return d;
        }

        int intAtLeast(int min) {
            int n = Values.integer(key, value);
            if (n < min) {
                throw Values.bad(key, value, "a whole number of at least " + min);
            }
            return n;
        }

        long sizeAtLeast(long min) {
            long n = Values.dataSize(key, value);
            if (n < min) {
                throw Values.bad(key, value, "a data size of at least " + min + " bytes");
            }
            return n;
        }

        boolean bool() {
            return Values.bool(key, value);
        }

        <E extends Enum<E>> E choice(Class<E> type) {
            String v = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            for (E c : type.getEnumConstants()) {
                if (c.name().equals(v)) {
                    return c;
                }
            }
            List<String> names = java.util.Arrays.stream(type.getEnumConstants())
                    .map(c -> c.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList();
            throw Values.bad(key, value, "one of " + String.join(", ", names));
        }
    }
}
