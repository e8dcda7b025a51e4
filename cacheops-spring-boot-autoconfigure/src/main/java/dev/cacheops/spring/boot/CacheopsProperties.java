package dev.cacheops.spring.boot;

import dev.cacheops.Consistency;
import dev.cacheops.FailureMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The {@code cacheops.*} properties, one for each setting of {@link dev.cacheops.Cacheops.Builder}
 * (the JDBC driver's properties file uses the same keys). Bound once at start-up; the values are
 * checked when the {@link dev.cacheops.Cacheops} bean is built, and a bad one fails start-up with
 * a message naming the property.
 *
 * <p>Pattern keys of {@link #getProfiles() profiles} containing {@code _}, {@code .} or {@code *}
 * must use the bracket form ({@code cacheops.profiles[auth_user].ops}, in YAML
 * {@code "[auth_user]":}): Spring's relaxed binding drops those characters from plain map keys.
 */
@ConfigurationProperties("cacheops")
public class CacheopsProperties {

    /** Whether to build Cacheops and wrap every DataSource bean. */
    private boolean enabled = true;

    /** Key prefix in the store, so applications can share one Redis. */
    private String prefix = "cacheops";

    /** STRICT: no stale read once a commit has returned (one Redis round trip per writing commit); RELAXED: a window of about one round trip. */
    private Consistency consistency = Consistency.STRICT;

    /** What a write does when its invalidation cannot be delivered: DEGRADE (commit anyway) or FAIL_WRITES (roll back; needs strict consistency). */
    private FailureMode failureMode = FailureMode.DEGRADE;

    /** How long a pre-commit lock marker lives if its writer dies. */
    private Duration lockTimeout = Duration.ofSeconds(10);

    /** Timeout of manual caching (@Cached, cache(...)) when neither the call nor a profile gives one; also the profile timeout when a profile sets none. */
    private Duration defaultTimeout = Duration.ofHours(1);

    /** Results with more rows pass through uncached. */
    private int maxRows = 10_000;

    /** Results larger than this (encoded) pass through uncached. */
    private DataSize maxBytes = DataSize.ofMegabytes(8);

    /** Writes touching more rows invalidate the whole table. */
    private int bulkRows = 1_000;
    /** Whether the rows of a cached result also answer lookups of one row by key (see {@code Cacheops.Builder#rowsFromResults}). */
    private boolean rowsFromResults = true;

    /** IN lists longer than this narrow nothing (invalidation falls back to the other conditions). */
    private int inListLimit = 16;

    /** SQL functions declared deterministic and free of hidden table reads, so reads using them cache. */
    private List<String> safeFunctions = new ArrayList<>();

    /** Table patterns never cached, not even manually. */
    private List<String> disabled = new ArrayList<>();

    /** Profiles by table pattern (table, schema.table, prefix_*, schema.*, *); use brackets for keys with '_', '.' or '*'. */
    private Map<String, ProfileProperties> profiles = new LinkedHashMap<>();

    private final Redis redis = new Redis();

    private final Local local = new Local();

    private final NearCache nearCache = new NearCache();

    /** Fail start-up on a profile or disabled pattern (without *) that names neither a table nor a JPA entity; false when tables are created after start-up. */
    private boolean validatePatterns = true;

    private final ChangeStream changeStream = new ChangeStream();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getPrefix() {
        return prefix;
    }

    public void setPrefix(String prefix) {
        this.prefix = prefix;
    }

    public Consistency getConsistency() {
        return consistency;
    }

    public void setConsistency(Consistency consistency) {
        this.consistency = consistency;
    }

    public FailureMode getFailureMode() {
        return failureMode;
    }

    public void setFailureMode(FailureMode failureMode) {
        this.failureMode = failureMode;
    }

    public Duration getLockTimeout() {
        return lockTimeout;
    }

    public void setLockTimeout(Duration lockTimeout) {
        this.lockTimeout = lockTimeout;
    }

    public Duration getDefaultTimeout() {
        return defaultTimeout;
    }

    public void setDefaultTimeout(Duration defaultTimeout) {
        this.defaultTimeout = defaultTimeout;
    }

    public int getMaxRows() {
        return maxRows;
    }

    public void setMaxRows(int maxRows) {
        this.maxRows = maxRows;
    }

    public DataSize getMaxBytes() {
        return maxBytes;
    }

    public void setMaxBytes(DataSize maxBytes) {
        this.maxBytes = maxBytes;
    }

    public int getBulkRows() {
        return bulkRows;
    }

    public void setBulkRows(int bulkRows) {
        this.bulkRows = bulkRows;
    }

    public boolean isRowsFromResults() {
        return rowsFromResults;
    }

    public void setRowsFromResults(boolean rowsFromResults) {
        this.rowsFromResults = rowsFromResults;
    }

    public int getInListLimit() {
        return inListLimit;
    }

    public void setInListLimit(int inListLimit) {
        this.inListLimit = inListLimit;
    }

    public List<String> getSafeFunctions() {
        return safeFunctions;
    }

    public void setSafeFunctions(List<String> safeFunctions) {
        this.safeFunctions = safeFunctions;
    }

    public List<String> getDisabled() {
        return disabled;
    }

    public void setDisabled(List<String> disabled) {
        this.disabled = disabled;
    }

    public Map<String, ProfileProperties> getProfiles() {
        return profiles;
    }

    public void setProfiles(Map<String, ProfileProperties> profiles) {
        this.profiles = profiles;
    }

    public Redis getRedis() {
        return redis;
    }

    public Local getLocal() {
        return local;
    }

    /** The kinds of read a profile caches automatically; {@link #ALL} stands for all five. */
    public enum ProfileOp {
        /** At most one row by a unique key or {@code limit 1}. */
        GET,
        /** Any other select of rows. */
        FETCH,
        /** {@code count(*)} without {@code group by}. */
        COUNT,
        /** Other aggregates and {@code group by}. */
        AGGREGATE,
        /** {@code exists(...)} and {@code select 1 ... limit 1}. */
        EXISTS,
        /** All of the above. */
        ALL
    }

    /** One {@code cacheops.profiles.<pattern>} entry. */
    public static class ProfileProperties {

        /** Reads cached automatically (get, fetch, count, aggregate, exists or all); empty means manual caching only. */
        private Set<ProfileOp> ops = new LinkedHashSet<>();

        /** How long a result stays cached; defaults to cacheops.default-timeout. */
        private Duration timeout;

        /** When set, concurrent misses of one result wait at most this long for the one caller computing it (dog-pile lock). */
        private Duration lockWait;

        public Set<ProfileOp> getOps() {
            return ops;
        }

        public void setOps(Set<ProfileOp> ops) {
            this.ops = ops;
        }

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        public Duration getLockWait() {
            return lockWait;
        }

        public void setLockWait(Duration lockWait) {
            this.lockWait = lockWait;
        }
    }

    /** {@code cacheops.redis.*}: the Redis store. */
    public static class Redis {

        /** Redis URI (redis://[user:password@]host:port/db or rediss://); when absent, spring.data.redis.* is used, and the in-process store when that is absent too. */
        private String url;

        /** How long any call may wait on Redis before serving the database instead. */
        private Duration timeout = Duration.ofMillis(100);

        /** How long to wait for Redis to accept a connection, at start and on reconnects. */
        private Duration connectTimeout = Duration.ofSeconds(1);

        /** The most blocking connections reading threads use at once; a reader beyond it waits up to the timeout. */
        private int poolSize = 32;

        /** {@code cacheops.redis.ssl.*}: TLS to a rediss:// URI. */
        private final Ssl ssl = new Ssl();

        public Ssl getSsl() {
            return ssl;
        }

        public String getUrl() {
            return url;
        }

        public void setUrl(String url) {
            this.url = url;
        }

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        public Duration getConnectTimeout() {
            return connectTimeout;
        }

        public void setConnectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
        }

        public int getPoolSize() {
            return poolSize;
        }

        public void setPoolSize(int poolSize) {
            this.poolSize = poolSize;
        }
    }

    /** {@code cacheops.redis.ssl.*}: TLS to a {@code rediss://} URI. */
    public static class Ssl {

        /** PEM file of the CA certificate(s) that sign the Redis server's certificate, trusted instead of the JVM's trust store; the host name is always verified. */
        private String trustedCa;

        public String getTrustedCa() {
            return trustedCa;
        }

        public void setTrustedCa(String trustedCa) {
            this.trustedCa = trustedCa;
        }
    }

    public boolean isValidatePatterns() {
        return validatePatterns;
    }

    public void setValidatePatterns(boolean validatePatterns) {
        this.validatePatterns = validatePatterns;
    }

    /** The near cache: {@code cacheops.near-cache.*}. */
    public NearCache getNearCache() {
        return nearCache;
    }

    /** The PostgreSQL change stream: {@code cacheops.change-stream.*}. */
    public ChangeStream getChangeStream() {
        return changeStream;
    }

    /** {@code cacheops.near-cache.*}: results Redis validated, also kept in each instance's heap. */
    public static class NearCache {

        /** Memory bound of the near cache; 0 (default) for none. Needs consistency relaxed and Redis. */
        private DataSize maxBytes = DataSize.ofBytes(0);

        public DataSize getMaxBytes() {
            return maxBytes;
        }

        public void setMaxBytes(DataSize maxBytes) {
            this.maxBytes = maxBytes;
        }
    }

    /** {@code cacheops.change-stream.*}: invalidation of writes that bypass the wrappers (PostgreSQL). */
    public static class ChangeStream {

        /** PostgreSQL JDBC URL (with user and password) of a user allowed to replicate; unset for none. */
        private String url;

        /** Replication slot and publication name. */
        private String slot = "cacheops";

        /** A commit the stream handles later than this after it was made replaces the epoch; 0 for no bound. */
        private Duration maxLag = Duration.ofSeconds(60);

        /** Wrapped writes are invalidated by the stream only (no images; needs consistency relaxed). */
        private boolean leaveWritesToStream;

        public boolean isLeaveWritesToStream() {
            return leaveWritesToStream;
        }

        public void setLeaveWritesToStream(boolean leaveWritesToStream) {
            this.leaveWritesToStream = leaveWritesToStream;
        }

        public Duration getMaxLag() {
            return maxLag;
        }

        public void setMaxLag(Duration maxLag) {
            this.maxLag = maxLag;
        }

        public String getUrl() {
            return url;
        }

        public void setUrl(String url) {
            this.url = url;
        }

        public String getSlot() {
            return slot;
        }

        public void setSlot(String slot) {
            this.slot = slot;
        }
    }

    /** {@code cacheops.local.*}: the in-process store. */
    public static class Local {

        /** Memory bound of the in-process store. */
        private DataSize maxBytes = DataSize.ofMegabytes(64);

        public DataSize getMaxBytes() {
            return maxBytes;
        }

        public void setMaxBytes(DataSize maxBytes) {
            this.maxBytes = maxBytes;
        }
    }
}
