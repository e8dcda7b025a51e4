package dev.cacheops.engine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.cacheops.Op;
import dev.cacheops.PassReason;
import dev.cacheops.Profile;
import dev.cacheops.protocol.BoundTable;
import dev.cacheops.protocol.LastFetch;
import dev.cacheops.protocol.Hashing;
import dev.cacheops.sql.Analysis;
import dev.cacheops.sql.Term;
import dev.cacheops.sql.TableName;
import dev.cacheops.sql.TableRead;
import dev.cacheops.sql.ValueRef;
import dev.cacheops.result.ResultSnapshot;
import dev.cacheops.store.Lookup;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * One wrapped data source's view of its database: its identity (part of every entry key), its
 * catalog, and its analysed statements. Thread-safe.
 */
public final class Database {
    /** Plans that depend on a table the catalog did not know are re-made after this long. */
    private static final long UNKNOWN_TABLE_RETRY_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** Version of the entry key; part of every key, so a change of format makes old entries miss. */
    /** Column sets per table past which reads depend on every column (a writer's work stays bounded). */
    static final int MAX_COLUMN_SETS = 32;
    private static final String KEY_FORMAT = "cacheops-entry-v3";

    private final Engine engine;
    /** The wrapped data source itself, for the fresh connections of {@link #resolve} and {@link #plan(String)}. */
    private final DataSource source;
    private final Cache<String, Plan> plans;
    /**
     * Lookups by entry hash, so a repeated read skips binding and key building. An entry hash
     * fixes the SQL and the parameters, hence the binding, for as long as the plan it was bound
     * with is current; the plan is kept beside the lookup and checked on use, so a schema change
     * (which replaces every plan) also retires every memoised lookup.
     */
    private final Cache<String, Bound> lookups;

    /**
     * A memoised lookup.
     *
     * @param last when it was last fetched, for {@link dev.cacheops.protocol.StampProtocol#fetch(Lookup, long,
     *             LastFetch)}: whether its stamps likely exist (DESIGN §3, "Own invalidations")
     */
    public record Bound(Plan.Read plan, Lookup lookup, LastFetch last) { }
    private volatile Catalog catalog;
    private volatile String identity;
    private final Set<PassReason> warned = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Distinct column sets planned per table (canonical name), at most {@link #MAX_COLUMN_SETS}. */
    private final java.util.Map<String, Set<List<String>>> columnSets = new ConcurrentHashMap<>();
    private volatile int defaultIsolation;
    private final RowTemplates rowTemplates = new RowTemplates();

    Database(Engine engine, DataSource source) {
        this.engine = engine;
        this.source = source;
        // Maintenance on the calling thread: handing it to the common pool cost a thread wake-up
        // (about a tenth of an in-process hit) every time a read buffer filled.
        this.plans = Caffeine.newBuilder()
                .executor(Runnable::run)
                .maximumSize(engine.settings().planCacheSize())
                .expireAfter(new Expiry<String, Plan>() {
                    @Override
                    public long expireAfterCreate(String sql, Plan plan, long now) {
                        return plan instanceof Plan.Read r && r.blocked() == PassReason.UNKNOWN_TABLE
                                ? UNKNOWN_TABLE_RETRY_NANOS : Long.MAX_VALUE;
                    }

                    @Override
                    public long expireAfterUpdate(String sql, Plan plan, long now, long current) {
                        return expireAfterCreate(sql, plan, now);
                    }

                    @Override
                    public long expireAfterRead(String sql, Plan plan, long now, long current) {
                        return current;
                    }
                })
                .build();
        // Four times the plans: a plan has one lookup per parameter set, and a lookup not found here
        // is bound again and fetched by the creating MULTI (a dozen commands) even when its entry is
        // in Redis. At 10,000 a Zipf read mix over 25,000 results (the OLTP suite) missed here on
        // 10.6% of reads, 2.6% being first reads; at 40,000 only those (docs/PERFORMANCE.md). About
        // 0.9 KB a lookup, so at most some 35 MB at the default plan cache size.
        this.lookups = Caffeine.newBuilder().executor(Runnable::run)
                .maximumSize(4L * engine.settings().planCacheSize()).build();
    }

    /**
     * Learns the database identity and catalog from the first connection. The identity is the
     * JDBC URL, user, catalog and search path: two databases never share an entry.
     */
    public void init(Connection raw) {
        if (identity != null) {
            return;
        }
        synchronized (this) {
            if (identity != null) {
                return;
            }
            try {
                load(raw);
            } catch (SQLException | RuntimeException e) {
                // Not ready: this connection passes reads through and treats writes as unknown;
                // the next connection tries again.
                org.slf4j.LoggerFactory.getLogger(Database.class)
                        .warn("cannot read the database identity; caching is off for this connection", e);
            }
        }
    }

    private void load(Connection raw) throws SQLException {
        Catalog c = Catalog.load(raw);
        DatabaseMetaData md = raw.getMetaData();
        catalog = c;
        defaultIsolation = raw.getTransactionIsolation();
        identity = String.join("\u0000", String.valueOf(md.getURL()), String.valueOf(md.getUserName()),
                String.valueOf(raw.getCatalog()), String.join(",", c.searchPath()));
    }

    /** True once identity and catalog are known. */
    public boolean ready() {
        return identity != null;
    }

    /** The isolation level connections start with (read once, at the first connection). */
    public int defaultIsolation() {
        return defaultIsolation;
    }

    String identity() {
        return identity;
    }

    Catalog catalog() {
        return catalog;
    }

    /** After DDL: forget the catalog and every plan (column attribution may have changed). */
    void schemaChanged() {
        catalog.clear();
        plans.invalidateAll();
        columnSets.clear();
        rowTemplates.clear();
    }

    /** The statement settings that are part of an entry key besides the SQL and the parameters. */
    public record KeyOptions(int maxRows, int resultSetType, int concurrency, int fetchDirection) { }

    /**
     * The entry hash of a read: everything that decides which rows come back, so two different
     * results never share a key.
     */
    public static String entryHash(Plan.Read plan, Params params, KeyOptions o) {
        Hashing.KeyBuilder k = new Hashing.KeyBuilder()
                .add(plan.statementDigest())
                .add(java.util.TimeZone.getDefault().getID());
        params.addTo(k);
        return k.add(o.maxRows()).add(o.resultSetType()).add(o.concurrency()).add(o.fetchDirection()).build();
    }

    /**
     * A cacheable read's whole result was just read after {@code miss} and its fill started: a
     * lookup of a row by key is remembered, and the rows of any result of its table are also
     * stored as the answers of the lookups remembered (DESIGN §3, "Rows of a result").
     */
    public void rowsRead(Plan.Read plan, Params params, KeyOptions options, ResultSnapshot result,
                         dev.cacheops.protocol.Attempt.Miss miss, long ttlMillis) {
        if (plan.rows() == null || !engine.settings().rowsFromResults() || !miss.fillable()
                || !engine.protocol().fillsDerived()) {
            return;
        }
        if (plan.rows().key() != null) {
            rowTemplates.learn(plan, params, options, result.columns());
        }
        java.util.Map<Lookup, byte[]> derived = rowTemplates.derive(this, plan, result);
        if (!derived.isEmpty()) {
            engine.protocol().fillDerived(miss, derived, ttlMillis);
        }
    }

    /**
     * The lookup of the entry {@code entryHash} of {@code plan}, memoised; bound to
     * {@code params} only when it is not known yet.
     */
    public Bound lookup(Plan.Read plan, String entryHash, Params params) {
        Bound b = lookups.getIfPresent(entryHash);
        if (b != null && b.plan() == plan) {
            return b;
        }
        List<BoundTable> tables = Binder.bind(plan, params, engine.settings().analyzer().inListLimit());
        Lookup l = engine.protocol().lookup(entryHash, tables);
        Bound fresh = new Bound(plan, l, new LastFetch());
        lookups.put(entryHash, fresh);
        return fresh;
    }

    /** Resolves a table through a fresh connection; empty when unknown or unreachable. */
    Optional<TableInfo> resolve(TableName name) {
        Catalog c = catalog;
        if (ready() && c != null) {
            // A table found before needs no connection: the change stream resolves every table of
            // every batch it invalidates, and under its own data source (no pool) each connection
            // is a new PostgreSQL backend.
            Optional<TableInfo> known = c.known(name);
            if (known.isPresent()) {
                return known;
            }
        }
        try (Connection raw = source.getConnection()) {
            init(raw);
            return ready() ? catalog().resolveForWrite(raw, name) : Optional.empty();
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    /** Whether the table exists here; empty when the database cannot be asked. */
    Optional<Boolean> exists(TableName name) {
        try (Connection raw = source.getConnection()) {
            init(raw);
            return ready() ? Optional.of(catalog().resolveForWrite(raw, name).isPresent()) : Optional.empty();
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    /** Profiles changed (aliases): plans decided their profile, so they are made again. */
    void profilesChanged() {
        plans.invalidateAll();
    }

    /** Plans a statement through a fresh connection; an Unknown plan when none can be had. */
    Plan plan(String sql) {
        try (Connection raw = source.getConnection()) {
            init(raw);
            return ready() ? plan(sql, raw) : new Plan.Unknown("database not ready", false);
        } catch (SQLException e) {
            return new Plan.Unknown(e.toString(), false);
        }
    }

    /**
     * Whether an INSERT must be run returning generated keys for the invalidation to know the
     * inserted rows: the table has generated columns or expression defaults.
     */
    public boolean wantsKeysForInsert(String sql, Connection raw) {
        if (!ready()) {
            return false;
        }
        Plan plan = plan(sql, raw);
        if (!(plan instanceof Plan.Write w) || w.analysis().kind() != Analysis.WriteKind.INSERT
                || w.analysis().wholeTable() != null || w.analysis().returnsRows()
                || w.analysis().tables().size() != 1) {
            return false;
        }
        return catalog.resolve(raw, w.analysis().tables().get(0), false)
                .map(t -> t.columns().values().stream().anyMatch(c -> c.generated() || c.defaultValue() == null))
                .orElse(false);
    }

    /**
     * A write execution on {@code raw}, the writer's own connection: works out what one execution
     * of {@code analysis} with these parameter sets invalidates.
     */
    public WriteExecution newWrite(Connection raw, Analysis.Write analysis, List<Params> rows) {
        return new WriteExecution(engine, this, raw, analysis, rows);
    }

    /**
     * The plan of a statement on {@code raw}, remembered per SQL string. Call only once
     * {@link #ready()}.
     */
    public Plan plan(String sql, Connection raw) {
        Plan p = plans.getIfPresent(sql);
        if (p == null) {
            p = make(sql, raw);
            plans.put(sql, p);
        }
        return p;
    }

    private Plan make(String sql, Connection raw) {
        Analysis a = engine.analyzer().analyze(sql, t -> catalog.columnNames(raw, t));
        if (a instanceof Analysis.Read r) {
            return planRead(r, raw, sql);
        }
        if (a instanceof Analysis.UncacheableRead) {
            return Plan.Read.blocked(PassReason.UNCACHEABLE);
        }
        if (a instanceof Analysis.Write w) {
            return new Plan.Write(w);
        }
        if (a instanceof Analysis.Neutral) {
            return new Plan.Neutral();
        }
        Analysis.NotUnderstood n = (Analysis.NotUnderstood) a;
        return new Plan.Unknown(n.reason(), n.mayWrite());
    }

    private Plan planRead(Analysis.Read r, Connection raw, String sql) {
        List<Plan.PlannedTable> tables = new ArrayList<>();
        Plan.PlannedTable first = null;
        Optional<TableInfo> firstInfo = catalog.resolve(raw, r.firstTable(), false);
        long ttl = 0;
        for (TableRead read : r.reads()) {
            Optional<TableInfo> info = catalog.resolve(raw, read.table(), false);
            if (info.isEmpty() || !info.get().cacheable()) {
                return Plan.Read.blocked(PassReason.UNKNOWN_TABLE);
            }
            TableInfo t = info.get();
            Profile profile = engine.profiles().match(t.schema(), t.name());
            if (profile != null && profile.disabled()) {
                // Carries the disabled table and whether the first table's profile would cache
                // the query, so the wrapper can say why an enabled query is never cached.
                return new Plan.Read(PassReason.DISABLED, r.op(), t.canonical(), enabledQuery(firstInfo, r.op()),
                        false, 0, List.of(), 0, null, null);
            }
            if (profile != null) {
                long ms = profile.timeout().toMillis();
                ttl = ttl == 0 ? ms : Math.min(ttl, ms);
            }
            List<List<Plan.PlannedTerm>> conjunctions = new ArrayList<>();
            for (List<Term> conj : read.dnf().conjunctions()) {
                List<Plan.PlannedTerm> terms = new ArrayList<>();
                for (Term term : conj) {
                    TableInfo.Column col = t.column(term.column());
                    if (col != null && col.kind() != dev.cacheops.protocol.ValueKind.INEXACT) {
                        terms.add(new Plan.PlannedTerm(col, term.value()));
                    }
                }
                conjunctions.add(terms);
            }
            Plan.PlannedTable planned = new Plan.PlannedTable(t, conjunctions, columnSet(t, r.columns(), conjunctions));
            tables.add(planned);
            if (firstInfo.isPresent() && firstInfo.get().canonical().equals(t.canonical())) {
                first = planned;
            }
        }
        if (first == null) {
            return Plan.Read.blocked(PassReason.UNKNOWN_TABLE);
        }
        TableInfo ft = first.table();
        Profile profile = engine.profiles().match(ft.schema(), ft.name());
        Op op = r.op() == Op.FETCH && fixesUniqueKey(first) ? Op.GET : r.op();
        boolean manual = profile != null;
        boolean auto = manual && profile.ops().contains(op);
        long lockWait = profile == null || profile.lockWait() == null ? 0 : profile.lockWait().toMillis();
        // Hashed once per statement: re-hashing the long identity and SQL text on every read was
        // a third of an in-process hit. Plans are made only once the identity is known.
        return new Plan.Read(null, op, ft.canonical(), auto, manual, ttl, tables, lockWait,
                Hashing.digest(KEY_FORMAT, identity, sql), tables.size() == 1 ? rows(r.rows(), first) : null);
    }

    /**
     * The catalog columns of a read of stored rows of one table, or null when one does not resolve
     * to a column of it exactly; its key only when that is a single-column unique key compared
     * exactly (DESIGN §3, "Rows of a result").
     */
    private static Plan.Rows rows(dev.cacheops.sql.RowShape shape, Plan.PlannedTable read) {
        // An explicit select list with every column in its set (a system column, a declared-safe
        // function) is no row read: nothing could match its set.
        if (shape == null || (shape.columns() != null) != (read.columnSet() != null)) {
            return null;
        }
        TableInfo t = read.table();
        List<TableInfo.Column> columns = null;
        if (shape.columns() != null) {
            columns = new ArrayList<>(shape.columns().size());
            for (String name : shape.columns()) {
                TableInfo.Column c = t.column(name);
                if (c == null) {
                    return null;
                }
                columns.add(c);
            }
        }
        TableInfo.Column key = shape.key() == null ? null : t.column(shape.key());
        if (key != null && (key.kind() == dev.cacheops.protocol.ValueKind.INEXACT
                || !t.uniqueKeys().contains(List.of(key.name())))) {
            key = null;
        }
        return new Plan.Rows(columns, key);
    }

    /**
     * The column set of one table of a read (DESIGN §3, "Column sets"): every column of the table
     * whose name matches, ignoring case, a name the statement references anywhere (more than it
     * uses when another table has a column of that name: never less), plus its condition
     * columns. {@code null} (every column) when the statement may depend on unnamed columns, or
     * once this data source has planned
     * {@link #MAX_COLUMN_SETS} distinct sets for the table, which bounds a writer's work per
     * table.
     */
    private List<String> columnSet(TableInfo t, Set<String> referenced, List<List<Plan.PlannedTerm>> conjunctions) {
        if (referenced == null) {
            return null;
        }
        Set<String> lower = new HashSet<>();
        for (String r : referenced) {
            lower.add(r.toLowerCase(java.util.Locale.ROOT));
        }
        java.util.TreeSet<String> set = new java.util.TreeSet<>();
        for (TableInfo.Column c : t.columns().values()) {
            if (lower.contains(c.name().toLowerCase(java.util.Locale.ROOT))) {
                set.add(c.name());
            }
        }
        for (List<Plan.PlannedTerm> conj : conjunctions) {
            for (Plan.PlannedTerm term : conj) {
                set.add(term.column().name());
            }
        }
        List<String> out = List.copyOf(set);
        Set<List<String>> known = columnSets.computeIfAbsent(t.canonical(), k -> ConcurrentHashMap.newKeySet());
        if (!known.contains(out)) {
            synchronized (known) {
                if (!known.contains(out) && known.size() >= MAX_COLUMN_SETS) {
                    return null;
                }
                known.add(out);
            }
        }
        return out;
    }

    private boolean enabledQuery(Optional<TableInfo> first, Op op) {
        if (first.isEmpty()) {
            return false;
        }
        Profile p = engine.profiles().match(first.get().schema(), first.get().name());
        return p != null && !p.disabled() && (p.ops().contains(op) || op == Op.FETCH && p.ops().contains(Op.GET));
    }

    /**
     * True the first time this data source passes a read through for {@code reason}, false after:
     * the wrapper warns once per data source and class of reads.
     */
    public boolean firstPassOf(PassReason reason) {
        return warned.add(reason);
    }

    /** The database URL as its driver reports it, for log lines; {@code ?} before the first connection. */
    public String describe() {
        String id = identity;
        return id == null ? "?" : id.substring(0, Math.max(0, id.indexOf('\u0000')));
    }

    /** True when every conjunction fixes all columns of some unique key to a single value. */
    private static boolean fixesUniqueKey(Plan.PlannedTable t) {
        if (t.table().uniqueKeys().isEmpty()) {
            return false;
        }
        for (List<Plan.PlannedTerm> conj : t.conjunctions()) {
            Set<String> fixed = new HashSet<>();
            for (Plan.PlannedTerm term : conj) {
                boolean single = term.value() instanceof ValueRef.Parameter
                        || term.value() instanceof ValueRef.Literal l && l.type() != ValueRef.LiteralType.NULL;
                if (single) {
                    fixed.add(term.column().name());
                }
            }
            if (t.table().uniqueKeys().stream().noneMatch(fixed::containsAll)) {
                return false;
            }
        }
        return true;
    }
}
