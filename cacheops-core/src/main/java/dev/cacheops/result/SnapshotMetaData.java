package dev.cacheops.result;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.List;

/**
 * The {@link ResultSetMetaData} of a replayed result: every answer is the one the driver gave
 * when the result was recorded. Immutable and thread-safe.
 */
public final class SnapshotMetaData implements ResultSetMetaData {
    private final List<ColumnMeta> columns;

    /**
     * @param columns the recorded metadata, column 1 first
     */
    public SnapshotMetaData(List<ColumnMeta> columns) {
        this.columns = List.copyOf(columns);
    }

    private ColumnMeta col(int column) throws SQLException {
        if (column < 1 || column > columns.size()) {
            throw new SQLException("The column index is out of range: " + column + ", number of columns: "
                    + columns.size() + ".", "22023");
        }
        return columns.get(column - 1);
    }

    /** {@inheritDoc} */
    @Override
    public int getColumnCount() {
        return columns.size();
    }

    @Override
    public boolean isAutoIncrement(int column) throws SQLException {
        return col(column).autoIncrement();
    }

    @Override
    public boolean isCaseSensitive(int column) throws SQLException {
        return col(column).caseSensitive();
    }

    @Override
    public boolean isSearchable(int column) throws SQLException {
        return col(column).searchable();
    }

    @Override
    public boolean isCurrency(int column) throws SQLException {
        return col(column).currency();
    }

    @Override
    public int isNullable(int column) throws SQLException {
        return col(column).nullable();
    }

    @Override
    public boolean isSigned(int column) throws SQLException {
        return col(column).signed();
    }

    @Override
    public int getColumnDisplaySize(int column) throws SQLException {
        return col(column).displaySize();
    }

    @Override
    public String getColumnLabel(int column) throws SQLException {
        return col(column).label();
    }

    @Override
    public String getColumnName(int column) throws SQLException {
        return col(column).name();
    }

    @Override
    public String getSchemaName(int column) throws SQLException {
        return col(column).schemaName();
    }

    @Override
    public int getPrecision(int column) throws SQLException {
        return col(column).precision();
    }

    @Override
    public int getScale(int column) throws SQLException {
        return col(column).scale();
    }

    @Override
    public String getTableName(int column) throws SQLException {
        return col(column).tableName();
    }

    @Override
    public String getCatalogName(int column) throws SQLException {
        return col(column).catalogName();
    }

    @Override
    public int getColumnType(int column) throws SQLException {
        return col(column).type();
    }

    @Override
    public String getColumnTypeName(int column) throws SQLException {
        return col(column).typeName();
    }

    @Override
    public boolean isReadOnly(int column) throws SQLException {
        return col(column).readOnly();
    }

    @Override
    public boolean isWritable(int column) throws SQLException {
        return col(column).writable();
    }

    @Override
    public boolean isDefinitelyWritable(int column) throws SQLException {
        return col(column).definitelyWritable();
    }

    @Override
    public String getColumnClassName(int column) throws SQLException {
        return col(column).className();
    }

    /** Unwraps to this object for any interface it implements; else throws SQLException. */
    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface != null && iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("not a wrapper for " + iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface != null && iface.isInstance(this);
    }
}
