package dev.cacheops.checker;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A read's outcome in comparable form: the column labels and every value as
 * {@code JavaClass:text} (so a replay that changes a value's type shows as well as one that
 * changes its value), or the error the read raised. Immutable.
 *
 * @param labels column labels, lower case
 * @param rows   the rows in the order the result set gave them
 * @param error  the error's SQLState and message, or null when the read succeeded
 */
public record ResultRows(List<String> labels, List<List<String>> rows, String error) {

    /** Reads a result set to its end (does not close it). */
    static ResultRows of(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        List<String> labels = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            labels.add(md.getColumnLabel(i).toLowerCase(Locale.ROOT));
        }
        List<List<String>> rows = new ArrayList<>();
        while (rs.next()) {
            List<String> row = new ArrayList<>(n);
            for (int i = 1; i <= n; i++) {
                row.add(render(rs.getObject(i)));
            }
            rows.add(List.copyOf(row));
        }
        return new ResultRows(List.copyOf(labels), List.copyOf(rows), null);
    }

    /** True when the read failed waiting for a lock (PostgreSQL 55P03, H2 HYT00). */
    boolean lockTimeout() {
        return error != null && (error.startsWith("55P03") || error.startsWith("HYT00"));
    }

    /** The outcome of a read that failed. */
    static ResultRows failed(SQLException e) {
        return new ResultRows(List.of(), List.of(), e.getSQLState() + " " + e.getMessage());
    }

    private static String render(Object v) {
        if (v == null) {
            return "null";
        }
        String text = v instanceof BigDecimal b ? b.toPlainString() : String.valueOf(v);
        return v.getClass().getSimpleName() + ":" + text;
    }

    /** The rows sorted, for comparing results whose order is not total. */
    List<List<String>> sortedRows() {
        List<List<String>> copy = new ArrayList<>(rows);
        copy.sort((a, b) -> String.join("\u0001", a).compareTo(String.join("\u0001", b)));
        return copy;
    }

    @Override
    public String toString() {
        if (error != null) {
            return "error " + error;
        }
        StringBuilder sb = new StringBuilder(labels.toString()).append(" ").append(rows.size()).append(" rows");
        int shown = Math.min(rows.size(), 12);
        for (int i = 0; i < shown; i++) {
            sb.append("\n      ").append(rows.get(i));
        }
        if (shown < rows.size()) {
            sb.append("\n      ...");
        }
        return sb.toString();
    }
}
