package dev.cacheops.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads row images of one table, the columns an invalidation needs, with plain selects on the
 * writer's own connection: by the write's condition ({@code FOR UPDATE}, before the write, in its
 * transaction) or by key. Not thread-safe; one per write execution.
 */
final class RowImages {
    private final Connection raw;
    private final TableInfo table;
    private final List<String> columns;
    private final int limit;

    /**
     * @param limit reading stops after {@code limit + 1} rows by condition (the caller then
     *              invalidates the whole table)
     */
    RowImages(Connection raw, TableInfo table, java.util.Collection<String> columns, int limit) {
        this.raw = raw;
        this.table = table;
        this.columns = List.copyOf(columns);
        this.limit = limit;
    }

    /** The rows {@code where} selects in {@code target} (as the write names them), locked. */
    List<Map<String, Object>> where(String target, String where, Params params, List<Integer> whereParameters)
            throws SQLException {
        String sql = "select " + selectList() + " from " + target + (where == null ? "" : " where " + where)
                + " for update";
        List<Map<String, Object>> out = new ArrayList<>();
        try (PreparedStatement ps = raw.prepareStatement(sql)) {
            params.bindTo(ps, whereParameters);
            ps.setMaxRows(limit + 1);
            try (ResultSet rs = ps.executeQuery()) {
                read(rs, out);
            }
        }
        return out;
    }

    /**
     * The rows with these key values; each value is a Java value (bound) or a
     * {@link Written.LiteralValue} (written into the SQL, so the database coerces it).
     */
    List<Map<String, Object>> byKey(List<String> key, List<List<Object>> keyValues, boolean lock) throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (List<Object> values : keyValues) {
            StringBuilder cond = new StringBuilder();
            List<Object> bound = new ArrayList<>();
            for (int i = 0; i < key.size(); i++) {
                cond.append(i == 0 ? "" : " and ").append(quote(key.get(i))).append(" = ");
                if (values.get(i) instanceof Written.LiteralValue l) {
                    cond.append(l.sql());
                } else {
                    cond.append('?');
                    bound.add(values.get(i));
                }
            }
            String sql = "select " + selectList() + " from " + qualifiedName() + " where " + cond
                    + (lock ? " for update" : "");
            try (PreparedStatement ps = raw.prepareStatement(sql)) {
                for (int i = 0; i < bound.size(); i++) {
                    ps.setObject(i + 1, bound.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    read(rs, out);
                }
            }
        }
        return out;
    }

    private void read(ResultSet rs, List<Map<String, Object>> into) throws SQLException {
        while (rs.next()) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                row.put(columns.get(i), rs.getObject(i + 1));
            }
            into.add(row);
        }
    }

    private String qualifiedName() throws SQLException {
        return (table.schema() == null || table.schema().isEmpty() ? "" : quote(table.schema()) + ".")
                + quote(table.name());
    }

    private String selectList() throws SQLException {
        StringBuilder b = new StringBuilder();
        for (String c : columns) {
            b.append(b.length() == 0 ? "" : ", ").append(quote(c));
        }
        return b.toString();
    }

    private String quote(String identifier) throws SQLException {
        return quote(raw, identifier);
    }

    /** {@code identifier} quoted as the connection's database quotes identifiers. */
    static String quote(Connection raw, String identifier) throws SQLException {
        String q = raw.getMetaData().getIdentifierQuoteString();
        if (q == null || q.isBlank()) {
            return identifier;
        }
        q = q.trim();
        return q + identifier.replace(q, q + q) + q;
    }
}
