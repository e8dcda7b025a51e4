package dev.cacheops.engine;

import dev.cacheops.sql.Analysis;
import dev.cacheops.sql.TableName;
import dev.cacheops.sql.ValueRef;
import dev.cacheops.store.Keys;
import dev.cacheops.store.TableInvalidation;
import java.sql.Connection;
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
 * {@code FOR UPDATE} before the write, in its transaction, returned by the write itself, or given
 * by its condition; the new images from the statement's values, generated keys, column defaults,
 * or re-read after the write; cascading foreign keys.
 * Whatever it cannot know exactly becomes a whole-table (or whole-scheme) invalidation.
 *
 * <p>Use: {@link #before()} before executing the statement, {@link #after} once it has run.
 * Not thread-safe; one per execution.
 */
public final class WriteExecution {
    private final Engine engine;
    private final Database db;
    private final Connection raw;
    private final Analysis.Write write;
    private final List<Params> rows;
    private final List<TableInvalidation> out = new ArrayList<>();
    private TableInfo target;
    private Set<String> imageColumns;
    /** {@link #imageColumns} less the assigned ones read only to tell a change from a rewrite. */
    private Set<String> neededColumns;
    private List<Map<String, Object>> oldImages;
    /** DELETE on PostgreSQL: the full images of the rows its cascades change, or null. */
    private ChildImages childImages;
    /** UPSERT: the conflict key, its values per inserted row, and those that matched no row before. */
    private List<String> conflictKey;
    private List<List<Object>> conflictValues;
    private List<List<Object>> missingKeys;
    private boolean whole;
    private boolean everything;
    /** UPDATE: the escaped columns it may change, or null when any (computed in {@link #after}). */
    private Set<String> changed;
    /** The statement rebuilt to return the images, once {@link #imagesInStatement} said yes. */
    private ImagesInStatement inStatement;
    /** False once the caller's form rules out {@link #executeWithImages} (generated keys, results, batches). */
    private boolean imagesInStatementAllowed = true;
    /** UPDATE run by {@link #executeWithImages}: the new images, in the old images' order. */
    private List<Map<String, Object>> newImages;
    /** True when the statement's condition gave the images before it ran ({@link #imagesFromCondition}). */
    private boolean fromCondition;

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

    /** True when something may have to be read inside the write's transaction (or returned by the statement). */
    public boolean needsImages() throws SQLException {
        resolve();
        return !whole && !everything && target != null && !fromCondition && (oldImagesNeeded() || insertSelect());
    }

    /**
     * True when the invalidations are known before the statement runs (whole tables, or row images
     * its condition gives: {@link #imagesFromCondition}), so a strict lock can be taken without
     * wrapping an auto-commit write in a transaction, and no image has to be read.
     */
    public boolean knownBefore() throws SQLException {
        resolve();
        return whole || everything || target == null || fromCondition;
    }

    /** True when the statement's generated keys are needed to know the inserted rows. */
    public boolean wantsGeneratedKeys() throws SQLException {
        resolve();
        return write.kind() == Analysis.WriteKind.INSERT && target != null && !whole && !everything && !insertSelect();
    }

    /**
     * Called after a statement whose invalidations were computed before it ran: DDL must drop
     * what the catalog knew only once the schema has really changed.
     */
    public void executed() {
        if (write.kind() == Analysis.WriteKind.DDL) {
            db.schemaChanged();
        }
    }

    /**
     * True when this write can run as one statement that also returns its row images
     * ({@link ImagesInStatement}): then {@link #executeWithImages} replaces both {@link #before()} and
     * the caller's statement. Only for a single parameter set.
     */
    public boolean imagesInStatement() throws SQLException {
        resolve();
        if (whole || everything || target == null || fromCondition || rows.size() != 1) {
            return false;
        }
        boolean deltaTables = db.catalog().deltaTables();
        boolean supported = switch (write.kind()) {
            // PostgreSQL's old images need UPDATE ... FROM; H2's delta table gives the old ones
            // only, so the new ones must follow from known assigned values
            case UPDATE -> db.catalog().isPostgres() || deltaTables && assignmentsKnown();
            case DELETE -> db.catalog().returningRows() || deltaTables;
            case INSERT -> insertSelect();
            default -> false;
        };
        if (!supported) {
            return false;
        }
        if (write.kind() == Analysis.WriteKind.DELETE && db.catalog().isPostgres() && cascadesToReadChildren()) {
            // ChildImages needs the parent rows locked before the delete: the image select's path
            return false;
        }
        if (inStatement == null) {
            inStatement = ImagesInStatement.of(write, target, imageColumns, neededColumns, rows.get(0), raw,
                    deltaTables);
        }
        return inStatement != null;
    }

    /**
     * Tells this write that it will run as the caller's statement, never as one returning its
     * images: an {@code INSERT ... SELECT} is then a whole-table write from the start. Call before
     * anything else.
     */
    public void withoutImagesInStatement() {
        imagesInStatementAllowed = false;
    }

    /**
     * Runs the rebuilt statement instead of the caller's (after {@link #imagesInStatement} said
     * yes), reading the images it returns; above {@code bulkRows} rows the table is invalidated
     * whole, as when the image select finds that many.
     *
     * @param queryTimeout the caller's statement's timeout in seconds (0: none)
     * @return the number of rows written, as the caller's statement would have reported it
     */
    public long executeWithImages(int queryTimeout) throws SQLException {
        int bulk = engine.settings().bulkRows();
        oldImages = new ArrayList<>();
        newImages = new ArrayList<>();
        long n = inStatement.run(raw, rows.get(0), queryTimeout, bulk + 1, oldImages, newImages);
        if (n > bulk) {
            whole = true;
        }
        if (insertSelect()) {
            newImages = oldImages; // the inserted rows: new images with no old ones
            oldImages = new ArrayList<>();
        } else if (!inStatement.returnsNewImages()) {
            newImages = null; // an UPDATE's new images follow from its old ones (H2)
        }
        return n;
    }

    /** The rebuilt statement's SQL, or null (for tests). */
    String imagesSql() {
        return inStatement == null ? null : inStatement.sql();
    }

    /** Reads the old images. Call inside the write's transaction, before executing it. */
    public void before() throws SQLException {
        resolve();
        if (whole || everything || target == null || fromCondition || !oldImagesNeeded()) {
            return;
        }
        oldImages = new ArrayList<>();
        if (write.kind() == Analysis.WriteKind.UPSERT) {
            readConflictRows();
        } else {
            RowImages reader = images();
            for (Params p : rows) {
                oldImages.addAll(reader.where(write.targetSql(), write.whereSql(), p, write.whereParameters()));
                if (oldImages.size() > engine.settings().bulkRows()) {
                    break;
                }
            }
        }
        if (oldImages.size() > engine.settings().bulkRows()) {
            whole = true;
        } else if (write.kind() == Analysis.WriteKind.DELETE && !target.children().isEmpty() && db.catalog().isPostgres()) {
            childImages = ChildImages.read(raw, target, oldImages, this::safeResolve, this::imageColumns,
                    engine.settings().bulkRows());
        }
    }

    /**
     * True, after {@link #before()}, when {@link #after} would compute the invalidations from the
     * old images and the statement's own values alone: a single-row-set {@code DELETE}, or an
     * {@code UPDATE} whose assignments to image columns all have known values (cascades follow
     * from the images and the catalog, no read). {@link #after} may then be called before the
     * statement runs.
     */
    public boolean knownFromOldImages() {
        if (whole || everything || target == null || oldImages == null || rows.size() != 1 || newImages != null) {
            return false;
        }
        if (write.kind() == Analysis.WriteKind.DELETE) {
            return true;
        }
        return write.kind() == Analysis.WriteKind.UPDATE && assignmentsKnown();
    }

    /**
     * Whether every assignment to an image column has a known value and the database recomputes
     * no image column, so new images follow from old ones.
     */
    private boolean assignmentsKnown() {
        for (Map.Entry<String, ValueRef> a : write.assignments().entrySet()) {
            TableInfo.Column col = target.column(a.getKey());
            if (col != null && imageColumns.contains(col.name())
                    && Written.of(a.getValue(), col, rows.get(0)) == Written.UNKNOWN) {
                return false;
            }
        }
        return recomputedImageColumns().isEmpty();
    }

    /** The image columns the database may recompute when it updates a row ({@link ChangedColumns#recomputed}). */
    private List<String> recomputedImageColumns() {
        List<String> out = new ArrayList<>();
        for (String c : imageColumns) {
            TableInfo.Column col = target.columns().get(c);
            if (col != null && ChangedColumns.recomputed(target, col)) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * Whether the statement may commit the open transaction by itself: {@code TRUNCATE} and DDL do
     * on H2 and MariaDB (PostgreSQL's are transactional; counted too, which only costs a wider
     * invalidation after a failure).
     */
    public boolean commitsByItself() {
        return write.kind() == Analysis.WriteKind.DDL || write.kind() == Analysis.WriteKind.TRUNCATE;
    }

    /**
     * What the write may have changed when it failed but may have committed part of its work:
     * a batch in auto-commit whose driver went on after a failed statement, or whose statements
     * commit by themselves ({@code TRUNCATE} and DDL on H2 and MariaDB commit the open
     * transaction, hence the rows written before them in the same batch). Every table it writes,
     * whole, with its cascades; {@code null} for everything.
     */
    public List<TableInvalidation> afterFailure() throws SQLException {
        resolve();
        whole = true;
        return after(List.of());
    }

    /**
     * The invalidations, once the statement has run.
     *
     * @param generated the generated-key rows, by column label, or an empty list
     * @return the invalidations, or {@code null} when everything must be invalidated (a table the
     *         catalog could not be asked about)
     */
    public List<TableInvalidation> after(List<Map<String, Object>> generated) throws SQLException {
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
            List<TableName> written = new ArrayList<>(write.tables());
            if (joinsOtherTables()) {
                // MySQL's multi-table form may assign the joined tables, which the analysis lists
                // as read only (PostgreSQL's UPDATE ... FROM cannot: invalidated for nothing there).
                written.addAll(write.reads());
            }
            for (TableName t : written) {
                Optional<TableInfo> info = safeResolve(t);
                if (info == null || info.isPresent() && info.get().view()) {
                    return null;
                }
                info.ifPresent(this::wholeTableWithChildren);
            }
            narrowWholeUpdate();
            return out;
        }
        List<Map<String, Object>> images = new ArrayList<>();
        switch (write.kind()) {
            case INSERT -> {
                if (insertSelect() && newImages == null) {
                    // not run as the statement with images (a batch, generated keys asked for):
                    // its rows are not known
                    wholeTableWithChildren(target);
                    return out;
                }
                if (newImages != null) {
                    images.addAll(newImages);
                } else {
                    insertImages(generated, images);
                }
            }
            case UPDATE -> {
                images.addAll(oldImages);
                if (newImages != null) {
                    images.addAll(newImages); // returned by the statement itself, paired by position
                } else {
                    updatedImages(images);
                }
                changed = ChangedColumns.of(write, target, images.subList(0, oldImages.size()),
                        images.subList(oldImages.size(), images.size()));
            }
            case DELETE -> images.addAll(oldImages);
            case UPSERT -> {
                if (write.assignments().isEmpty()) {
                    // ON CONFLICT DO NOTHING: a conflicting row was there before, locked by the
                    // read, and is left as it was, so it invalidates nothing and needs no second
                    // read; only the keys that matched nothing may have inserted a row.
                    images.addAll(images().byKey(conflictKey, missingKeys, false));
                } else {
                    images.addAll(oldImages);
                    images.addAll(images().byKey(conflictKey, conflictValues, false));
                }
            }
            default -> {
                wholeTableWithChildren(target);
                return out;
            }
        }
        if (images.size() > engine.settings().bulkRows()) {
            wholeTableWithChildren(target);
            narrowWholeUpdate();
            return out;
        }
        out.add(new TableInvalidation(Keys.escape(target.canonical()), false, canonicalImages(target, images), changed));
        if (write.kind() != Analysis.WriteKind.INSERT) {
            cascades().of(images, write.kind() == Analysis.WriteKind.DELETE, this::assigns);
        }
        return out;
    }

    /**
     * Whether what this write changes is confined to the tables its invalidations name: no call of
     * a function that may write elsewhere, no trigger or rule on a written table, no cascade to
     * other tables ({@link #mayCascade}), no view or other relation that is not a plain base table,
     * no update that joins other tables (MySQL's multi-table form may assign them), no DDL or
     * {@code TRUNCATE}. A transaction's reads of other tables then see committed rows only, which
     * the cache may serve (at {@code READ COMMITTED}; DESIGN §6).
     */
    public boolean confined() {
        if (everything || write.callsFunctions() || write.kind() == Analysis.WriteKind.DDL
                || write.kind() == Analysis.WriteKind.TRUNCATE
                || joinsOtherTables()) {
            return false;
        }
        for (TableName t : write.tables()) {
            Optional<TableInfo> info = safeResolve(t);
            if (info == null) {
                return false;
            }
            if (info.isPresent() && (info.get().triggers() || mayCascade(info.get()) || !info.get().cacheable())) {
                return false;
            }
        }
        return true;
    }

    /** An UPDATE of several tables, or of one with others in FROM, JOIN, or (with ORDER BY/LIMIT) subqueries. */
    private boolean joinsOtherTables() {
        return write.kind() == Analysis.WriteKind.UPDATE && write.wholeTable() != null && !write.reads().isEmpty();
    }

    /**
     * Whether this write may fire one of the table's cascading foreign keys ({@code ON DELETE} or
     * {@code ON UPDATE} {@code CASCADE}, {@code SET NULL}, {@code SET DEFAULT}): a {@code DELETE} or
     * an upsert ({@code REPLACE} deletes) may; a plain {@code INSERT} changes no existing row, so
     * never; an {@code UPDATE} only when it assigns a column a child references (an assignment the
     * catalog does not resolve, or an update whose assignments were not read, counts).
     */
    private boolean mayCascade(TableInfo t) {
        if (t.children().isEmpty() || write.kind() == Analysis.WriteKind.INSERT) {
            return false;
        }
        if (write.kind() != Analysis.WriteKind.UPDATE || write.assignments().isEmpty()) {
            return true;
        }
        for (String assigned : write.assignments().keySet()) {
            TableInfo.Column col = t.column(assigned);
            if (col == null) {
                return true;
            }
            for (TableInfo.ChildKey k : t.children()) {
                if (k.parentColumns().contains(col.name())) {
                    return true;
                }
            }
        }
        return false;
    }

    private void resolve() throws SQLException {
        if (target != null || whole || everything) {
            return;
        }
        if (write.wholeTable() != null && !insertSelect() || write.kind() == Analysis.WriteKind.TRUNCATE
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
        if (target.view()) {
            // A write through a view writes its base tables, which the catalog does not name.
            target = null;
            everything = true;
            return;
        }
        dev.cacheops.Profile profile = engine.profiles().match(target.schema(), target.name());
        if (profile != null && profile.disabled() && target.children().isEmpty()) {
            // No read of a disabled table is ever cached here (not even manually, nor captured by a
            // function), so no row-level precision can pay for the images; a whole-table
            // invalidation costs no read and still reaches any other instance sharing the prefix
            // that does cache it. With cascading children the images are still needed for them.
            whole = true;
            return;
        }
        neededColumns = neededColumns(target);
        imageColumns = withKnownAssigned(target, neededColumns);
        if (imageColumns.isEmpty()) {
            // No cached result reads this table by any column: a whole-table invalidation costs
            // nothing and needs no images.
            whole = true;
            return;
        }
        fromCondition = imagesFromCondition();
    }

    /**
     * Sets the images of an {@code UPDATE} or {@code DELETE} whose condition names them (DESIGN §4,
     * "Images from the condition") and returns true; false, leaving them unset, otherwise.
     *
     * <p>Every row such a write reaches holds, before it, the values its condition's top-level
     * equalities fix (the database re-checks the condition on the version it writes). When those
     * fix the primary key and every condition column of each known scheme the write can affect
     * ({@link TableInvalidation#affects}, by the columns it assigns), to values with a canonical
     * form, they are the part of each old image the invalidation needs, and the new image is the
     * same with the assigned values, which must then be known for the columns it needs. Nothing
     * else may change the row or reach other rows: no trigger or rule, no function call, no
     * cascading foreign key the write may fire, no column the database recomputes among them. A
     * scheme registered after the known ones were read misses a column in these images, and the
     * store invalidates it whole for them ({@link TableInvalidation#rows}): coarser, never wrong.
     * One image pair per parameter set; a set that matched no row only invalidates for nothing.
     */
    private boolean imagesFromCondition() {
        Analysis.WriteKind kind = write.kind();
        if (kind != Analysis.WriteKind.UPDATE && kind != Analysis.WriteKind.DELETE || rows.isEmpty()
                || write.plain() == null || write.callsFunctions() || write.returnsRows() || target.triggers()
                || mayCascade(target) || target.primaryKey().isEmpty()) {
            return false;
        }
        Set<String> assigned = kind == Analysis.WriteKind.UPDATE ? ChangedColumns.assigned(write, target) : Set.of();
        if (assigned == null) {
            return false;
        }
        TableInvalidation byAssigned = new TableInvalidation(Keys.escape(target.canonical()), false, List.of(),
                kind == Analysis.WriteKind.UPDATE ? ChangedColumns.escaped(assigned) : null);
        Map<String, String> byEscaped = new HashMap<>();
        target.columns().keySet().forEach(c -> byEscaped.put(Keys.escape(c), c));
        Set<String> required = new LinkedHashSet<>(target.primaryKey());
        for (String scheme : engine.protocol().schemes(Keys.escape(target.canonical()))) {
            if (!byAssigned.affects(scheme)) {
                continue;
            }
            for (String escaped : Keys.schemeColumns(scheme)) {
                String c = byEscaped.get(escaped);
                if (c == null) {
                    return false;
                }
                required.add(c);
            }
        }
        Map<String, ValueRef> fixed = ImagesInStatement.fixedByColumn(write.plain(), target);
        Map<String, ValueRef> assignments = new HashMap<>();
        write.assignments().forEach((name, ref) -> {
            TableInfo.Column col = target.column(name);
            if (col != null) {
                assignments.put(col.name(), ref);
            }
        });
        List<Map<String, Object>> olds = new ArrayList<>();
        List<Map<String, Object>> news = new ArrayList<>();
        for (Params p : rows) {
            Map<String, Object> old = new LinkedHashMap<>();
            Map<String, Object> now = new LinkedHashMap<>();
            for (String c : required) {
                TableInfo.Column col = target.columns().get(c);
                Object before = known(fixed.get(c), col, p);
                if (before == Written.UNKNOWN) {
                    return false;
                }
                old.put(c, before);
                Object after = before;
                if (assigned.contains(c)) {
                    // recomputed columns are in assigned with no assignment: unknown
                    after = known(assignments.get(c), col, p);
                    if (after == Written.UNKNOWN) {
                        return false;
                    }
                }
                now.put(c, after);
            }
            olds.add(old);
            news.add(now);
        }
        oldImages = olds;
        newImages = kind == Analysis.WriteKind.UPDATE ? news : null;
        return true;
    }

    /** The value {@code ref} gives {@code col} when it has a canonical form there, else {@link Written#UNKNOWN}. */
    private static Object known(ValueRef ref, TableInfo.Column col, Params p) {
        if (ref == null || col == null) {
            return Written.UNKNOWN;
        }
        Object v = Written.of(ref, col, p);
        return v == Written.UNKNOWN || Written.canonical(col, v) == null ? Written.UNKNOWN : v;
    }

    /** null on a catalog failure; empty when the table does not exist. */
    private Optional<TableInfo> safeResolve(TableName t) {
        try {
            return db.catalog().resolveForWrite(raw, t);
        } catch (SQLException e) {
            return null;
        }
    }

    /**
     * Whether deleting from the target changes child rows ({@code ON DELETE CASCADE / SET NULL})
     * that {@link ChildImages} would read, i.e. rows of a child some cached result reads by a
     * column or that cascades further.
     */
    private boolean cascadesToReadChildren() {
        for (TableInfo.ChildKey k : target.children()) {
            if (!ChildImages.readsOnDelete(k)) {
                continue;
            }
            Optional<TableInfo> child = safeResolve(new TableName(k.childSchema(), k.child()));
            if (child == null || child.isEmpty() || !imageColumns(child.get()).isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** The columns an image of {@code t} holds: {@link #neededColumns}, {@link #withKnownAssigned}. */
    private Set<String> imageColumns(TableInfo t) {
        return withKnownAssigned(t, neededColumns(t));
    }

    /**
     * The columns the invalidation itself needs: the known schemes' columns, the key,
     * cascade-referenced columns; empty when no scheme reads the table and nothing cascades.
     */
    private Set<String> neededColumns(TableInfo t) {
        Set<String> schemeColumns = new LinkedHashSet<>();
        for (String scheme : engine.protocol().schemes(Keys.escape(t.canonical()))) {
            schemeColumns.addAll(Keys.schemeColumns(scheme));
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

    /** {@code needed} and, unless it is empty, {@link #knownAssignedColumns}. */
    private Set<String> withKnownAssigned(TableInfo t, Set<String> needed) {
        Set<String> cols = new LinkedHashSet<>(needed);
        if (!cols.isEmpty()) {
            cols.addAll(knownAssignedColumns(t));
        }
        return cols;
    }

    /**
     * UPDATE: the assigned columns whose new value the statement reveals for every parameter set.
     * Their old values are read with the images (the same select, no extra round trip), so that
     * {@link ChangedColumns#of} can tell a rewrite of an unchanged value from a change.
     */
    private List<String> knownAssignedColumns(TableInfo t) {
        List<String> out = new ArrayList<>();
        if (write.kind() != Analysis.WriteKind.UPDATE) {
            return out;
        }
        for (Map.Entry<String, ValueRef> a : write.assignments().entrySet()) {
            TableInfo.Column col = t.column(a.getKey());
            if (col == null) {
                continue;
            }
            boolean known = true;
            for (Params p : rows) {
                known &= Written.of(a.getValue(), col, p) != Written.UNKNOWN;
            }
            if (known) {
                out.add(col.name());
            }
        }
        return out;
    }

    /**
     * A whole-table UPDATE (too many rows, no images needed, {@code UPDATE ... FROM}, a limit)
     * still changes only the columns it assigns: its own table's invalidation carries them, so
     * results that reference none of them survive. Not with cascading children (their rows may
     * be this table's, changed in columns nobody assigned).
     */
    private void narrowWholeUpdate() {
        if (write.kind() != Analysis.WriteKind.UPDATE || write.tables().size() != 1) {
            return;
        }
        Optional<TableInfo> info = safeResolve(write.tables().get(0));
        if (info == null || info.isEmpty() || !info.get().children().isEmpty()) {
            return;
        }
        Set<String> assigned = ChangedColumns.assigned(write, info.get());
        if (assigned == null) {
            return;
        }
        Set<String> escaped = ChangedColumns.escaped(assigned);
        String name = Keys.escape(info.get().canonical());
        for (int i = 0; i < out.size(); i++) {
            TableInvalidation t = out.get(i);
            if (t.table().equals(name) && t.wholeTable() && t.changed() == null) {
                out.set(i, new TableInvalidation(name, true, List.of(), escaped));
            }
        }
    }

    /**
     * An {@code INSERT ... SELECT} that may run as one statement returning the rows it inserted
     * (PostgreSQL, H2 2.x or MariaDB 10.5+, one parameter set): until then its rows are unknown, and
     * {@link #after} falls back to the whole table when it did not run that way.
     */
    private boolean insertSelect() {
        return imagesInStatementAllowed && write.plainInsertSelect() && rows.size() == 1
                && db.catalog().returnsInsertedRows();
    }

    private boolean oldImagesNeeded() {
        return write.kind() == Analysis.WriteKind.UPDATE || write.kind() == Analysis.WriteKind.DELETE
                || write.kind() == Analysis.WriteKind.UPSERT;
    }

    private RowImages images() {
        return new RowImages(raw, target, imageColumns, engine.settings().bulkRows());
    }

    /** New images of an UPDATE: old images with the assignments applied, or re-read by key. */
    private void updatedImages(List<Map<String, Object>> images) throws SQLException {
        int count = images.size();
        // Batched updates: each batch entry has its own values; re-reading is the simple truth.
        // Recomputed columns keep no old value: re-read, or left out (their schemes go whole).
        List<String> recomputed = recomputedImageColumns();
        boolean reread = rows.size() > 1 || !recomputed.isEmpty();
        List<Map<String, Object>> updated = new ArrayList<>();
        Params p = rows.size() == 1 ? rows.get(0) : null;
        for (int r = 0; r < count; r++) {
            Map<String, Object> image = new LinkedHashMap<>(images.get(r));
            image.keySet().removeAll(recomputed);
            for (Map.Entry<String, ValueRef> a : write.assignments().entrySet()) {
                TableInfo.Column col = target.column(a.getKey());
                if (col == null || !imageColumns.contains(col.name())) {
                    continue;
                }
                Object v = Written.of(a.getValue(), col, p);
                if (v == Written.UNKNOWN) {
                    image.remove(col.name());
                    reread = true;
                } else {
                    image.put(col.name(), v);
                }
            }
            updated.add(image);
        }
        if (reread && !target.primaryKey().isEmpty() && !assignsKey()) {
            List<List<Object>> keys = new ArrayList<>();
            for (Map<String, Object> old : images.subList(0, count)) {
                keys.add(target.primaryKey().stream().map(old::get).toList());
            }
            images.addAll(images().byKey(target.primaryKey(), keys, false));
        } else {
            // Unknown values were left out: the schemes using them are invalidated whole.
            images.addAll(updated);
        }
    }

    private boolean assignsKey() {
        return target.primaryKey().stream().anyMatch(this::assigns);
    }

    /** Whether the write assigns a column (an assignment the catalog does not know counts). */
    private boolean assigns(String column) {
        for (String c : write.assignments().keySet()) {
            TableInfo.Column col = target.column(c);
            if (col == null || col.name().equals(column)) {
                return true;
            }
        }
        return false;
    }

    private void insertImages(List<Map<String, Object>> generated, List<Map<String, Object>> into) {
        List<TableInfo.Column> cols = targetColumns();
        List<Map<String, Object>> images = new ArrayList<>();
        for (Params p : rows) {
            for (List<ValueRef> values : write.rows()) {
                Map<String, Object> image = new LinkedHashMap<>();
                for (TableInfo.Column c : target.columns().values()) {
                    if (!cols.contains(c)) {
                        Object d = Written.defaultOf(c);
                        if (d != Written.UNKNOWN) {
                            image.put(c.name(), d);
                        }
                    }
                }
                for (int i = 0; i < Math.min(cols.size(), values.size()); i++) {
                    TableInfo.Column c = cols.get(i);
                    Object v = c == null ? Written.UNKNOWN : Written.of(values.get(i), c, p);
                    if (v != Written.UNKNOWN) {
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

    /** The INSERT's target columns (null entries for columns the catalog does not know). */
    private List<TableInfo.Column> targetColumns() {
        if (write.columns() == null) {
            return new ArrayList<>(target.columns().values());
        }
        List<TableInfo.Column> cols = new ArrayList<>();
        for (String c : write.columns()) {
            cols.add(target.column(c));
        }
        return cols;
    }

    /**
     * The rows an upsert may conflict with, read by its conflict key before the write and locked,
     * one key at a time so the keys that matched no row are known; whole table when the key or a
     * value of it is unknown.
     */
    private void readConflictRows() throws SQLException {
        conflictKey = conflictKey();
        conflictValues = conflictKey == null ? null : conflictValues(conflictKey);
        if (conflictValues == null) {
            whole = true;
            return;
        }
        RowImages reader = images();
        missingKeys = new ArrayList<>();
        for (List<Object> kv : conflictValues) {
            List<Map<String, Object>> found = reader.byKey(conflictKey, List.of(kv), true);
            if (found.isEmpty()) {
                missingKeys.add(kv);
            }
            oldImages.addAll(found);
        }
    }

    /** The conflict-key values of every row the upsert inserts, or null when one is unknown. */
    private List<List<Object>> conflictValues(List<String> key) {
        List<TableInfo.Column> cols = targetColumns();
        List<List<Object>> keyValues = new ArrayList<>();
        for (Params p : rows) {
            for (List<ValueRef> values : write.rows()) {
                List<Object> kv = new ArrayList<>();
                for (String k : key) {
                    int at = cols.indexOf(target.column(k));
                    Object v = at < 0 || at >= values.size() ? Written.UNKNOWN : Written.of(values.get(at), target.column(k), p);
                    if (v == Written.UNKNOWN || v == null || v instanceof Written.CanonicalValue) {
                        return null;
                    }
                    kv.add(v);
                }
                keyValues.add(kv);
            }
        }
        return keyValues;
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
    static List<Map<String, String>> canonicalImages(TableInfo t, List<Map<String, Object>> images) {
        List<Map<String, String>> out = new ArrayList<>(images.size());
        for (Map<String, Object> image : images) {
            Map<String, String> m = new HashMap<>();
            image.forEach((c, v) -> {
                TableInfo.Column col = t.columns().get(c);
                String canonical = col == null ? null : Written.canonical(col, v);
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

    private Cascades cascades() {
        return new Cascades(target, this::safeResolve, out, childImages);
    }

    private void wholeTableWithChildren(TableInfo t) {
        new Cascades(t, this::safeResolve, out).wholeTableWithChildren(t, new LinkedHashSet<>());
    }
}
