package dev.cacheops.result;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A complete query result held in memory: the column metadata and every row's values, each of
 * a fixed set of Java types (see the package documentation). Built by {@link ResultRecorder} or
 * by {@link ResultCodec#decode(byte[])}, replayed by {@link ReplayResultSet}.
 *
 * <p>Immutable and thread-safe: the snapshot never hands out its arrays, and the replaying
 * result set copies the mutable values ({@code byte[]}, {@code java.sql} temporals) it returns.
 */
public final class ResultSnapshot {
    private final List<ColumnMeta> columns;
    private final List<Object[]> rows;
    private final String timeZone;
    /** The rows already encoded by the recorder, so encoding the snapshot is a copy; may be null. */
    private final byte[] encodedRows;

    ResultSnapshot(List<ColumnMeta> columns, List<Object[]> rows, String timeZone, byte[] encodedRows) {
        this.columns = List.copyOf(columns);
        this.rows = List.copyOf(rows);
        this.timeZone = Objects.requireNonNull(timeZone, "timeZone");
        this.encodedRows = encodedRows;
        for (Object[] row : rows) {
            if (row.length != columns.size()) {
                throw new IllegalArgumentException("row of " + row.length + " values for "
                        + columns.size() + " columns");
            }
        }
    }

    /** The column metadata, in column order (column {@code i} is at index {@code i - 1}). */
    public List<ColumnMeta> columns() {
        return columns;
    }

    /** The number of columns. */
    public int columnCount() {
        return columns.size();
    }

    /** The number of rows. */
    public int rowCount() {
        return rows.size();
    }

    /**
     * The id of the JVM default time zone when the result was recorded. The {@code java.sql}
     * temporals of wall-clock columns are kept as their local fields and replay as the same
     * wall-clock value in any zone (what a driver there would return); those of
     * {@code timestamptz} columns are kept as instants. Only a value whose local fields would not
     * rebuild it exactly (a {@code java.sql.Date} that is not at local midnight, say) is kept as
     * epoch milliseconds, which replays an equal object only in a JVM with this zone.
     */
    public String timeZone() {
        return timeZone;
    }

    /** The stored value at a 0-based row and column, as held internally (not copied). */
    Object value(int row, int column) {
        return rows.get(row)[column];
    }

    /**
     * A one-row result made of row {@code row}'s values at {@code columns} (0-based), described by
     * {@code metas}: what a query of those columns of that row alone returns, when each meta
     * describes the same column as this snapshot's at that index (the caller checks).
     */
    public ResultSnapshot row(int row, int[] columns, List<ColumnMeta> metas) {
        Object[] from = rows.get(row);
        Object[] values = new Object[columns.length];
        for (int i = 0; i < columns.length; i++) {
            values[i] = from[columns[i]];
        }
        return new ResultSnapshot(metas, List.<Object[]>of(values), timeZone, null);
    }

    /** The value at a 0-based row and column: a {@link String}, {@link Long}, ..., or null. */
    public Object valueAt(int row, int column) {
        Object v = rows.get(row)[column];
        return v instanceof byte[] b ? b.clone() : v;
    }

    byte[] encodedRows() {
        return encodedRows;
    }

    /** Structural equality: same metadata, same zone, same values (arrays compared deeply). */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ResultSnapshot other)) {
            return false;
        }
        if (!columns.equals(other.columns) || !timeZone.equals(other.timeZone)
                || rows.size() != other.rows.size()) {
            return false;
        }
        for (int i = 0; i < rows.size(); i++) {
            if (!Arrays.deepEquals(rows.get(i), other.rows.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = columns.hashCode();
        for (Object[] row : rows) {
            h = 31 * h + Arrays.deepHashCode(row);
        }
        return h;
    }

    @Override
    public String toString() {
        return "ResultSnapshot[" + columns.size() + " columns, " + rows.size() + " rows]";
    }
}
