package dev.cacheops.engine;

import dev.cacheops.sql.TableName;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Full old images of the rows a {@code DELETE}'s {@code ON DELETE CASCADE / SET NULL} actions
 * will change, read {@code FOR UPDATE} in the write's transaction before the delete runs
 * (DESIGN §4, "Cascades"), so that {@link Cascades} can invalidate those child rows by every
 * scheme instead of knowing them only by their foreign key. Recursive through cascading
 * children of children, bounded in rows and depth; where a level cannot be read (over the bound,
 * an unknown value, a table the catalog cannot resolve) it is simply absent and {@link Cascades}
 * falls back to the foreign-key images. Immutable once read; not thread-safe while reading.
 *
 * <p>Only where the database makes the read complete: on PostgreSQL an insert or update of a
 * child row checks its parent with {@code FOR KEY SHARE}, which conflicts with the parent row
 * lock the old-image read holds, so no other transaction can make a row reference a deleted
 * parent between this read and the delete. Other databases keep the foreign-key images.
 */
final class ChildImages {
    /** How deep the read follows cascades (author -> post -> post_tag is 2). */
    private static final int MAX_DEPTH = 4;

    /** The child table, its rows' images, and the same for its own cascading children. */
    record Node(TableInfo table, List<Map<String, Object>> rows, ChildImages children) {
    }

    /** Aligned with the parent's {@link TableInfo#children()}; null where not read. */
    private final List<Node> nodes;

    private ChildImages(List<Node> nodes) {
        this.nodes = nodes;
    }

    /** The images of the children through the parent's {@code i}-th child key, or null. */
    Node child(int i) {
        return i < nodes.size() ? nodes.get(i) : null;
    }

    /**
     * Whether the deletion of a parent row changes the rows of child key {@code k} in a way this
     * class reads ({@code ON DELETE CASCADE} or {@code SET NULL}; {@code SET DEFAULT} is not read).
     */
    static boolean readsOnDelete(TableInfo.ChildKey k) {
        return k.onDelete() == DatabaseMetaData.importedKeyCascade || k.onDelete() == DatabaseMetaData.importedKeySetNull;
    }

    /** Reads what the deletion of the rows in {@code images} of {@code parent} cascades to. */
    static ChildImages read(Connection raw, TableInfo parent, List<Map<String, Object>> images,
                            Function<TableName, Optional<TableInfo>> resolve,
                            Function<TableInfo, Collection<String>> columns, int bulkRows) throws SQLException {
        return new Reader(raw, resolve, columns, bulkRows).of(parent, images, 1);
    }

    private static final class Reader {
        private final Connection raw;
        private final Function<TableName, Optional<TableInfo>> resolve;
        private final Function<TableInfo, Collection<String>> columns;
        /** Rows still allowed, over all levels. */
        private int budget;

        Reader(Connection raw, Function<TableName, Optional<TableInfo>> resolve,
               Function<TableInfo, Collection<String>> columns, int bulkRows) {
            this.raw = raw;
            this.resolve = resolve;
            this.columns = columns;
            this.budget = bulkRows;
        }

        ChildImages of(TableInfo parent, List<Map<String, Object>> images, int depth) throws SQLException {
            List<Node> nodes = new ArrayList<>();
            for (TableInfo.ChildKey k : parent.children()) {
                nodes.add(depth > MAX_DEPTH ? null : node(parent, k, images, depth));
            }
            return new ChildImages(nodes);
        }

        private Node node(TableInfo parent, TableInfo.ChildKey k, List<Map<String, Object>> images, int depth)
                throws SQLException {
            if (!readsOnDelete(k)) {
                return null;
            }
            Optional<TableInfo> resolved = resolve.apply(new TableName(k.childSchema(), k.child()));
            TableInfo child = resolved == null ? null : resolved.orElse(null);
            if (child == null || child.view()) {
                return null;
            }
            List<String> cols = new ArrayList<>(columns.apply(child));
            if (cols.isEmpty()) {
                // No cached result reads the child by a column and it cascades no further: the
                // foreign-key images invalidate all there is, without a locked select.
                return null;
            }
            for (String c : k.childColumns()) {
                if (!cols.contains(c)) {
                    cols.add(c);
                }
            }
            List<List<Object>> keys = new ArrayList<>();
            for (Map<String, Object> image : images) {
                List<Object> key = new ArrayList<>();
                for (String pc : k.parentColumns()) {
                    if (!image.containsKey(pc)) {
                        return null;
                    }
                    key.add(image.get(pc));
                }
                // a NULL in a foreign key references nothing
                if (!key.contains(null) && !keys.contains(key)) {
                    keys.add(key);
                }
            }
            List<Map<String, Object>> rows = keys.isEmpty() ? List.of() : select(child, cols, k.childColumns(), keys);
            if (rows == null) {
                return null;
            }
            ChildImages grand = k.onDelete() == DatabaseMetaData.importedKeyCascade && !rows.isEmpty()
                    ? of(child, rows, depth + 1) : null;
            return new Node(child, rows, grand);
        }

        /** The child rows whose foreign key is one of {@code keys}, locked; null over the budget. */
        private List<Map<String, Object>> select(TableInfo child, List<String> cols, List<String> fk,
                                                 List<List<Object>> keys) throws SQLException {
            if (budget < 0) {
                return null;
            }
            StringBuilder sql = new StringBuilder("select ");
            for (int i = 0; i < cols.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append(quote(cols.get(i)));
            }
            sql.append(" from ").append(child.schema() == null || child.schema().isEmpty() ? "" : quote(child.schema()) + ".")
                    .append(quote(child.name())).append(" where ");
            for (int r = 0; r < keys.size(); r++) {
                sql.append(r == 0 ? "(" : " or (");
                for (int i = 0; i < fk.size(); i++) {
                    sql.append(i == 0 ? "" : " and ").append(quote(fk.get(i))).append(" = ?");
                }
                sql.append(')');
            }
            sql.append(" for update");
            List<Map<String, Object>> out = new ArrayList<>();
            try (PreparedStatement ps = raw.prepareStatement(sql.toString())) {
                int p = 1;
                for (List<Object> key : keys) {
                    for (Object v : key) {
                        ps.setObject(p++, v);
                    }
                }
                ps.setMaxRows(budget + 1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Map<String, Object> row = new LinkedHashMap<>();
                        for (int i = 0; i < cols.size(); i++) {
                            row.put(cols.get(i), rs.getObject(i + 1));
                        }
                        out.add(row);
                    }
                }
            }
            budget -= out.size();
            return budget < 0 ? null : out;
        }

        private String quote(String identifier) throws SQLException {
            return RowImages.quote(raw, identifier);
        }
    }
}
