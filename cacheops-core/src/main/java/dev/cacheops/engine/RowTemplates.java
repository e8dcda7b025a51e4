package dev.cacheops.engine;

import dev.cacheops.result.ColumnMeta;
import dev.cacheops.result.ResultCodec;
import dev.cacheops.result.ResultSnapshot;
import dev.cacheops.store.Lookup;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lookups of a row by its key, learned from the reads that ran them, so that the rows of other
 * results of the same table can be stored as their answers (DESIGN §3, "Rows of a result"): an
 * ORM loads a page of entities with one query and then each entity by id with another, and the
 * second would otherwise miss once per row. Thread-safe.
 */
final class RowTemplates {
    /** Lookup shapes kept per table: an application has a few per entity (find, lock, refresh). */
    private static final int PER_TABLE = 8;
    /** Rows of one result stored as lookups at most: a page, not a report. */
    static final int MAX_ROWS = 100;

    private final Map<String, Map<String, Template>> byTable = new ConcurrentHashMap<>();

    /**
     * A learned lookup: everything its entry key and result need besides the key value.
     *
     * @param plan      the lookup's plan ({@link Plan.Rows#key()} set)
     * @param sqlType   the SQL type its parameter was set with, or {@link Integer#MIN_VALUE}
     * @param valueType the class of the parameter's value
     * @param options   the statement settings that are part of the key
     * @param metas     the metadata of its result
     */
    record Template(Plan.Read plan, int sqlType, Class<?> valueType, Database.KeyOptions options,
                    List<ColumnMeta> metas) { }

    /** Remembers a lookup by key that has just been read and stored. */
    void learn(Plan.Read plan, Params params, Database.KeyOptions options, List<ColumnMeta> metas) {
        Params.Param p = params.get(1);
        if (plan.rows() == null || plan.rows().key() == null || p == null || p.value() == null
                || params.get(2) != null || convert(p.value(), p.value().getClass()) == null) {
            return;
        }
        Map<String, Template> known = byTable.computeIfAbsent(table(plan), t -> new ConcurrentHashMap<>());
        String id = new String(plan.statementDigest(), StandardCharsets.ISO_8859_1);
        Template old = known.get(id);
        if (old != null ? old.plan() == plan && old.sqlType() == p.sqlType() && old.valueType() == p.value().getClass()
                && old.options().equals(options) : known.size() >= PER_TABLE) {
            return; // known as it is (every miss of a lookup comes here), or enough known
        }
        known.put(id, new Template(plan, p.sqlType(), p.value().getClass(), options, List.copyOf(metas)));
    }

    /** Forgets every lookup (the schema changed). */
    void clear() {
        byTable.clear();
    }

    /**
     * The entries that the rows of {@code result}, read by {@code source}, give the learned lookups
     * of its table: per lookup whose columns and key the source returns, whose column set is the
     * source's, and whose metadata matches the source's columns, one entry per row. Empty when
     * there are none, or more than {@link #MAX_ROWS} rows.
     */
    Map<Lookup, byte[]> derive(Database db, Plan.Read source, ResultSnapshot result) {
        Plan.Rows rows = source.rows();
        if (rows == null || source.tables().size() != 1 || result.rowCount() == 0 || result.rowCount() > MAX_ROWS) {
            return Map.of();
        }
        Map<String, Template> known = byTable.get(table(source));
        if (known == null) {
            return Map.of();
        }
        Map<Lookup, byte[]> out = new LinkedHashMap<>();
        for (Template t : known.values()) {
            if (Arrays.equals(t.plan().statementDigest(), source.statementDigest())) {
                continue;
            }
            int[] columns = columnsOf(t, source, result.columns());
            int keyAt = columns == null ? -1 : keyAt(t, source, result.columns());
            if (keyAt < 0) {
                continue;
            }
            for (int r = 0; r < result.rowCount(); r++) {
                Object key = convert(result.valueAt(r, keyAt), t.valueType());
                if (key == null) {
                    continue;
                }
                Params params = new Params();
                if (t.sqlType() == Integer.MIN_VALUE) {
                    params.set(1, key, (ps, i) -> ps.setObject(i, key));
                } else {
                    params.set(1, key, t.sqlType(), (ps, i) -> ps.setObject(i, key, t.sqlType()));
                }
                String hash = Database.entryHash(t.plan(), params, t.options());
                Lookup lookup = db.lookup(t.plan(), hash, params).lookup();
                out.put(lookup, ResultCodec.encode(result.row(r, columns, t.metas())));
            }
        }
        return out;
    }

    /**
     * Where each column of the lookup is in the source's result, or null when the source cannot
     * answer it: a column or its key missing, a column set other than the lookup's, or metadata
     * that differs other than by label (the lookup's own result would not be the same bytes).
     * Equal sets, because the first write after the source's query that changes a column of
     * either must touch the stamps of both (DESIGN §3, "Rows of a result").
     */
    private static int[] columnsOf(Template t, Plan.Read source, List<ColumnMeta> sourceMetas) {
        if (!Objects.equals(source.tables().get(0).columnSet(), t.plan().tables().get(0).columnSet())) {
            return null;
        }
        List<TableInfo.Column> have = source.rows().columns();
        List<TableInfo.Column> want = t.plan().rows().columns();
        int[] at;
        if (want == null || have == null) {
            // Both `*`: the same columns in the same order, which the metadata confirms.
            if (want != null || have != null || sourceMetas.size() != t.metas().size()) {
                return null;
            }
            at = new int[sourceMetas.size()];
            for (int i = 0; i < at.length; i++) {
                at[i] = i;
            }
        } else {
            at = new int[want.size()];
            for (int i = 0; i < at.length; i++) {
                at[i] = have.indexOf(want.get(i));
            }
        }
        for (int i = 0; i < at.length; i++) {
            if (at[i] < 0 || !sameColumn(sourceMetas.get(at[i]), t.metas().get(i))) {
                return null;
            }
        }
        return at;
    }

    /**
     * Where the lookup's key is in the source's result: by catalog column, or for {@code *} by the
     * column name the driver reports (only when exactly one column has it); -1 when absent.
     */
    private static int keyAt(Template t, Plan.Read source, List<ColumnMeta> sourceMetas) {
        TableInfo.Column key = t.plan().rows().key();
        if (source.rows().columns() != null) {
            return source.rows().columns().indexOf(key);
        }
        int found = -1;
        for (int i = 0; i < sourceMetas.size(); i++) {
            if (key.name().equalsIgnoreCase(sourceMetas.get(i).name())) {
                if (found >= 0) {
                    return -1;
                }
                found = i;
            }
        }
        return found;
    }

    private static boolean sameColumn(ColumnMeta a, ColumnMeta b) {
        return a.equals(new ColumnMeta(a.label(), b.name(), b.type(), b.typeName(), b.className(), b.precision(),
                b.scale(), b.nullable(), b.signed(), b.autoIncrement(), b.caseSensitive(), b.searchable(),
                b.currency(), b.displaySize(), b.readOnly(), b.writable(), b.definitelyWritable(), b.tableName(),
                b.schemaName(), b.catalogName()));
    }

    /**
     * {@code value} as an instance of {@code type} when that is exactly the same value (an
     * {@code int4} key read as {@link Integer} and bound by the application as {@link Long}),
     * else null: a key bound some other way would hash differently, and a guess is never stored.
     */
    static Object convert(Object value, Class<?> type) {
        if (value == null) {
            return null;
        }
        if (type == String.class || type == java.util.UUID.class) {
            return type.isInstance(value) ? value : null;
        }
        if (!(value instanceof Long || value instanceof Integer || value instanceof Short)) {
            return null;
        }
        long v = ((Number) value).longValue();
        if (type == Long.class) {
            return v;
        }
        if (type == Integer.class && v == (int) v) {
            return (int) v;
        }
        if (type == Short.class && v == (short) v) {
            return (short) v;
        }
        return null;
    }

    private static String table(Plan.Read plan) {
        return plan.tables().get(0).table().canonical();
    }
}
