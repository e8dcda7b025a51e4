package dev.cacheops.spring.boot;

import dev.cacheops.Cacheops;
import dev.cacheops.CacheopsListener;
import dev.cacheops.Op;
import dev.cacheops.spring.boot.CacheopsProperties.ProfileOp;
import dev.cacheops.spring.boot.CacheopsProperties.ProfileProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Builds a {@link Cacheops} from {@link CacheopsProperties}: each property onto its builder method.
 * The builder validates; its messages name builder settings ({@code maxRows must be ...}), so they
 * are rethrown here naming the property ({@code cacheops.max-rows}) as well.
 */
final class CacheopsFactory {
    /** Builder setting name, as the builder's messages start, to the property that sets it. */
    private static final Map<String, String> PROPERTY_OF = new LinkedHashMap<>();

    static {
        PROPERTY_OF.put("redisTimeout", "cacheops.redis.timeout");
        PROPERTY_OF.put("redisConnectTimeout", "cacheops.redis.connect-timeout");
        PROPERTY_OF.put("redisPoolSize", "cacheops.redis.pool-size");
        PROPERTY_OF.put("redis: trustedCa", "cacheops.redis.ssl.trusted-ca");
        PROPERTY_OF.put("redis:", "cacheops.redis.url");
        PROPERTY_OF.put("lockTimeout", "cacheops.lock-timeout");
        PROPERTY_OF.put("defaultTimeout", "cacheops.default-timeout");
        PROPERTY_OF.put("maxRows", "cacheops.max-rows");
        PROPERTY_OF.put("maxBytes", "cacheops.max-bytes");
        PROPERTY_OF.put("bulkRows", "cacheops.bulk-rows");
        PROPERTY_OF.put("inListLimit", "cacheops.in-list-limit");
        PROPERTY_OF.put("localMaxBytes", "cacheops.local.max-bytes");
        PROPERTY_OF.put("nearCache", "cacheops.near-cache.max-bytes");
        PROPERTY_OF.put("changeStream", "cacheops.change-stream.url");
        PROPERTY_OF.put("prefix", "cacheops.prefix");
        PROPERTY_OF.put("failureMode", "cacheops.failure-mode");
    }

    private CacheopsFactory() {
    }

    /**
     * Builds and connects.
     *
     * @param redisUrl the resolved Redis URI, or null for the in-process store
     * @throws IllegalArgumentException naming the first invalid property
     */
    static Cacheops build(CacheopsProperties p, String redisUrl, CacheopsListener listener) {
        Cacheops.Builder b = Cacheops.builder()
                .prefix(p.getPrefix())
                .consistency(p.getConsistency())
                .failureMode(p.getFailureMode())
                .redisTimeout(p.getRedis().getTimeout())
                .redisConnectTimeout(p.getRedis().getConnectTimeout())
                .redisPoolSize(p.getRedis().getPoolSize())
                .lockTimeout(p.getLockTimeout())
                .defaultTimeout(p.getDefaultTimeout())
                .maxRows(p.getMaxRows())
                .maxBytes(p.getMaxBytes().toBytes())
                .bulkRows(p.getBulkRows())
                .rowsFromResults(p.isRowsFromResults())
                .inListLimit(p.getInListLimit())
                .localMaxBytes(p.getLocal().getMaxBytes().toBytes())
                .safeFunctions(p.getSafeFunctions().toArray(String[]::new))
                .listener(listener);
        if (redisUrl != null) {
            b.redis(redisUrl);
        }
        if (p.getNearCache().getMaxBytes().toBytes() != 0) {
            b.nearCache(p.getNearCache().getMaxBytes().toBytes());
        }
        String streamUrl = p.getChangeStream().getUrl();
        if (streamUrl != null && !streamUrl.isBlank()) {
            b.changeStream(streamUrl.trim(), p.getChangeStream().getSlot());
            b.changeStreamMaxLag(p.getChangeStream().getMaxLag());
            b.leaveWritesToStream(p.getChangeStream().isLeaveWritesToStream());
        }
        String trustedCa = p.getRedis().getSsl().getTrustedCa();
        if (trustedCa != null && !trustedCa.isBlank()) {
            b.redisTrustedCa(Path.of(trustedCa.trim()));
        }
        p.getProfiles().forEach((pattern, profile) -> addProfile(b, pattern, profile, p.getDefaultTimeout()));
        for (String pattern : p.getDisabled()) {
            try {
                b.disable(pattern);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("cacheops.disabled: " + e.getMessage(), e);
            }
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(propertyOf(e.getMessage()) + ": " + e.getMessage(), e);
        }
    }

    private static void addProfile(Cacheops.Builder b, String pattern, ProfileProperties profile, Duration fallback) {
        Duration timeout = profile.getTimeout() == null ? fallback : profile.getTimeout();
        try {
            b.profile(pattern, ops(profile.getOps()), timeout, profile.getLockWait());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cacheops.profiles[" + pattern + "]: " + e.getMessage(), e);
        }
    }

    /** The engine's ops for the property's; {@code all} stands for all five, empty for none. */
    static Set<Op> ops(Set<ProfileOp> ops) {
        EnumSet<Op> result = EnumSet.noneOf(Op.class);
        for (ProfileOp op : ops) {
            if (op == ProfileOp.ALL) {
                return EnumSet.allOf(Op.class);
            }
            result.add(Op.valueOf(op.name()));
        }
        return result;
    }

    private static String propertyOf(String message) {
        if (message != null) {
            for (Map.Entry<String, String> e : PROPERTY_OF.entrySet()) {
                if (message.startsWith(e.getKey())) {
                    return e.getValue();
                }
            }
        }
        return "cacheops";
    }
}
