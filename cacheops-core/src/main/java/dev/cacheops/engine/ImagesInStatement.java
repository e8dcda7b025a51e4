package dev.cacheops.engine;

import dev.cacheops.sql.Analysis;
import dev.cacheops.sql.ValueRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A PostgreSQL {@code UPDATE}, {@code DELETE} or {@code INSERT ... SELECT} rebuilt so that the
 * statement that writes also returns the row images (DESIGN §4, "Images in the statement"), instead
 * of a separate {@code SELECT ... FOR UPDATE} before it (or, for the insert, a whole-table
 * invalidation):
 *
 * <ul>
 *   <li>{@code INSERT INTO t ... SELECT ... RETURNING <image columns>}: the rows it inserted, exactly;</li>
 *   <li>{@code DELETE FROM t [a] [WHERE c] RETURNING <image columns>}: the rows it deleted, exactly;</li>
 *   <li>{@code UPDATE t [a] SET ... [WHERE c] RETURNING t.<needed columns>}: when the update can
 *       change no column the invalidation needs but those the condition fixes to one value, each
 *       row it updated with its new values; its old ones are the same with the fixed values;</li>
 *   <li>{@code UPDATE t [a] SET ... FROM (SELECT <key> AS k, <image columns> AS o FROM t [a] WHERE c
 *       FOR UPDATE) AS old WHERE t.key = old.k RETURNING old.o..., t.<image columns>}: old and new
 *       images of each row it updated, in one row. Only when the condition fixes every primary-key
 *       column by an equality (see {@link #of}).</li>
 * </ul>
 *
 * Only the plain forms the analysis describes ({@link Analysis.Plain}). Not thread-safe; one per
 * write execution.
 */
final class ImagesInStatement {
    /** Prefix of the names the rebuilt statement gives its own relation and columns. */
    private static final String PREFIX = "__cacheops_";

    private final String sql;
    private final List<Integer> parameters;
    private final List<String> columns;
    private final boolean update;
    /**
     * The {@code UPDATE ... RETURNING} form: the returned rows are the new images, and each old
     * image is its new one with these values (the columns it moved, as the condition fixed them);
     * null for the other forms.
     */
    private final Map<String, Object> movedFrom;

    private ImagesInStatement(String sql, List<Integer> parameters, List<String> columns, boolean update) {
        this(sql, parameters, columns, update, null);
    }

    private ImagesInStatement(String sql, List<Integer> parameters, List<String> columns, boolean update,
                              Map<String, Object> movedFrom) {
        this.sql = sql;
        this.parameters = parameters;
        this.columns = columns;
        this.update = update;
        this.movedFrom = movedFrom;
    }

    /**
     * The rebuilt statement, or null when this write keeps the separate image select: not a plain
     * form, the caller's own {@code RETURNING}, a parameter not set, a target with triggers or
     * rules, a target column named like the rebuilt statement's own names, or (PostgreSQL) an
     * {@code UPDATE} that may change a needed column its condition does not fix and whose condition
     * does not fix the whole primary key.
     *
     * <p>An {@code UPDATE} that can change none of {@code neededColumns} (no assignment to one, no
     * generated column or expression default among them: {@link ChangedColumns#assigned}) but those
     * its condition fixes to a known value by a top-level equality is the caller's statement plus
     * {@code RETURNING} those columns: it updates exactly the caller's rows, no key is needed, and
     * each returned row is a new image whose old image differs only in the fixed columns, which
     * held the fixed values (the version the update replaced satisfied its condition). The
     * assigned columns read only to tell a change from a rewrite ({@code imageColumns} beyond
     * {@code neededColumns}) are then not returned and count as changed; with a fixed key the form
     * below returns them instead when there are any.
     *
     * <p>With {@code deltaTable} (H2 2.x) the write runs inside a data change delta table,
     * {@code SELECT <image columns> FROM OLD TABLE (<delete or update>)} or {@code FROM FINAL TABLE
     * (<insert ... select>)}: the rows it deleted or changed, with their values before it, or the rows
     * it inserted, exactly; no key is needed, the delta table being the statement's own rows. An
     * {@code UPDATE}'s new images are not returned (one delta table per query): the caller applies
     * its assignments to the old images, so it must only assign known values to image columns.
     *
     * <p>Why an {@code UPDATE} must fix the key: at {@code READ COMMITTED} the target rows are found
     * in the statement's snapshot and each is re-checked on its newest version when a concurrent
     * transaction changed it. The subquery's {@code FOR UPDATE} locks and re-checks in the same way
     * and returns the newest version; the outer join then finds the snapshot version by key and
     * follows it to that newest version. The two agree on every row unless a concurrent transaction
     * changed a matching row's key and the row still matches: the original updates it, the join by
     * the old key finds nothing. A condition {@code key = constant} cannot still match a row whose
     * key changed, so with it the rebuilt statement updates exactly the rows the original would.
     */
    static ImagesInStatement of(Analysis.Write write, TableInfo target, Collection<String> imageColumns,
                                Collection<String> neededColumns, Params params, Connection raw,
                                boolean deltaTable) throws SQLException {
        Analysis.Plain plain = write.plain();
        if (plain == null || write.returnsRows() || imageColumns.isEmpty() || target.triggers()) {
            // triggers() also means rewrite rules (a DO INSTEAD rule without RETURNING makes
            // PostgreSQL refuse the rebuilt statement) and row-level security (the subquery
            // would see rows by the SELECT policy): the caller's statement as written
            return null;
        }
        List<Integer> bound = new ArrayList<>();
        switch (write.kind()) {
            case INSERT -> bound.addAll(plain.setParameters());
            case UPDATE -> {
                bound.addAll(plain.setParameters());
                bound.addAll(write.whereParameters());
            }
            case DELETE -> bound.addAll(write.whereParameters());
            default -> {
                return null;
            }
        }
        if (write.kind() == Analysis.WriteKind.INSERT && plain.insertSql() == null || !allSet(params, bound)) {
            return null;
        }
        List<String> cols = List.copyOf(imageColumns);
        if (deltaTable) {
            String inner = switch (write.kind()) {
                case INSERT -> plain.insertSql();
                case DELETE -> deleteSql(write);
                default -> updateSql(write);
            };
            StringBuilder b = columnList(new StringBuilder("select "), raw, "", cols)
                    .append(write.kind() == Analysis.WriteKind.INSERT ? " from final table (" : " from old table (")
                    .append(inner).append(')');
            return new ImagesInStatement(b.toString(), List.copyOf(bound), cols, false);
        }
        String ref = plain.targetRef() + '.';
        if (write.kind() == Analysis.WriteKind.INSERT) {
            // unqualified: an INSERT's RETURNING sees its target only
            StringBuilder b = columnList(new StringBuilder(plain.insertSql()).append(" returning "), raw, "", cols);
            return new ImagesInStatement(b.toString(), List.copyOf(bound), cols, false);
        }
        if (write.kind() == Analysis.WriteKind.DELETE) {
            StringBuilder b = columnList(new StringBuilder(deleteSql(write)).append(" returning "), raw, ref, cols);
            return new ImagesInStatement(b.toString(), List.copyOf(bound), cols, false);
        }
        List<String> key = target.primaryKey();
        Map<String, ValueRef> fixed = fixedByColumn(plain, target);
        boolean keyFixed = !key.isEmpty() && fixed.keySet().containsAll(key);
        Set<String> mayChange = ChangedColumns.assigned(write, target);
        Map<String, Object> movedFrom = mayChange == null || keyFixed && !Collections.disjoint(mayChange, imageColumns)
                ? null : movedFrom(fixed, target, mayChange, neededColumns, params);
        if (movedFrom != null) {
            List<String> needed = List.copyOf(neededColumns);
            StringBuilder b = columnList(new StringBuilder(updateSql(write)).append(" returning "), raw, ref, needed);
            return new ImagesInStatement(b.toString(), List.copyOf(bound), needed, false, movedFrom);
        }
        if (!keyFixed) {
            return null;
        }
        for (String c : target.columns().keySet()) {
            if (c.toLowerCase(Locale.ROOT).startsWith(PREFIX)) {
                return null;
            }
        }
        String old = PREFIX + "old";
        StringBuilder b = new StringBuilder("update ").append(write.targetSql()).append(" set ")
                .append(plain.setSql()).append(" from (select ");
        for (int i = 0; i < key.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(quote(raw, key.get(i))).append(" as ").append(PREFIX).append('k').append(i);
        }
        for (int i = 0; i < cols.size(); i++) {
            b.append(", ").append(quote(raw, cols.get(i))).append(" as ").append(PREFIX).append('o').append(i);
        }
        b.append(" from ").append(write.targetSql()).append(" where ").append(write.whereSql())
                .append(" for update) as ").append(old).append(" where ");
        for (int i = 0; i < key.size(); i++) {
            b.append(i == 0 ? "" : " and ").append(ref).append(quote(raw, key.get(i)))
                    .append(" = ").append(old).append('.').append(PREFIX).append('k').append(i);
        }
        b.append(" returning ");
        for (int i = 0; i < cols.size(); i++) {
            b.append(old).append('.').append(PREFIX).append('o').append(i).append(", ");
        }
        columnList(b, raw, ref, cols);
        return new ImagesInStatement(b.toString(), List.copyOf(bound), cols, true);
    }

    /**
     * For the {@code UPDATE ... RETURNING} form: the old values of the needed columns the update
     * may change, each fixed by the condition's top-level equality to a known value (every row it
     * updates held that value; the other needed columns keep theirs); null when one is not so
     * fixed. Empty when the update changes no needed column.
     */
    private static Map<String, Object> movedFrom(Map<String, ValueRef> fixed, TableInfo target, Set<String> mayChange,
                                                 Collection<String> neededColumns, Params params) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String c : mayChange) {
            if (!neededColumns.contains(c)) {
                continue;
            }
            ValueRef ref = fixed.get(c);
            Object v = ref == null ? null : Written.of(ref, target.columns().get(c), params);
            if (v == null || v == Written.UNKNOWN) {
                return null;
            }
            out.put(c, v);
        }
        return out;
    }

    /**
     * The columns the condition fixes by an equality at its top level, by their stored names
     * (those the catalog does not know left out), each with the value it is fixed to.
     */
    static Map<String, ValueRef> fixedByColumn(Analysis.Plain plain, TableInfo target) {
        Map<String, ValueRef> out = new LinkedHashMap<>();
        plain.fixedValues().forEach((name, ref) -> {
            TableInfo.Column col = target.column(name);
            if (col != null) {
                out.put(col.name(), ref);
            }
        });
        return out;
    }

    /** {@code DELETE FROM <target> [WHERE <condition>]} as the analysis gives its parts. */
    private static String deleteSql(Analysis.Write write) {
        return "delete from " + write.targetSql() + (write.whereSql() == null ? "" : " where " + write.whereSql());
    }

    /** {@code UPDATE <target> SET <set list> [WHERE <condition>]} as the analysis gives its parts. */
    private static String updateSql(Analysis.Write write) {
        return "update " + write.targetSql() + " set " + write.plain().setSql()
                + (write.whereSql() == null ? "" : " where " + write.whereSql());
    }

    /** Appends the quoted columns, each after {@code qualifier} ({@code ""} or {@code "ref."}), comma-separated. */
    private static StringBuilder columnList(StringBuilder b, Connection raw, String qualifier, List<String> cols)
            throws SQLException {
        for (int i = 0; i < cols.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(qualifier).append(quote(raw, cols.get(i)));
        }
        return b;
    }

    /** Whether the statement returns new images beside the old ones ({@code run}'s {@code news}). */
    boolean returnsNewImages() {
        return update || movedFrom != null;
    }

    /** Whether every parameter is set: a missing one the driver reports when the caller's statement runs. */
    private static boolean allSet(Params params, List<Integer> indexes) {
        for (int i : indexes) {
            if (params.get(i) == null) {
                return false;
            }
        }
        return true;
    }

    /** The statement as sent (for tests and logs). */
    String sql() {
        return sql;
    }

    /**
     * Runs the statement with the caller's parameters and reads the images of at most
     * {@code keep} rows (all rows are counted).
     *
     * @param olds receives the old images (UPDATE), the deleted rows (DELETE) or the inserted rows
     *             (INSERT)
     * @param news receives the new images, in the same order (UPDATE)
     * @return the number of rows written, which the original statement would have reported
     */
    long run(Connection raw, Params params, int queryTimeout, int keep,
             List<Map<String, Object>> olds, List<Map<String, Object>> news) throws SQLException {
        try (PreparedStatement ps = raw.prepareStatement(sql)) {
            if (queryTimeout > 0) {
                ps.setQueryTimeout(queryTimeout);
            }
            params.bindTo(ps, parameters);
            long n = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (n++ >= keep) {
                        continue; // counted for the caller; the images are not needed any more
                    }
                    if (movedFrom != null) {
                        Map<String, Object> now = image(rs, 0);
                        Map<String, Object> before = new LinkedHashMap<>(now);
                        before.putAll(movedFrom);
                        olds.add(before);
                        news.add(now);
                        continue;
                    }
                    olds.add(image(rs, 0));
                    if (update) {
                        news.add(image(rs, columns.size()));
                    }
                }
            }
            return n;
        }
    }

    private Map<String, Object> image(ResultSet rs, int offset) throws SQLException {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            row.put(columns.get(i), rs.getObject(offset + i + 1));
        }
        return row;
    }

    private static String quote(Connection raw, String identifier) throws SQLException {
        return RowImages.quote(raw, identifier);
    }
}
