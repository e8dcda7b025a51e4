package dev.cacheops.result;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Date;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link java.sql.ResultSet} that replays a {@link ResultSnapshot}, so that the code reading it
 * cannot tell it from the driver's own: same values, same Java types from {@code getObject}, the
 * conversions drivers perform, the recorded metadata.
 *
 * <p>{@code TYPE_FORWARD_ONLY} unless built with a scrollable type, in which case the scrolling
 * methods work too; always {@code CONCUR_READ_ONLY}. Column labels are matched ignoring case,
 * the first matching column winning, as drivers do. After {@link #close()} every method but
 * {@code close}, {@code isClosed} and the wrapper methods throws {@link SQLException}.
 *
 * <p>Not thread-safe, like a driver's result set: one reader at a time.
 */
public final class ReplayResultSet extends DerivedGetters {
    private final ResultSnapshot snapshot;
    private final Statement statement;
    private final int type;
    private final int holdability;
    private final Map<String, Integer> labels;
    private final boolean[] zoned;
    /** 0 before the first row, rowCount + 1 after the last. */
    private int cursor;
    private boolean wasNull;
    private boolean closed;
    private int fetchSize;
    private int fetchDirection = FETCH_FORWARD;
    private SnapshotMetaData metaData;

    /**
     * A forward-only replay.
     *
     * @param snapshot  the result to replay
     * @param statement what {@link #getStatement()} returns (the wrapper passes its own); may be null
     */
    public ReplayResultSet(ResultSnapshot snapshot, Statement statement) {
        this(snapshot, statement, TYPE_FORWARD_ONLY, CLOSE_CURSORS_AT_COMMIT);
    }

    /**
     * @param snapshot    the result to replay
     * @param statement   what {@link #getStatement()} returns; may be null
     * @param type        {@code TYPE_FORWARD_ONLY}, {@code TYPE_SCROLL_INSENSITIVE} or
     *                    {@code TYPE_SCROLL_SENSITIVE} (a snapshot cannot change, so both scroll
     *                    types behave alike)
     * @param holdability what {@link #getHoldability()} reports
     * @throws IllegalArgumentException for an unknown type
     */
    public ReplayResultSet(ResultSnapshot snapshot, Statement statement, int type, int holdability) {
        if (type != TYPE_FORWARD_ONLY && type != TYPE_SCROLL_INSENSITIVE && type != TYPE_SCROLL_SENSITIVE) {
            throw new IllegalArgumentException("unknown result set type " + type);
        }
        this.snapshot = Objects.requireNonNull(snapshot, "snapshot");
        this.statement = statement;
        this.type = type;
        this.holdability = holdability;
        int n = snapshot.columnCount();
        this.labels = new HashMap<>(n * 2);
        this.zoned = new boolean[n];
        for (int i = n - 1; i >= 0; i--) {
            ColumnMeta c = snapshot.columns().get(i);
            // iterating backwards so that the first column with a label wins
            if (c.label() != null) {
                labels.put(c.label().toLowerCase(Locale.ROOT), i + 1);
            }
            zoned[i] = Texts.isZoned(c);
        }
    }

    @Override
    void checkOpen() throws SQLException {
        if (closed) {
            throw new SQLException("This ResultSet is closed.", "55000");
        }
    }

    /** The stored value of a column on the current row; sets {@link #wasNull()}. */
    private Object value(int columnIndex) throws SQLException {
        checkOpen();
        if (cursor < 1 || cursor > snapshot.rowCount()) {
            throw new SQLException("ResultSet not positioned properly, perhaps you need to call next.", "24000");
        }
        if (columnIndex < 1 || columnIndex > snapshot.columnCount()) {
            throw new SQLException("The column index is out of range: " + columnIndex + ", number of columns: "
                    + snapshot.columnCount() + ".", "22023");
        }
        Object v = snapshot.value(cursor - 1, columnIndex - 1);
        wasNull = v == null;
        return v;
    }

    // ---------------------------------------------------------------- navigation

    @Override
    public boolean next() throws SQLException {
        checkOpen();
        if (cursor <= snapshot.rowCount()) {
            cursor++;
        }
        return onRow();
    }

    private boolean onRow() {
        return cursor >= 1 && cursor <= snapshot.rowCount();
    }

    private void requireScrollable() throws SQLException {
        checkOpen();
        if (type == TYPE_FORWARD_ONLY) {
            throw new SQLException("Operation requires a scrollable ResultSet, but this ResultSet is FORWARD_ONLY.",
                    "24000");
        }
    }

    @Override
    public boolean previous() throws SQLException {
        requireScrollable();
        if (cursor > 0) {
            cursor--;
        }
        return onRow();
    }

    @Override
    public boolean first() throws SQLException {
        return absolute(1);
    }

    @Override
    public boolean last() throws SQLException {
        return absolute(-1);
    }

    @Override
    public void beforeFirst() throws SQLException {
        requireScrollable();
        cursor = 0;
    }

    @Override
    public void afterLast() throws SQLException {
        requireScrollable();
        cursor = snapshot.rowCount() + 1;
    }

    @Override
    public boolean absolute(int row) throws SQLException {
        requireScrollable();
        int rows = snapshot.rowCount();
        if (row >= 0) {
            cursor = Math.min(row, rows + 1);
        } else {
            cursor = Math.max(rows + 1 + row, 0);
        }
        return onRow();
    }

    @Override
    public boolean relative(int rows) throws SQLException {
        requireScrollable();
        long target = (long) cursor + rows;
        cursor = (int) Math.max(0, Math.min(target, snapshot.rowCount() + 1L));
        return onRow();
    }

    @Override
    public int getRow() throws SQLException {
        checkOpen();
        return onRow() ? cursor : 0;
    }

    @Override
    public boolean isBeforeFirst() throws SQLException {
        checkOpen();
        return cursor == 0 && snapshot.rowCount() > 0;
    }

    @Override
    public boolean isAfterLast() throws SQLException {
        checkOpen();
        return cursor > snapshot.rowCount() && snapshot.rowCount() > 0;
    }

    @Override
    public boolean isFirst() throws SQLException {
        checkOpen();
        return cursor == 1 && snapshot.rowCount() > 0;
    }

    @Override
    public boolean isLast() throws SQLException {
        checkOpen();
        return cursor == snapshot.rowCount() && cursor > 0;
    }

    // ---------------------------------------------------------------- state

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public boolean wasNull() throws SQLException {
        checkOpen();
        return wasNull;
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public void clearWarnings() throws SQLException {
        checkOpen();
    }

    @Override
    public String getCursorName() throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        checkOpen();
        if (metaData == null) {
            metaData = new SnapshotMetaData(snapshot.columns());
        }
        return metaData;
    }

    @Override
    public int findColumn(String columnLabel) throws SQLException {
        checkOpen();
        Integer i = columnLabel == null ? null : labels.get(columnLabel.toLowerCase(Locale.ROOT));
        if (i == null) {
            throw new SQLException("The column name " + columnLabel + " was not found in this ResultSet.", "42703");
        }
        return i;
    }

    @Override
    public void setFetchDirection(int direction) throws SQLException {
        checkOpen();
        if (direction != FETCH_FORWARD && direction != FETCH_REVERSE && direction != FETCH_UNKNOWN) {
            throw new SQLException("Invalid fetch direction constant: " + direction, "22023");
        }
        if (direction != FETCH_FORWARD && type == TYPE_FORWARD_ONLY) {
            throw new SQLException("Operation requires a scrollable ResultSet, but this ResultSet is FORWARD_ONLY.",
                    "24000");
        }
        fetchDirection = direction;
    }

    @Override
    public int getFetchDirection() throws SQLException {
        checkOpen();
        return fetchDirection;
    }

    @Override
    public void setFetchSize(int rows) throws SQLException {
        checkOpen();
        if (rows < 0) {
            throw new SQLException("Fetch size must be a value greater to or equal to 0.", "22023");
        }
        fetchSize = rows;
    }

    @Override
    public int getFetchSize() throws SQLException {
        checkOpen();
        return fetchSize;
    }

    @Override
    public int getType() throws SQLException {
        checkOpen();
        return type;
    }

    @Override
    public int getHoldability() throws SQLException {
        checkOpen();
        return holdability;
    }

    @Override
    public Statement getStatement() throws SQLException {
        checkOpen();
        return statement;
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface != null && iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("Cannot unwrap to " + (iface == null ? null : iface.getName()));
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface != null && iface.isInstance(this);
    }

    // ---------------------------------------------------------------- getters by index

    @Override
    public String getString(int columnIndex) throws SQLException {
        return Texts.string(value(columnIndex), zoned[columnIndex - 1]);
    }

    @Override
    public boolean getBoolean(int columnIndex) throws SQLException {
        return Conversions.toBoolean(value(columnIndex));
    }

    @Override
    public byte getByte(int columnIndex) throws SQLException {
        return (byte) Conversions.toLong(value(columnIndex), Byte.MIN_VALUE, Byte.MAX_VALUE, "byte");
    }

    @Override
    public short getShort(int columnIndex) throws SQLException {
        return (short) Conversions.toLong(value(columnIndex), Short.MIN_VALUE, Short.MAX_VALUE, "short");
    }

    @Override
    public int getInt(int columnIndex) throws SQLException {
        return (int) Conversions.toLong(value(columnIndex), Integer.MIN_VALUE, Integer.MAX_VALUE, "int");
    }

    @Override
    public long getLong(int columnIndex) throws SQLException {
        return Conversions.toLong(value(columnIndex), Long.MIN_VALUE, Long.MAX_VALUE, "long");
    }

    @Override
    public float getFloat(int columnIndex) throws SQLException {
        Object v = value(columnIndex);
        return v == null ? 0 : Conversions.toFloat(v);
    }

    @Override
    public double getDouble(int columnIndex) throws SQLException {
        Object v = value(columnIndex);
        return v == null ? 0 : Conversions.toDoubleViaText(v);
    }

    @Override
    public BigDecimal getBigDecimal(int columnIndex) throws SQLException {
        return Conversions.toBigDecimal(value(columnIndex));
    }

    @Deprecated
    @Override
    public BigDecimal getBigDecimal(int columnIndex, int scale) throws SQLException {
        return Conversions.toBigDecimal(value(columnIndex), scale);
    }

    @Override
    public byte[] getBytes(int columnIndex) throws SQLException {
        return Conversions.toBytes(value(columnIndex), zoned[columnIndex - 1]);
    }

    @Override
    public Date getDate(int columnIndex) throws SQLException {
        return Temporals.toDate(value(columnIndex), null, zoned[columnIndex - 1]);
    }

    @Override
    public Date getDate(int columnIndex, Calendar cal) throws SQLException {
        return Temporals.toDate(value(columnIndex), cal, zoned[columnIndex - 1]);
    }

    @Override
    public Time getTime(int columnIndex) throws SQLException {
        return Temporals.toTime(value(columnIndex), null, zoned[columnIndex - 1]);
    }

    @Override
    public Time getTime(int columnIndex, Calendar cal) throws SQLException {
        return Temporals.toTime(value(columnIndex), cal, zoned[columnIndex - 1]);
    }

    @Override
    public Timestamp getTimestamp(int columnIndex) throws SQLException {
        return Temporals.toTimestamp(value(columnIndex), null, zoned[columnIndex - 1]);
    }

    @Override
    public Timestamp getTimestamp(int columnIndex, Calendar cal) throws SQLException {
        return Temporals.toTimestamp(value(columnIndex), cal, zoned[columnIndex - 1]);
    }

    @Override
    public Object getObject(int columnIndex) throws SQLException {
        return Conversions.object(value(columnIndex));
    }

    @Override
    public Object getObject(int columnIndex, Map<String, Class<?>> map) throws SQLException {
        if (map != null && !map.isEmpty()) {
            checkOpen();
            throw new SQLFeatureNotSupportedException("custom type maps are not supported on cached results");
        }
        return getObject(columnIndex);
    }

    @Override
    public <T> T getObject(int columnIndex, Class<T> type) throws SQLException {
        Object v = value(columnIndex);
        return Conversions.to(v, type, zoned[columnIndex - 1]);
    }

    @Override
    public Array getArray(int columnIndex) throws SQLException {
        Object v = DriverText.unwrap(value(columnIndex));
        if (v == null || v instanceof Array) {
            return (Array) v;
        }
        throw Conversions.bad(v, "array");
    }
}
