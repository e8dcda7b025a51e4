package dev.cacheops.jdbc;

import dev.cacheops.protocol.Canonical;
import dev.cacheops.sql.Analysis;
import dev.cacheops.sql.TableName;
import dev.cacheops.sql.ValueRef;
import dev.cacheops.store.Keys;
import dev.cacheops.store.TableInvalidation;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Works out what one execution of a write invalidates (DESIGN §4): the old row images read
 * {@code FOR UPDATE} before the write, in its transaction; the new images from the statement's
 * values, generated keys, column defaults, or re-read after the write; cascading foreign keys.
 * Whatever it cannot know exactly becomes a whole-table (or whole-scheme) invalidation.
 *
 * <p>Use: {@link #before()} before executing the statement, {@link #after} once it has run.
 * Not thread-safe; one per execution.
 */
final class WriteExecution {
    private final Engine engine;
    private final Database db;
    private final Connection raw;
    private final Analysis.Write write;
    private final List<Params> rows;
    private final List<TableInvalidation> out = new ArrayList<>();
    private TableInfo target;
    private Set<String> imageColumns;
    private List<Map<String, Object>> oldImages;
    private boolean whole;
    private boolean everything;

    /**
     * @param rows the parameter sets the statement runs with (one per batch entry; one empty set
     *             for a plain statement)
     */
    WriteExecution(Engine engine, Database db, Connection raw, Analysis.Write write, List<Params> rows) {
        this.engine = engine;
        this.db = db;
        this.raw = raw;
        this.write = write;
        this.rows = rows;
    }

    /** True when something may have to be read inside the write's transaction. */
    boolean needsImages() throws SQLException {
        resolve();
        return !whole && !everything && target != null && oldImagesNeeded();
    }

    /**
     * True when the invalidations are known before the statement runs (whole tables), so a
     * strict lock can be taken without wrapping an auto-commit write in a transaction.
     */
    boolean knownBefore() throws SQLException {
        resolve();
        return whole || everything || target == null;
    }

    /** True when the statement's generated keys are needed to know the inserted rows. */
    boolean wantsGeneratedKeys() throws SQLException {
        resolve();
        return write.kind() == Analysis.WriteKind.INSERT && target != null && !whole && !everything;
    }

    /**
     * Called after a statement whose invalidations were computed before it ran: DDL must drop
     * what the catalog knew only once the schema has really changed.
     */
    void executed() {
        if (write.kind() == Analysis.WriteKind.DDL) {
            db.schemaChanged();
        }
    }

    /** Reads the old images. Call inside the write's transaction, before executing it. */
    void before() throws SQLException {
        resolve();
        if (whole || everything || target == null || !oldImagesNeeded()) {
            return;
        }
        oldImages = new ArrayList<>();
        if (write.kind() == Analysis.WriteKind.UPSERT) {
            readUpsertImages(oldImages);
        } else {
            for (Params p : rows) {
                readImages(p, oldImages);
                if (oldImages.size() > engine.settings().bulkRows()) {
                    break;
                }
            }
        }
        if (oldImages.size() > engine.settings().bulkRows()) {
            whole = true;
        }
    }

    /**
     * The invalidations, once the statement has run.
     *
     * @param generated the generated-key rows, by column label, or an empty list
     * @return the invalidations, or {@code null} when everything must be invalidated (a table the
     *         catalog could not be asked about)
     */
    List<TableInvalidation> after(List<Map<String, Object>> generated) throws SQLException {
        resolve();
        if (everything) {
            return null;
        }
        if (write.kind() == Analysis.WriteKind.DDL) {
            db.schemaChanged();
        }
        if (target == null && !whole) {
            return out; // no such table: nothing cached can depend on it
        }
        if (whole) {
            for (TableName t : write.tables()) {
                Optional<TableInfo> info = safeResolve(t);
                if (info == null) {
                    return null;
                }
                info.ifPresent(i -> wholeTableWithChildren(i, new LinkedHashSet<>()));
            }
            return out;
        }
        List<Map<String, Object>> images = new ArrayList<>();
        switch (write.kind()) {
            case INSERT -> insertImages(generated, images);
            case UPDATE -> {
                images.addAll(oldImages);
                updatedImages(images);
            }
            case DELETE -> images.addAll(oldImages);
            case UPSERT -> {
                images.addAll(oldImages);
                readUpsertImages(images);
            }
            default -> {
                wholeTableWithChildren(target, new LinkedHashSet<>());
                return out;
            }
        }
        if (images.size() > engine.settings().bulkRows()) {
            wholeTableWithChildren(target, new LinkedHashSet<>());
            return out;
        }
        out.add(new TableInvalidation(Keys.escape(target.canonical()), false, canonicalImages(target, images)));
        cascade(images);
        return out;
    }

    private void resolve() throws SQLException {
        if (target != null || whole || everything) {
            return;
        }
        if (write.wholeTable() != null || write.kind() == Analysis.WriteKind.TRUNCATE
                || write.kind() == Analysis.WriteKind.DDL || write.tables().size() != 1) {
            whole = true;
            return;
        }
        Optional<TableInfo> info = safeResolve(write.tables().get(0));
        if (info == null) {
            everything = true;
            return;
        }
        target = info.orElse(null);
        if (target == null) {
            return;
        }
        imageColumns = imageColumns(target);
        if (imageColumns.isEmpty()) {
            // No cached result reads this table by any column: a whole-table invalidation costs
            // nothing and needs no images.
            whole = true;
        }
    }

    /** null on a catalog failure; empty when the table does not exist. */
    private Optional<TableInfo> safeResolve(TableName t) {
        try {
            return db.catalog().resolveForWrite(raw, t);
        } catch (SQLException e) {
            return null;
        }
    }

    /** The columns an image needs: the known schemes' columns, the key, cascade-referenced columns. */
    private Set<String> imageColumns(TableInfo t) {
        Set<String> schemeColumns = new LinkedHashSet<>();
        for (String scheme : engine.protocol().schemes(Keys.escape(t.canonical()))) {
            if (scheme.isEmpty()) {
                continue;
            }
            for (String c : scheme.split(",")) {
                schemeColumns.add(c);
            }
        }
        Set<String> cols = new LinkedHashSet<>();
        for (TableInfo.Column c : t.columns().values()) {
            if (schemeColumns.contains(Keys.escape(c.name()))) {
                cols.add(c.name());
            }
        }
        boolean cascades = !t.children().isEmpty();
        if (cols.isEmpty() && !cascades) {
            return cols;
        }
        cols.addAll(t.primaryKey());
        for (TableInfo.ChildKey k : t.children()) {
            cols.addAll(k.parentColumns());
        }
        return cols;
    }

    private boolean oldImagesNeeded() {
        return write.kind() == Analysis.WriteKind.UPDATE || write.kind() == Analysis.WriteKind.DELETE
                || write.kind() == Analysis.WriteKind.UPSERT;
    }

    private String quote(String identifier) throws SQLException {
        String q = raw.getMetaData().getIdentifierQuoteString();
        if (q == null || q.isBlank()) {
            return identifier;
        }
        q = q.trim();
        return q + identifier.replace(q, q + q) + q;
    }

    private String selectList() throws SQLException {
        StringBuilder b = new StringBuilder();
        for (String c : imageColumns) {
            b.append(b.length() == 0 ? "" : ", ").append(quote(c));
        }
        return b.toString();
    }

    private String forUpdate() {
        return " for update";
    }

    private void readImages(Params p, List<Map<String, Object>> into) throws SQLException {
        String sql = "select " + selectList() + " from " + write.targetSql()
                + (write.whereSql() == null ? "" : " where " + write.whereSql()) + forUpdate();
        try (PreparedStatement ps = raw.prepareStatement(sql)) {
            p.bindTo(ps, write.whereParameters());
            ps.setMaxRows(engine.settings().bulkRows() + 1);
            try (ResultSet rs = ps.executeQuery()) {
                readRows(rs, into);
            }
        }
    }

    private void readRows(ResultSet rs, List<Map<String, Object>> into) throws SQLException {
        int n = rs.getMetaData().getColumnCount();
        List<String> names = new ArrayList<>(imageColumns);
        while (rs.next()) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 1; i <= n; i++) {
                row.put(names.get(i - 1), rs.getObject(i));
            }
            into.add(row);
        }
    }

    /** New images of an UPDATE: old images with the assignments applied, or re-read by key. */
    private void updatedImages(List<Map<String, Object>> images) throws SQLException {
        int count = images.size();
        boolean reread = false;
        List<Map<String, Object>> updated = new ArrayList<>();
        for (int r = 0; r < count; r++) {
            Map<String, Object> image = new LinkedHashMap<>(images.get(r));
            Params p = rows.size() == 1 ? rows.get(0) : null;
            for (Map.Entry<String, ValueRef> a : write.assignments().entrySet()) {
                TableInfo.Column col = target.column(a.getKey());
                if (col == null || !imageColumns.contains(col.name())) {
                    continue;
                }
                Object v = valueOf(a.getValue(), col, p);
                if (v == UNKNOWN) {
                    image.remove(col.name());
                    reread = true;
                } else {
                    image.put(col.name(), v);
                }
            }
            updated.add(image);
        }
        if (rows.size() > 1) {
            // Batched updates: each batch entry has its own values; re-read is the simple truth.
            reread = true;
        }
        if (reread && !target.primaryKey().isEmpty() && !assignsKey()) {
            List<Map<String, Object>> fresh = new ArrayList<>();
            rereadByKey(images.subList(0, count), fresh);
            images.addAll(fresh);
        } else {
            images.addAll(updated);
        }
    }

    private boolean assignsKey() {
        for (String c : write.assignments().keySet()) {
            TableInfo.Column col = target.column(c);
            if (col == null || target.primaryKey().contains(col.name())) {
                return true;
            }
        }
        return false;
    }

    private void rereadByKey(List<Map<String, Object>> keys, List<Map<String, Object>> into) throws SQLException {
        List<String> pk = target.primaryKey();
        StringBuilder cond = new StringBuilder();
        for (String c : pk) {
            cond.append(cond.length() == 0 ? "" : " and ").append(quote(c)).append(" = ?");
        }
        String sql = "select " + selectList() + " from " + quote(target.name()) + " where " + cond;
        if (target.schema() != null && !target.schema().isEmpty()) {
            sql = "select " + selectList() + " from " + quote(target.schema()) + "." + quote(target.name())
                    + " where " + cond;
        }
        try (PreparedStatement ps = raw.prepareStatement(sql)) {
            for (Map<String, Object> k : keys) {
                for (int i = 0; i < pk.size(); i++) {
                    ps.setObject(i + 1, k.get(pk.get(i)));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    readRows(rs, into);
                }
            }
        }
    }

    /** Marks a value the statement does not reveal. */
    private static final Object UNKNOWN = new Object();

    /** A value written by the statement, as a Java object (canonicalised later), or UNKNOWN. */
    private Object valueOf(ValueRef ref, TableInfo.Column col, Params p) {
        if (ref instanceof ValueRef.Literal lit) {
            return lit.type() == ValueRef.LiteralType.NULL ? null : new LiteralValue(lit);
        }
        if (ref instanceof ValueRef.Parameter param && p != null) {
            Params.Param v = p.get(param.index());
            return v == null || !v.keyable() ? UNKNOWN : v.value();
        }
        if (ref instanceof ValueRef.Default) {
            return defaultOf(col);
        }
        return UNKNOWN;
    }

    private static Object defaultOf(TableInfo.Column col) {
        if (col.generated() || col.defaultValue() == null) {
            return UNKNOWN;
        }
        if (col.defaultValue().equals(TableInfo.Column.NO_DEFAULT) || col.defaultValue().equals(Canonical.NULL)) {
            return null;
        }
        return new CanonicalValue(col.defaultValue());
    }

    /** A literal, canonicalised by the column's kind when the image is built. */
    private record LiteralValue(ValueRef.Literal literal) { }

    /** A value already in canonical form (a column default). */
    private record CanonicalValue(String canonical) { }

    private void insertImages(List<Map<String, Object>> generated, List<Map<String, Object>> into) {
        List<TableInfo.Column> cols = new ArrayList<>();
        if (write.columns() == null) {
            cols.addAll(target.columns().values());
        } else {
            for (String c : write.columns()) {
                TableInfo.Column col = target.column(c);
                cols.add(col); // null: a column the catalog does not know; its value is skipped
            }
        }
        List<Map<String, Object>> images = new ArrayList<>();
        for (Params p : rows) {
            for (List<ValueRef> values : write.rows()) {
                Map<String, Object> image = new LinkedHashMap<>();
                for (TableInfo.Column c : target.columns().values()) {
                    if (!cols.contains(c)) {
                        Object d = defaultOf(c);
                        if (d != UNKNOWN) {
                            image.put(c.name(), d);
                        }
                    }
                }
                for (int i = 0; i < Math.min(cols.size(), values.size()); i++) {
                    TableInfo.Column c = cols.get(i);
                    if (c == null) {
                        continue;
                    }
                    Object v = valueOf(values.get(i), c, p);
                    if (v != UNKNOWN) {
                        image.put(c.name(), v);
                    }
                }
                images.add(image);
            }
        }
        // Generated keys come back one row per inserted row, in order.
        if (generated.size() == images.size()) {
            for (int i = 0; i < images.size(); i++) {
                for (Map.Entry<String, Object> e : generated.get(i).entrySet()) {
                    TableInfo.Column c = target.column(e.getKey().toLowerCase(Locale.ROOT));
                    if (c == null) {
                        c = target.column(e.getKey());
                    }
                    if (c != null) {
                        images.get(i).put(c.name(), e.getValue());
                    }
                }
            }
        }
        into.addAll(images);
    }

    private void readUpsertImages(List<Map<String, Object>> into) throws SQLException {
        List<String> key = conflictKey();
        if (key == null) {
            whole = true;
            return;
        }
        List<TableInfo.Column> cols = new ArrayList<>();
        if (write.columns() == null) {
            cols.addAll(target.columns().values());
        } else {
            for (String c : write.columns()) {
                cols.add(target.column(c));
            }
        }
        StringBuilder cond = new StringBuilder();
        for (String k : key) {
            cond.append(cond.length() == 0 ? "" : " and ").append(quote(k)).append(" = ?");
        }
        String table = (target.schema() == null || target.schema().isEmpty() ? "" : quote(target.schema()) + ".")
                + quote(target.name());
        String sql = "select " + selectList() + " from " + table + " where " + cond + forUpdate();
        try (PreparedStatement ps = raw.prepareStatement(sql)) {
            for (Params p : rows) {
                for (List<ValueRef> values : write.rows()) {
                    int bound = 0;
                    for (String k : key) {
                        int at = cols.indexOf(target.column(k));
                        Object v = at < 0 || at >= values.size() ? UNKNOWN : valueOf(values.get(at), target.column(k), p);
                        if (v == UNKNOWN || v == null || v instanceof CanonicalValue) {
                            whole = true;
                            return;
                        }
                        ps.setObject(++bound, v instanceof LiteralValue l ? l.literal().text() : v);
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        readRows(rs, into);
                    }
                }
            }
        }
    }

    private List<String> conflictKey() {
        if (!write.conflictColumns().isEmpty()) {
            List<String> key = new ArrayList<>();
            for (String c : write.conflictColumns()) {
                TableInfo.Column col = target.column(c);
                if (col == null) {
                    return null;
                }
                key.add(col.name());
            }
            return key;
        }
        // Without a conflict target any unique key may conflict: only safe with exactly one.
        return target.uniqueKeys().size() == 1 ? target.uniqueKeys().get(0) : null;
    }

    /** Escaped canonical images; a column whose value cannot be canonicalised is left out. */
    private static List<Map<String, String>> canonicalImages(TableInfo t, List<Map<String, Object>> images) {
        List<Map<String, String>> out = new ArrayList<>(images.size());
        for (Map<String, Object> image : images) {
            Map<String, String> m = new HashMap<>();
            image.forEach((c, v) -> {
                TableInfo.Column col = t.columns().get(c);
                if (col == null) {
                    return;
                }
                String canonical = canonical(col, v);
                if (canonical != null) {
                    m.put(Keys.escape(c), Keys.escape(canonical));
                }
            });
            if (!out.contains(m)) {
                out.add(m);
            }
        }
        return out;
    }

    private static String canonical(TableInfo.Column col, Object v) {
        if (v instanceof CanonicalValue c) {
            return c.canonical();
        }
        if (v instanceof LiteralValue l) {
            return Canonical.of(col.kind(), l.literal());
        }
        return Canonical.of(col.kind(), v);
    }

    /** Rows of child tables changed by ON DELETE / ON UPDATE actions. */
    private void cascade(List<Map<String, Object>> images) {
        boolean delete = write.kind() == Analysis.WriteKind.DELETE;
        for (TableInfo.ChildKey k : target.children()) {
            int rule = delete ? k.onDelete() : k.onUpdate();
            if (!Catalog.changesChildren(rule)) {
                continue;
            }
            if (!delete && k.parentColumns().stream().noneMatch(c -> assigns(c))) {
                continue;
            }
            List<Map<String, String>> childRows = new ArrayList<>();
            boolean known = true;
            for (Map<String, Object> image : images) {
                Map<String, String> child = new HashMap<>();
                for (int i = 0; i < k.parentColumns().size(); i++) {
                    String parentCol = k.parentColumns().get(i);
                    TableInfo.Column pc = target.columns().get(parentCol);
                    if (pc == null || !image.containsKey(parentCol)) {
                        known = false;
                        break;
                    }
                    String v = canonical(pc, image.get(parentCol));
                    if (v == null) {
                        known = false;
                        break;
                    }
                    child.put(Keys.escape(k.childColumns().get(i)), Keys.escape(v));
                }
                if (!known) {
                    break;
                }
                childRows.add(child);
                if (rule == DatabaseMetaData.importedKeySetNull) {
                    Map<String, String> nulls = new HashMap<>();
                    k.childColumns().forEach(c -> nulls.put(Keys.escape(c), Keys.escape(Canonical.NULL)));
                    childRows.add(nulls);
                }
            }
            Optional<TableInfo> resolved = safeResolve(new TableName(k.childSchema(), k.child()));
            TableInfo child = resolved == null ? null : resolved.orElse(null);
            if (!known || rule == DatabaseMetaData.importedKeySetDefault || child == null) {
                out.add(TableInvalidation.wholeTable(Keys.escape(k.childCanonical())));
                if (child != null) {
                    wholeTableWithChildren(child, new LinkedHashSet<>(List.of(target.canonical())));
                }
                continue;
            }
            out.add(new TableInvalidation(Keys.escape(k.childCanonical()), false, childRows));
            // Grandchildren reference the child's own keys, which the FK images do not carry.
            for (TableInfo.ChildKey gk : child.children()) {
                Optional<TableInfo> g = safeResolve(new TableName(gk.childSchema(), gk.child()));
                out.add(TableInvalidation.wholeTable(Keys.escape(gk.childCanonical())));
                if (g != null && g.isPresent()) {
                    wholeTableWithChildren(g.get(), new LinkedHashSet<>(List.of(target.canonical(), child.canonical())));
                }
            }
        }
    }

    private boolean assigns(String column) {
        for (String c : write.assignments().keySet()) {
            TableInfo.Column col = target.column(c);
            if (col == null || col.name().equals(column)) {
                return true;
            }
        }
        return false;
    }

    private void wholeTableWithChildren(TableInfo t, Set<String> seen) {
        if (!seen.add(t.canonical())) {
            return;
        }
        out.add(TableInvalidation.wholeTable(Keys.escape(t.canonical())));
        for (TableInfo.ChildKey k : t.children()) {
            Optional<TableInfo> c = safeResolve(new TableName(k.childSchema(), k.child()));
            if (c == null || c.isEmpty()) {
                out.add(TableInvalidation.wholeTable(Keys.escape(k.childCanonical())));
            } else {
                wholeTableWithChildren(c.get(), seen);
            }
        }
    }
}
