package dev.cacheops;

import dev.cacheops.changes.ChangeStream;
import dev.cacheops.engine.Engine;
import dev.cacheops.engine.EngineSettings;
import dev.cacheops.engine.Explainer;
import dev.cacheops.engine.Scope;
import dev.cacheops.jdbc.CachingDataSource;
import dev.cacheops.sql.AnalyzerSettings;
import dev.cacheops.store.Keys;
import dev.cacheops.store.LocalStore;
import dev.cacheops.store.ClusterStore;
import dev.cacheops.store.RedisStore;
import dev.cacheops.store.Store;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Caches SQL query results and invalidates them granularly when the rows they depend on change.
 *
 * <pre>{@code
 * Cacheops cacheops = Cacheops.builder()
 *     .redis("redis://127.0.0.1:6379/1")
 *     .profile("post", Op.ALL, Duration.ofMinutes(15))
 *     .profile("*", EnumSet.of(Op.COUNT), Duration.ofMinutes(5))
 *     .build();
 * DataSource ds = cacheops.wrap(pooledDataSource);
 * }</pre>
 *
 * <p>Every statement that passes through a wrapped data source is analysed: reads that a profile
 * allows are served from the store, and every write invalidates exactly the cached results whose
 * conditions its old or new rows satisfy. See the README for the protocol and its guarantees.
 *
 * <p>Thread-safe. One instance per application (per store and prefix) is the normal use; several
 * instances sharing a store and prefix invalidate each other's results.
 */
public final class Cacheops implements AutoCloseable {
    private final Engine engine;
    /** The change stream consumer, or null when not configured. */
    private final ChangeStream changes;

    private Cacheops(Engine engine, ChangeStream changes) {
        this.engine = engine;
        this.changes = changes;
    }

    /** A builder with the defaults: in-process store, prefix {@code cacheops}, strict consistency. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Wraps a data source: connections from the returned one cache reads and invalidate on
     * writes. Wrap the pool (the wrapper keeps no connections of its own).
     */
    public DataSource wrap(DataSource dataSource) {
        return new CachingDataSource(engine, Objects.requireNonNull(dataSource, "dataSource"));
    }

    /**
     * Runs {@code body} with caching forced on for the reads it makes on this thread (tables still
     * need a profile, which gives the timeout), like cacheops' {@code .cache()}.
     */
    public <T> T cache(Supplier<T> body) {
        return Scope.with(new Scope(true, 0), body);
    }

    /** Like {@link #cache(Supplier)} with an explicit timeout. */
    public <T> T cache(Duration timeout, Supplier<T> body) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("cache timeout must be positive, was " + timeout);
        }
        return Scope.with(new Scope(true, timeout.toMillis()), body);
    }

    /** Runs {@code body} with caching off for the reads it makes on this thread. */
    public <T> T nocache(Supplier<T> body) {
        return Scope.with(new Scope(false, 0), body);
    }

    /**
     * Invalidates the cached results a row with these column values could belong to, as if it
     * had been written (for writes that bypass the wrapper: triggers, other applications).
     *
     * @param table        the table, resolved like in SQL through the first wrapped data source
     *                     that knows it
     * @param columnValues the row's values by column name; columns left out make the schemes that
     *                     use them invalidated as a whole
     * @throws IllegalArgumentException when no wrapped data source knows the table
     */
    public void invalidateRow(String table, Map<String, ?> columnValues) {
        engine.invalidateRow(table, columnValues);
    }

    /**
     * The profile that applies to a table: the most specific pattern matching it (an exact
     * {@code schema.table}, then the table name, then the longest {@code prefix*}, then
     * {@code *}), which may be a disabled one. Pure: asks neither the database nor the store.
     *
     * @param table {@code schema.table} as the database stores it, or a bare table name (then
     *              only patterns without a schema can match)
     * @return the profile, or empty when no pattern matches (the table's reads pass through)
     */
    public Optional<Profile> profileOf(String table) {
        Objects.requireNonNull(table, "table");
        int dot = table.lastIndexOf('.');
        return Optional.ofNullable(dot < 0 ? engine.profile(null, table)
                : engine.profile(table.substring(0, dot), table.substring(dot + 1)));
    }

    /**
     * Lets profile patterns name tables by other names, such as JPA entity names (the Spring Boot
     * starter registers them from the JPA metamodel): a pattern equal to an alias, ignoring case,
     * applies to the aliased table as if it named it. Replaces the aliases given before; statements
     * are planned again.
     *
     * @param aliases alias to table ({@code table} or {@code schema.table})
     */
    public void tableAliases(Map<String, String> aliases) {
        engine.tableAliases(Map.copyOf(aliases));
    }

    /**
     * Whether a wrapped data source has this table ({@code schema.table} or bare, resolved like in
     * SQL): for checking configured patterns. Empty when no data source is wrapped yet or none
     * could be asked.
     */
    public Optional<Boolean> tableExists(String table) {
        return engine.tableExists(table);
    }

    /** Invalidates every cached result that reads {@code table}. */
    public void invalidateTable(String table) {
        engine.invalidateTable(table);
    }

    /** Invalidates everything this instance's prefix holds (by replacing the epoch, never FLUSHDB). */
    public void invalidateAll() {
        engine.protocol().invalidateAll();
    }

    /**
     * Starts a cached function: results per argument combination, invalidated by time, like the
     * samples given, or like every query the function runs ({@code captureDependencies()}).
     *
     * @param name the function's identity in keys; the same name in another JVM shares entries
     * @param type the result type (for generic types use {@link #function(String, TypeRef)})
     */
    public <T> CachedFunction.Builder<T> function(String name, Class<T> type) {
        return new CachedFunction.Builder<>(engine, name, type);
    }

    /** {@link #function(String, Class)} for a generic result type. */
    public <T> CachedFunction.Builder<T> function(String name, TypeRef<T> type) {
        return new CachedFunction.Builder<>(engine, name, type.type());
    }

    /**
     * Caches one computation by time (cacheops' {@code @cached}): the value is recomputed after
     * {@code timeout}, or after {@link #invalidateAll()}.
     */
    public <T> T cached(String name, Duration timeout, Class<T> type, Supplier<T> body) {
        return function(name, type).timeout(timeout).build(body).get();
    }

    /**
     * Caches one computation and invalidates it like the queries it runs (captured
     * automatically on this thread), with the default timeout.
     */
    public <T> T cachedAs(String name, Class<T> type, Supplier<T> body) {
        return function(name, type).captureDependencies().build(body).get();
    }

    /**
     * Explains what this instance would do with a statement on a data source: the tables a read
     * depends on, their conditions, schemes and stamp keys, whether the profiles cache it and if
     * not why; for a write, what it would invalidate. Runs nothing but catalog queries on one
     * connection of {@code dataSource} (a plain, unwrapped one is fine), touches no store, and
     * does not wrap or remember the data source. Thread-safe.
     *
     * @param dataSource a data source of the database the statement is meant for
     * @param sql        the statement, with {@code ?} parameters if any
     * @param params     the parameter values in order (may be empty; missing ones narrow nothing)
     * @return the explanation
     * @throws SQLException when no connection can be had or the catalog cannot be read
     */
    public Explanation explain(DataSource dataSource, String sql, List<?> params) throws SQLException {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(sql, "sql");
        return new Explainer(engine).explain(dataSource, sql, new ArrayList<>(params));
    }

    /** The counters since this instance was built. */
    public CacheStats stats() {
        return engine.counters().snapshot();
    }

    /**
     * The counters per table since this instance was built, by canonical name
     * ({@code schema.table}), sorted. A read counts under the table whose profile applies to it
     * (the first table of its outermost {@code FROM}), an invalidation under the table
     * invalidated, a cached function under {@code function <name>}; stores and store errors are
     * counted in {@link #stats()} only. Tables never read through the cache are absent.
     */
    public Map<String, CacheStats> statsByTable() {
        return engine.counters().snapshotByTable();
    }

    /**
     * The counters of one table: {@code schema.table}, or a bare table name (then the sum of
     * every schema's table of that name); all zero when it has none.
     */
    public CacheStats stats(String table) {
        String wanted = table.toLowerCase(java.util.Locale.ROOT);
        CacheStats sum = new CacheStats(0, 0, 0, 0, 0, Map.of(), 0);
        for (Map.Entry<String, CacheStats> e : statsByTable().entrySet()) {
            String name = e.getKey().toLowerCase(java.util.Locale.ROOT);
            if (name.equals(wanted) || name.endsWith("." + wanted) && !wanted.contains(".")) {
                sum = sum.plus(e.getValue());
            }
        }
        return sum;
    }

    /**
     * The near cache's counters, or null when {@link Builder#nearCache(long)} is not set.
     */
    public NearCacheStats nearCacheStats() {
        dev.cacheops.protocol.NearCache n = engine.protocol().nearCache();
        return n == null ? null : new NearCacheStats(n.hits(), n.size(), n.weight(), n.keysChanged(), n.dropped(),
                n.flushes(), n.isWatching());
    }

    /**
     * Whether this instance consumes the change stream now ({@link Builder#changeStream}); of
     * the instances sharing a slot, one at a time does. False when none is configured.
     */
    public boolean consumingChangeStream() {
        return changes != null && changes.consuming();
    }

    /** Closes the store connection. Wrapped data sources then pass everything through. */
    @Override
    public void close() {
        if (changes != null) {
            changes.close();
        }
        engine.close();
    }

    /**
     * Configures a {@link Cacheops}. Not thread-safe; {@link #build()} validates everything and
     * fails with a message naming the setting and the value.
     */
    public static final class Builder {
        private String redisUri;
        private String prefix = "cacheops";
        private final List<Profile> profiles = new ArrayList<>();
        private Consistency consistency = Consistency.STRICT;
        private FailureMode failureMode = FailureMode.DEGRADE;
        private Duration redisTimeout = Duration.ofMillis(100);
        private Duration lockTimeout = Duration.ofSeconds(10);
        private Duration connectTimeout = Duration.ofSeconds(1);
        private int redisPoolSize = 32;
        private boolean clusterBlockingReads = true;
        private Path redisTrustedCa;
        private Duration defaultTimeout = Duration.ofHours(1);
        private int maxRows = 10_000;
        private long maxBytes = 8L * 1024 * 1024;
        private int bulkRows = 1_000;
        private int inListLimit = 16;
        private long localMaxBytes = 64L * 1024 * 1024;
        private final List<String> safeFunctions = new ArrayList<>();
        private CacheopsListener listener = new CacheopsListener() { };
        private boolean serveCommittedInRepeatableRead;
        private boolean rowsFromResults = true;
        private Duration statsLogInterval;
        private long nearCacheBytes;
        private String changeStreamUrl;
        private String changeStreamSlot;
        private Duration changeStreamMaxLag = Duration.ofSeconds(60);
        private boolean leaveWritesToStream;

        private Builder() {
        }

        /**
         * Use Redis at this URI: a Lettuce URI for one server ({@code redis://[user:password@]host:port/db},
         * {@code rediss://} for TLS, Sentinel and socket URIs), or a Redis Cluster,
         * {@code redis-cluster://[user:password@]host:port,host:port} ({@code rediss-cluster://}
         * for TLS), whose hosts are seeds: one that answers is enough.
         */
        public Builder redis(String uri) {
            this.redisUri = Objects.requireNonNull(uri, "uri");
            return this;
        }

        /**
         * Use a Redis Cluster, found through these seed nodes ({@code host:port}; one that answers
         * is enough). The same as {@link #redis(String)} with {@code redis-cluster://}; for TLS or
         * credentials in the URI give a {@code rediss-cluster://} URI there instead.
         *
         * @throws IllegalArgumentException when no seed is given
         */
        public Builder redisCluster(String... seedNodes) {
            if (seedNodes.length == 0) {
                throw new IllegalArgumentException("redisCluster needs at least one seed node host:port");
            }
            this.redisUri = "redis-cluster://" + String.join(",", seedNodes);
            return this;
        }

        /** Use the in-process store (the default): one JVM only. */
        public Builder inMemory() {
            this.redisUri = null;
            return this;
        }

        /** The key prefix, so applications can share a Redis; default {@code cacheops}. */
        public Builder prefix(String prefix) {
            this.prefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        /**
         * Caches {@code ops} automatically for tables matching {@code tablePattern}
         * ({@code table}, {@code schema.table}, {@code prefix_*}, {@code schema.*}, {@code *}) for
         * {@code timeout}. No ops: manual caching only.
         */
        public Builder profile(String tablePattern, Set<Op> ops, Duration timeout) {
            return profile(tablePattern, ops, timeout, null);
        }

        /**
         * {@link #profile(String, Set, Duration)} with a dog-pile lock: when many callers miss the
         * same result at once, one reads the database and the others wait for its result, at most
         * {@code lockWait}, then read the database themselves (cacheops' {@code lock=True}).
         */
        public Builder profile(String tablePattern, Set<Op> ops, Duration timeout, Duration lockWait) {
            profiles.add(new Profile(tablePattern, ops.isEmpty() ? EnumSet.noneOf(Op.class) : EnumSet.copyOf(ops),
                    timeout, false, lockWait));
            return this;
        }

        /** Never caches reads of matching tables, not even manually. */
        public Builder disable(String tablePattern) {
            profiles.add(new Profile(tablePattern, Set.of(), Duration.ZERO, true, null));
            return this;
        }

        /** {@link Consistency#STRICT} (default) or {@link Consistency#RELAXED}. */
        public Builder consistency(Consistency consistency) {
            this.consistency = Objects.requireNonNull(consistency, "consistency");
            return this;
        }

        /**
         * What a write does when its invalidation cannot be delivered: {@link FailureMode#DEGRADE}
         * (default) or {@link FailureMode#FAIL_WRITES} (needs {@link Consistency#STRICT}).
         */
        public Builder failureMode(FailureMode mode) {
            this.failureMode = Objects.requireNonNull(mode, "failureMode");
            return this;
        }

        /** How long any call may wait on Redis before it serves the database instead; default 100 ms. */
        public Builder redisTimeout(Duration timeout) {
            this.redisTimeout = timeout;
            return this;
        }

        /** How long to wait for Redis to accept a connection, at start and on reconnects; default 1 s. */
        public Builder redisConnectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /**
         * The most Redis connections reading threads use at once (on a cluster: per node); default
         * 32. Reads run on the calling thread over a pool of blocking connections; a reader beyond
         * the pool's size waits for a connection up to {@link #redisTimeout}, then reads the database.
         */
        public Builder redisPoolSize(int size) {
            this.redisPoolSize = size;
            return this;
        }

        /**
         * Package-private, for ClusterHitPathIT: with {@code false} the cluster hit read goes through
         * Lettuce as it did before the blocking path, so one run can measure both.
         */
        Builder clusterBlockingReads(boolean blocking) {
            this.clusterBlockingReads = blocking;
            return this;
        }

        /**
         * For a {@code rediss://} URI: the PEM file of the CA certificate(s) that sign the Redis
         * server's certificate, trusted instead of the JVM's default trust store (for a private CA).
         * The server's host name is always verified against its certificate. A certificate that
         * does not verify makes reads go to the database, with an error in the log naming TLS.
         */
        public Builder redisTrustedCa(Path pemFile) {
            this.redisTrustedCa = pemFile;
            return this;
        }

        /** How long a pre-commit lock marker lives if its writer dies; default 10 s. */
        public Builder lockTimeout(Duration timeout) {
            this.lockTimeout = timeout;
            return this;
        }

        /** Timeout of manual caching when neither the call nor a profile gives one; default 1 h. */
        public Builder defaultTimeout(Duration timeout) {
            this.defaultTimeout = timeout;
            return this;
        }

        /** Results with more rows pass through uncached; default 10,000. */
        public Builder maxRows(int rows) {
            this.maxRows = rows;
            return this;
        }

        /** Results larger than this (encoded) pass through uncached; default 8 MiB. */
        public Builder maxBytes(long bytes) {
            this.maxBytes = bytes;
            return this;
        }

        /** Writes touching more rows invalidate the whole table; default 1,000. */
        public Builder bulkRows(int rows) {
            this.bulkRows = rows;
            return this;
        }

        /** {@code IN} lists longer than this narrow nothing; default 16. */
        public Builder inListLimit(int values) {
            this.inListLimit = values;
            return this;
        }

        /** Memory bound of the in-process store; default 64 MiB. */
        public Builder localMaxBytes(long bytes) {
            this.localMaxBytes = bytes;
            return this;
        }

        /** Declares SQL functions deterministic and free of hidden table reads, so reads using them cache. */
        public Builder safeFunctions(String... names) {
            for (String n : names) {
                safeFunctions.add(n.toLowerCase(java.util.Locale.ROOT));
            }
            return this;
        }

        /**
         * Opt-in: serve cached results to reads inside {@code REPEATABLE READ} transactions that
         * have not written (default false: they pass through, reason {@code ISOLATION}).
         * {@code SERIALIZABLE} transactions always pass through.
         *
         * <p>What it weakens, as Hibernate's second-level cache does: a hit is the latest
         * committed result, not the transaction's snapshot, so two reads in one transaction may
         * see different commits (a non-repeatable read) and a hit may be newer than the
         * transaction's uncached reads (read skew). A miss reads the database and is <em>not</em>
         * stored, because the transaction's snapshot may already be older than the stamps.
         * Reads after the transaction's first write pass through as before.
         */
        public Builder serveCommittedInRepeatableRead(boolean serve) {
            this.serveCommittedInRepeatableRead = serve;
            return this;
        }

        /**
         * Whether the rows of a cached result of one table also answer this data source's lookups
         * of a row by its key (default true): once {@code select <columns> from t where id = ?} has
         * been read and cached here, a result of {@code select <those columns and more> from t
         * where ...} stores, for each of its rows (up to 100), the lookup of that row, so that an
         * ORM's find after a page load is a hit, as with an entity cache. Stored only where the
         * result itself is, in the same race-free way (docs/DESIGN.md §3, "Rows of a result");
         * the price is one more asynchronous round trip to the store per such result filled.
         */
        public Builder rowsFromResults(boolean derive) {
            this.rowsFromResults = derive;
            return this;
        }

        /**
         * Logs one INFO line (logger {@code dev.cacheops.stats}) every {@code interval} with that
         * interval's hits, misses, hit ratio, pass-throughs by reason and invalidations; null
         * (default) for none.
         */
        public Builder statsLogInterval(Duration interval) {
            this.statsLogInterval = interval;
            return this;
        }

        /**
         * Keeps results read from Redis in process too, up to about {@code maxBytes}, and serves
         * them without a round trip until Redis reports (client tracking, RESP3) that a stamp
         * they depend on changed: hits in microseconds, shared invalidation across instances. A
         * near hit is as fresh as the last report that arrived, so this needs
         * {@link Consistency#RELAXED} and a Redis store; the instance that writes still reads its
         * own writes. 0 (default) for none. See the README's "Near cache" section for the
         * window measured between instances.
         */
        public Builder nearCache(long maxBytes) {
            this.nearCacheBytes = maxBytes;
            return this;
        }

        /**
         * Also invalidates what writes that bypass the wrappers committed (psql, migrations,
         * other services, triggers), from PostgreSQL's logical replication stream: built-in
         * {@code pgoutput}, the database needs {@code wal_level = logical}. Every instance may
         * set it; one at a time consumes the slot. See the README's "Change stream" section.
         *
         * @param jdbcUrl a PostgreSQL JDBC URL of the database, as a user allowed to replicate
         *                ({@code REPLICATION} or superuser); the slot and a publication of the same
         *                name ({@code FOR ALL TABLES}) are created when missing
         * @param slot    the replication slot's name (letters, digits, underscores)
         */
        public Builder changeStream(String jdbcUrl, String slot) {
            this.changeStreamUrl = Objects.requireNonNull(jdbcUrl, "jdbcUrl");
            this.changeStreamSlot = Objects.requireNonNull(slot, "slot");
            return this;
        }

        /**
         * How far behind the change stream may be ({@link #changeStream}): a commit handled later
         * than this after it was made replaces the epoch (every instance reads the database
         * afresh) instead of leaving the writes of that lag unseen, and is logged at WARN; while
         * the consumer stays behind, at most once a second. Measured against the database
         * server's commit time, so clock skew between the hosts adds to it. Default 60 s.
         *
         * @param maxLag positive, or {@link Duration#ZERO} for no bound
         */
        public Builder changeStreamMaxLag(Duration maxLag) {
            if (maxLag == null || maxLag.isNegative()) {
                throw new IllegalArgumentException("changeStreamMaxLag must be zero (no bound) or positive, was "
                        + maxLag);
            }
            this.changeStreamMaxLag = maxLag;
            return this;
        }

        /**
         * Wrapped writes read no old row images and invalidate nothing themselves: the change
         * stream ({@link #changeStream}, required) invalidates them after their commit, as it does
         * writes that bypass the wrappers. A write then costs about what it costs without
         * Cacheops, but the writer, like everyone, may read its own committed write stale for the
         * stream's window; inside a transaction that has written, reads still go to the database.
         * Needs {@link Consistency#RELAXED}, whose promise this is. Default off.
         */
        public Builder leaveWritesToStream(boolean on) {
            this.leaveWritesToStream = on;
            return this;
        }

        /** Receives cache events. */
        public Builder listener(CacheopsListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * The settings so far, one {@code name=value} per setting, with any Redis password
         * replaced by {@code ***}; for logs and tests.
         */
        @Override
        public String toString() {
            String redis = redisUri == null ? "in-process" : redisUri.replaceAll("(?<=://)([^@/]*:)?[^@/]*@", "***@");
            return "store=" + redis + ", prefix=" + prefix + ", consistency=" + consistency
                    + ", failureMode=" + failureMode + ", redisTimeout=" + redisTimeout
                    + ", redisConnectTimeout=" + connectTimeout + ", redisPoolSize=" + redisPoolSize
                    + (redisTrustedCa == null ? "" : ", redisTrustedCa=" + redisTrustedCa)
                    + ", lockTimeout=" + lockTimeout
                    + ", defaultTimeout=" + defaultTimeout + ", maxRows=" + maxRows + ", maxBytes=" + maxBytes
                    + ", bulkRows=" + bulkRows + ", inListLimit=" + inListLimit + ", localMaxBytes=" + localMaxBytes
                    + ", safeFunctions=" + safeFunctions + ", serveCommittedInRepeatableRead="
                    + serveCommittedInRepeatableRead + ", statsLogInterval=" + statsLogInterval
                    + ", nearCache=" + nearCacheBytes + ", rowsFromResults=" + rowsFromResults
                    + (changeStreamSlot == null ? "" : ", changeStream=" + changeStreamSlot
                            + ", changeStreamMaxLag=" + changeStreamMaxLag
                            + (leaveWritesToStream ? ", leaveWritesToStream=true" : ""))
                    + ", profiles=" + profiles;
        }

        /**
         * Validates the settings and connects (to Redis in the background: an unreachable Redis
         * at start makes reads go to the database until it answers, it does not fail here).
         *
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public Cacheops build() {
            if (failureMode == FailureMode.FAIL_WRITES && consistency != Consistency.STRICT) {
                throw new IllegalArgumentException("failureMode FAIL_WRITES needs consistency STRICT, was " + consistency);
            }
            positive("redisTimeout", redisTimeout);
            positive("redisConnectTimeout", connectTimeout);
            positive("lockTimeout", lockTimeout);
            positive("defaultTimeout", defaultTimeout);
            atLeast("redisPoolSize", redisPoolSize, 1);
            if (statsLogInterval != null) {
                positive("statsLogInterval", statsLogInterval);
            }
            atLeast("maxRows", maxRows, 1);
            atLeast("bulkRows", bulkRows, 1);
            atLeast("inListLimit", inListLimit, 1);
            if (maxBytes < 1024) {
                throw new IllegalArgumentException("maxBytes must be at least 1024, was " + maxBytes);
            }
            if (localMaxBytes < 1024) {
                throw new IllegalArgumentException("localMaxBytes must be at least 1024, was " + localMaxBytes);
            }
            if (changeStreamUrl != null) {
                if (!changeStreamUrl.startsWith("jdbc:postgresql:")) {
                    throw new IllegalArgumentException("changeStream needs a jdbc:postgresql: URL, was '"
                            + changeStreamUrl.replaceAll("password=[^&]*", "password=***") + "'");
                }
                if (!changeStreamSlot.matches("[a-z0-9_]{1,63}")) {
                    throw new IllegalArgumentException("changeStream slot must be 1 to 63 lower-case letters, "
                            + "digits or underscores, was '" + changeStreamSlot + "'");
                }
                try {
                    Class.forName("org.postgresql.replication.PGReplicationStream");
                } catch (ClassNotFoundException e) {
                    throw new IllegalArgumentException("changeStream needs the PostgreSQL JDBC driver "
                            + "(org.postgresql:postgresql) on the class path", e);
                }
            }
            if (leaveWritesToStream && changeStreamUrl == null) {
                throw new IllegalArgumentException("leaveWritesToStream needs changeStream(url, slot): nothing else "
                        + "would invalidate the writes");
            }
            if (leaveWritesToStream && consistency != Consistency.RELAXED) {
                throw new IllegalArgumentException("leaveWritesToStream needs consistency RELAXED (a write is seen "
                        + "only after the stream's window), was " + consistency);
            }
            if (nearCacheBytes != 0) {
                if (nearCacheBytes < 1024) {
                    throw new IllegalArgumentException("nearCache must be 0 (none) or at least 1024 bytes, was "
                            + nearCacheBytes);
                }
                if (redisUri == null) {
                    throw new IllegalArgumentException("nearCache needs a Redis store (redis(...)): the in-process "
                            + "store is near already");
                }
                if (consistency != Consistency.RELAXED) {
                    throw new IllegalArgumentException("nearCache needs consistency RELAXED, was " + consistency
                            + ": a near hit asks no one, so another instance's commit is seen only once Redis' "
                            + "report of it arrives (strict mode promises it at once)");
                }
            }
            boolean cluster = redisUri != null && ClusterStore.isClusterUri(redisUri);
            if (cluster && nearCacheBytes != 0) {
                // Its reports come from client tracking or a channel the scripts publish on, both per
                // node; neither is wired for a cluster yet.
                throw new IllegalArgumentException("nearCache is not supported on Redis Cluster yet, was "
                        + nearCacheBytes + " bytes with '" + redisUri.replaceAll("(?<=://)[^@/]*@", "***@") + "'");
            }
            Keys keys;
            try {
                keys = cluster ? Keys.forCluster(prefix) : new Keys(prefix);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("prefix: " + e.getMessage() + ", was '" + prefix + "'", e);
            }
            AnalyzerSettings analyzer = new AnalyzerSettings(inListLimit, AnalyzerSettings.DEFAULTS.maxLength(),
                    AnalyzerSettings.DEFAULTS.maxDepth(), Set.copyOf(safeFunctions), Set.of());
            EngineSettings settings = new EngineSettings(profiles, consistency, lockTimeout, defaultTimeout,
                    maxRows, maxBytes, bulkRows, analyzer, 10_000, listener, failureMode,
                    serveCommittedInRepeatableRead, statsLogInterval, nearCacheBytes, leaveWritesToStream,
                    rowsFromResults);
            Store store;
            if (redisUri == null) {
                store = LocalStore.builder().keys(keys).maximumWeight(localMaxBytes).build();
            } else if (cluster) {
                ClusterStore redis;
                try {
                    redis = ClusterStore.builder(redisUri).keys(keys).commandTimeout(redisTimeout)
                            .connectTimeout(connectTimeout).poolSize(redisPoolSize)
                            .blockingReads(clusterBlockingReads).trustedCa(redisTrustedCa).build();
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("redis: " + e.getMessage() + ", was '" + redisUri + "'", e);
                }
                awaitConnection(redis::isConnected);
                store = redis;
            } else {
                RedisStore redis;
                try {
                    redis = RedisStore.builder(redisUri).keys(keys).commandTimeout(redisTimeout)
                            .connectTimeout(connectTimeout).poolSize(redisPoolSize).trustedCa(redisTrustedCa).build();
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("redis: " + e.getMessage() + ", was '" + redisUri + "'", e);
                }
                awaitConnection(redis::isConnected);
                store = redis;
            }
            Engine engine;
            try {
                engine = new Engine(settings, store, keys);
            } catch (RuntimeException e) {
                store.close();
                throw e;
            }
            ChangeStream changes = changeStreamUrl == null ? null
                    : new ChangeStream(engine, changeStreamUrl, changeStreamSlot, changeStreamSlot,
                            changeStreamMaxLag.isZero() ? null : changeStreamMaxLag);
            return new Cacheops(engine, changes);
        }

        /**
         * Gives a reachable Redis the connect timeout to answer, so the first reads are cached;
         * an unreachable one costs start-up that long and no more (the connection goes on being
         * retried in the background).
         */
        private void awaitConnection(java.util.function.BooleanSupplier connected) {
            long deadline = System.nanoTime() + connectTimeout.toNanos();
            while (!connected.getAsBoolean() && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        private static void positive(String name, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be a positive duration, was " + d);
            }
        }

        private static void atLeast(String name, long v, long min) {
            if (v < min) {
                throw new IllegalArgumentException(name + " must be at least " + min + ", was " + v);
            }
        }
    }
}
