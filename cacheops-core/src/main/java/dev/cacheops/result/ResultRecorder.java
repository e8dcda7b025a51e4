package dev.cacheops.result;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TimeZone;

/**
 * Records a live result, row by row, while the caller reads it: after each successful
 * {@code next()} the caller hands the result set to {@link #record(ResultSet)}, which reads every
 * column once with {@code getObject} (and {@code getString}, to remember text the driver formats
 * its own way). The rows are encoded as they arrive, so the byte limit is exact.
 *
 * <p>Recording stops for good, dropping what was recorded, once a limit is exceeded
 * ({@link #overLimit()}) or a value cannot be represented faithfully ({@link #unsupported()});
 * the caller keeps streaming rows from the database and simply does not cache. {@code record}
 * never throws, so a recording problem never disturbs the caller's reading.
 *
 * <p>Not thread-safe: one recorder per result set, used by the thread reading it.
 */
public final class ResultRecorder {
    private final List<ColumnMeta> columns;
    private final int maxRows;
    private final long maxBytes;
    private final String zone = TimeZone.getDefault().getID();
    private final int headerBytes;
    private final boolean[] zoned;
    private List<Object[]> rows = new ArrayList<>();
    private ByteWriter encoded = new ByteWriter(256);
    private boolean overLimit;
    private String reason;

    /**
     * @param columns  the result's metadata, from {@link #metadataOf(ResultSetMetaData)}
     * @param maxRows  the most rows worth caching, at least 0
     * @param maxBytes the largest encoded payload worth caching, in bytes
     * @throws IllegalArgumentException if a limit is negative
     */
    public ResultRecorder(List<ColumnMeta> columns, int maxRows, long maxBytes) {
        if (maxRows < 0) {
            throw new IllegalArgumentException("maxRows must be >= 0, was " + maxRows);
        }
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be >= 0, was " + maxBytes);
        }
        this.columns = List.copyOf(Objects.requireNonNull(columns, "columns"));
        this.maxRows = maxRows;
        this.maxBytes = maxBytes;
        this.zoned = new boolean[this.columns.size()];
        for (int i = 0; i < zoned.length; i++) {
            zoned[i] = Texts.isZoned(this.columns.get(i));
        }
        ByteWriter header = new ByteWriter(256);
        ResultCodec.writeHeader(header, this.columns, zone);
        // + 5: the row count's varint, at its widest
        this.headerBytes = header.size() + 5;
        checkBytes();
    }

    /**
     * A recorder for {@code rs}, with its metadata read now (before the first row).
     *
     * @param rs       the live result, not yet advanced
     * @param maxRows  as for the constructor
     * @param maxBytes as for the constructor
     * @return a recorder that is recording
     * @throws SQLException if the driver cannot give the metadata or the column count
     */
    public static ResultRecorder start(ResultSet rs, int maxRows, long maxBytes) throws SQLException {
        return new ResultRecorder(metadataOf(rs.getMetaData()), maxRows, maxBytes);
    }

    /**
     * Records the row {@code rs} is positioned on. Does nothing once recording has stopped.
     * Never throws: a driver failure while reading a value marks the result unsupported.
     *
     * @param rs the live result, positioned on a row by a successful {@code next()}
     */
    public void record(ResultSet rs) {
        if (!recording()) {
            return;
        }
        if (rows.size() >= maxRows) {
            stop(true, "more than " + maxRows + " rows");
            return;
        }
        Object[] row = new Object[columns.size()];
        try {
            for (int i = 0; i < row.length; i++) {
                row[i] = read(rs, i + 1, zoned[i]);
            }
        } catch (Values.Unsupported e) {
            stop(false, e.getMessage());
            return;
        } catch (SQLException | RuntimeException e) {
            stop(false, "reading a value failed: " + e);
            return;
        }
        for (int i = 0; i < row.length; i++) {
            ValueCodec.write(encoded, row[i], zoned[i]);
        }
        rows.add(row);
        checkBytes();
    }

    private Object read(ResultSet rs, int column, boolean zoned) throws SQLException, Values.Unsupported {
        Object value = Values.normalize(rs.getObject(column));
        if (value == null || value instanceof String) {
            return value;
        }
        // NOTE: getString is asked only to learn how the driver prints the value; when it prints
        // it the way Texts would anyway (the common case), nothing extra is stored.
        String text;
        try {
            text = rs.getString(column);
        } catch (SQLException e) {
            return value;
        }
        return text == null || text.equals(Texts.text(value, zoned)) ? value : new DriverText(value, text);
    }

    private void checkBytes() {
        long total = headerBytes + (long) encoded.size();
        if (total > maxBytes) {
            stop(true, "more than " + maxBytes + " bytes encoded");
        }
    }

    private void stop(boolean limit, String why) {
        overLimit = limit;
        reason = why;
        // free what was recorded at once: the caller may go on reading a huge result
        rows = null;
        encoded = null;
    }

    /** True until a limit is exceeded or an unsupported value is seen. */
    public boolean recording() {
        return reason == null;
    }

    /** True when recording stopped because {@code maxRows} or {@code maxBytes} was exceeded. */
    public boolean overLimit() {
        return overLimit;
    }

    /** True when recording stopped because a value cannot be represented faithfully. */
    public boolean unsupported() {
        return reason != null && !overLimit;
    }

    /** Why recording stopped, or {@code null} while it goes on. */
    public String reason() {
        return reason;
    }

    /** The rows recorded so far (0 once recording stopped). */
    public int rowCount() {
        return rows == null ? 0 : rows.size();
    }

    /**
     * The snapshot of everything recorded; call after the result is exhausted.
     *
     * @throws IllegalStateException if recording stopped ({@link #recording()} is false)
     */
    public ResultSnapshot snapshot() {
        if (!recording()) {
            throw new IllegalStateException("recording stopped: " + reason);
        }
        return new ResultSnapshot(columns, rows, zone, encoded.toByteArray());
    }

    /**
     * Snapshots all of a result's metadata. A getter the driver refuses (some throw for what
     * they do not know) is recorded as {@code null}, {@code 0} or {@code false}.
     *
     * @param md the live result's metadata
     * @return one entry per column, column 1 first
     * @throws SQLException if the driver cannot give the column count
     */
    public static List<ColumnMeta> metadataOf(ResultSetMetaData md) throws SQLException {
        int count = md.getColumnCount();
        List<ColumnMeta> columns = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            int c = i;
            columns.add(new ColumnMeta(
                    str(() -> md.getColumnLabel(c)), str(() -> md.getColumnName(c)),
                    num(() -> md.getColumnType(c)), str(() -> md.getColumnTypeName(c)),
                    str(() -> md.getColumnClassName(c)),
                    num(() -> md.getPrecision(c)), num(() -> md.getScale(c)), num(() -> md.isNullable(c)),
                    flag(() -> md.isSigned(c)), flag(() -> md.isAutoIncrement(c)),
                    flag(() -> md.isCaseSensitive(c)), flag(() -> md.isSearchable(c)),
                    flag(() -> md.isCurrency(c)), num(() -> md.getColumnDisplaySize(c)),
                    flag(() -> md.isReadOnly(c)), flag(() -> md.isWritable(c)),
                    flag(() -> md.isDefinitelyWritable(c)),
                    str(() -> md.getTableName(c)), str(() -> md.getSchemaName(c)),
                    str(() -> md.getCatalogName(c))));
        }
        return columns;
    }

    private interface Getter<T> {
        T get() throws SQLException;
    }

    private static String str(Getter<String> g) {
        try {
            return g.get();
        } catch (SQLException | RuntimeException e) {
            return null;
        }
    }

    private static int num(Getter<Integer> g) {
        try {
            return g.get();
        } catch (SQLException | RuntimeException e) {
            return 0;
        }
    }

    private static boolean flag(Getter<Boolean> g) {
        try {
            return g.get();
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }
}
