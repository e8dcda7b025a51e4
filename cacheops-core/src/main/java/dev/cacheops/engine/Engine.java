package dev.cacheops.engine;

import dev.cacheops.protocol.BoundTable;
import dev.cacheops.protocol.Canonical;
import dev.cacheops.protocol.Counters;
import dev.cacheops.protocol.StampProtocol;
import dev.cacheops.sql.StatementAnalyzer;
import dev.cacheops.sql.TableName;
import dev.cacheops.store.Keys;
import dev.cacheops.store.Store;
import dev.cacheops.store.TableInvalidation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;

/**
 * Everything one {@code Cacheops} instance shares between the data sources it wraps: settings,
 * the analyser, the profiles, the protocol and its store, the counters. Thread-safe.
 */
public final class Engine implements AutoCloseable {
    private final EngineSettings settings;
    private final Store store;
    private final StatementAnalyzer analyzer;
    private final Profiles profiles;
    private final Counters counters;
    private final StampProtocol protocol;
    private final StatsLog statsLog;
    /** The database of every wrapped data source, in wrapping order. */
    private final List<Database> wrapped = new CopyOnWriteArrayList<>();

    /** Builds the engine over a store; {@code settings} are already validated. */
    public Engine(EngineSettings settings, Store store, Keys keys) {
        this.settings = settings;
        this.store = store;
        this.analyzer = new StatementAnalyzer(settings.analyzer());
        this.profiles = new Profiles(settings.profiles());
        this.counters = new Counters(settings.listener());
        this.protocol = new StampProtocol(store, keys, settings.consistency(), settings.lockTtl().toMillis(), counters,
                settings.failureMode() == dev.cacheops.FailureMode.FAIL_WRITES, settings.nearCacheBytes());
        this.statsLog = settings.statsLogInterval() == null ? null
                : StatsLog.start(counters, settings.statsLogInterval());
    }

    /**
     * Registers a data source being wrapped: returns its {@link Database} (identity, catalog,
     * plans), which the engine also consults to resolve the tables and sample queries named
     * through {@code Cacheops}. Thread-safe.
     */
    public Database attach(DataSource dataSource) {
        Database db = new Database(this, dataSource);
        wrapped.add(db);
        return db;
    }

    /**
     * Invalidates what a row with these values invalidates, resolving the table through the
     * first wrapped data source that knows it.
     *
     * @throws IllegalArgumentException when no wrapped data source knows the table or a column
     */
    public void invalidateRow(String table, Map<String, ?> values) {
        TableInfo t = resolve(table);
        protocol.invalidateNow(List.of(new TableInvalidation(Keys.escape(t.canonical()), false,
                List.of(escaped(canonicalRow(t, values, true))))));
    }

    /**
     * Invalidates what writes outside the wrappers did, as a change stream reports them: row
     * images per table ({@code schema.table} as the database names it), by column name, values as
     * Java objects or their SQL text (columns left out make the schemes using them invalidated
     * whole), and tables changed as a whole. One invalidation for all of it, waited for. A table
     * no wrapped data source knows is skipped: no cached read can depend on it.
     *
     * @return the number of tables invalidated
     */
    public int invalidateChanges(Map<String, List<Map<String, ?>>> images, Set<String> wholeTables) {
        Map<String, TableInvalidation> out = new LinkedHashMap<>();
        for (String table : wholeTables) {
            known(table).ifPresent(t -> out.put(t.canonical(), TableInvalidation.wholeTable(Keys.escape(t.canonical()))));
        }
        images.forEach((table, rows) -> known(table).ifPresent(t -> {
            if (out.containsKey(t.canonical())) {
                return;
            }
            if (rows.size() > settings.bulkRows()) {
                // As for a wrapped write touching that many rows: one whole-table invalidation,
                // not one script call carrying every image (a streamed 1,000-row update, twice
                // the images, timed the script out at 2 s on a loaded machine).
                out.put(t.canonical(), TableInvalidation.wholeTable(Keys.escape(t.canonical())));
                return;
            }
            List<Map<String, String>> escaped = new ArrayList<>(rows.size());
            for (Map<String, ?> row : rows) {
                // A column the catalog does not know (added since) is left out: its schemes go whole.
                escaped.add(escaped(canonicalRow(t, row, false)));
            }
            out.put(t.canonical(), new TableInvalidation(Keys.escape(t.canonical()), false, escaped));
        }));
        protocol.invalidateNow(List.copyOf(out.values()));
        return out.size();
    }

    /**
     * Whether some wrapped data source has this table ({@code schema.table} or bare, resolved like
     * in SQL); empty when none could be asked (no data source wrapped, or the database is away).
     */
    public Optional<Boolean> tableExists(String table) {
        Objects.requireNonNull(table, "table");
        TableName name = tableName(table);
        boolean unknown = wrapped.isEmpty();
        for (Database db : wrapped) {
            Optional<Boolean> e = db.exists(name);
            if (e.isEmpty()) {
                unknown = true;
            } else if (e.get()) {
                return e;
            }
        }
        return unknown ? Optional.empty() : Optional.of(false);
    }

    /** Names profile patterns may use for tables (see {@code Cacheops.tableAliases}). */
    public void tableAliases(Map<String, String> aliases) {
        profiles.aliases(aliases);
        for (Database db : wrapped) {
            db.profilesChanged();
        }
    }

    /** {@code schema.table} or a bare name, as the API takes it. */
    private static TableName tableName(String table) {
        int dot = table.lastIndexOf('.');
        return dot < 0 ? TableName.of(table) : new TableName(table.substring(0, dot), table.substring(dot + 1));
    }

    private Optional<TableInfo> known(String table) {
        try {
            return Optional.of(resolve(table));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Column values of a table by stored column name, canonical (not escaped).
     *
     * @param strict whether a column the table does not have is an error (else it is left out)
     */
    private static Map<String, String> canonicalRow(TableInfo t, Map<String, ?> values, boolean strict) {
        Map<String, String> row = new HashMap<>();
        values.forEach((column, value) -> {
            TableInfo.Column c = t.column(column);
            if (c == null) {
                if (!strict) {
                    return;
                }
                throw new IllegalArgumentException("table " + t.canonical() + " has no column '" + column + "'");
            }
            String canonical = Canonical.of(c.kind(), value);
            if (canonical != null) {
                row.put(c.name(), canonical);
            }
        });
        return row;
    }

    /** A row image as the store takes it: names and values escaped for keys. */
    private static Map<String, String> escaped(Map<String, String> row) {
        Map<String, String> image = new HashMap<>();
        row.forEach((c, v) -> image.put(Keys.escape(c), Keys.escape(v)));
        return image;
    }

    /**
     * A function sample "every row of this table".
     *
     * @throws IllegalArgumentException when no wrapped data source knows the table
     */
    public BoundTable tableSample(String table) {
        return BoundTable.wholeTable(Keys.escape(resolve(table).canonical()));
    }

    /**
     * A function sample "rows with these values".
     *
     * @throws IllegalArgumentException when no wrapped data source knows the table or a column
     */
    public BoundTable rowSample(String table, Map<String, ?> values) {
        TableInfo t = resolve(table);
        return BoundTable.of(t.canonical(), List.of(canonicalRow(t, values, true)));
    }

    /**
     * A function sample "what this query reads", analysed once through the first wrapped data
     * source that can plan it as a cacheable read.
     *
     * @throws IllegalArgumentException when no wrapped data source can analyse it as such
     */
    public SampleQuery sampleQuery(String sql) {
        String why = "no data source is wrapped";
        for (Database db : wrapped) {
            Plan plan = db.plan(sql);
            if (plan instanceof Plan.Read r && r.blocked() == null) {
                return new SampleQuery(r, settings.analyzer().inListLimit());
            }
            why = plan instanceof Plan.Read r ? String.valueOf(r.blocked()) : plan.getClass().getSimpleName();
        }
        throw new IllegalArgumentException("sample query cannot be tracked (" + why + "): " + sql);
    }

    /**
     * Invalidates every cached result reading a table.
     *
     * @throws IllegalArgumentException when no wrapped data source knows the table
     */
    public void invalidateTable(String table) {
        TableInfo t = resolve(table);
        protocol.invalidateNow(List.of(TableInvalidation.wholeTable(Keys.escape(t.canonical()))));
    }

    private TableInfo resolve(String table) {
        Objects.requireNonNull(table, "table");
        TableName name = tableName(table);
        for (Database db : wrapped) {
            Optional<TableInfo> t = db.resolve(name);
            if (t.isPresent()) {
                return t.get();
            }
        }
        throw new IllegalArgumentException("no wrapped data source knows table '" + table + "'"
                + (wrapped.isEmpty() ? " (wrap a DataSource first)" : ""));
    }

    /** The settings the engine was built with. */
    public EngineSettings settings() {
        return settings;
    }

    /** The stamp protocol over the store, shared by every wrapped data source. */
    public StampProtocol protocol() {
        return protocol;
    }

    /** The statistics counters and listener dispatch. */
    public Counters counters() {
        return counters;
    }

    StatementAnalyzer analyzer() {
        return analyzer;
    }

    Profiles profiles() {
        return profiles;
    }

    /**
     * The profile that applies to a table (the most specific matching pattern), or {@code null}
     * when none matches.
     *
     * @param schema the table's schema as stored (may be null)
     * @param table  the table's name as stored
     */
    public dev.cacheops.Profile profile(String schema, String table) {
        return profiles.match(schema, table);
    }

    /** Closes the protocol and the store. */
    @Override
    public void close() {
        if (statsLog != null) {
            statsLog.close();
        }
        protocol.close();
        store.close();
    }
}
