package dev.cacheops.result;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A recorded {@link java.sql.Array}: the base type and the elements as the driver's
 * {@code getArray()} returned them, with the same component class ({@code Integer[]} stays
 * {@code Integer[]}; nested arrays for multi-dimensional columns). Immutable: every
 * {@code getArray} returns a fresh copy.
 */
final class SnapshotArray implements Array {
    private final int baseType;
    private final String baseTypeName;
    private final Object[] elements;

    SnapshotArray(int baseType, String baseTypeName, Object[] elements) {
        this.baseType = baseType;
        this.baseTypeName = baseTypeName;
        this.elements = elements;
    }

    int baseTypeCode() {
        return baseType;
    }

    String baseTypeNameOrNull() {
        return baseTypeName;
    }

    Object[] elementsUnsafe() {
        return elements;
    }

    @Override
    public String getBaseTypeName() {
        return baseTypeName;
    }

    @Override
    public int getBaseType() {
        return baseType;
    }

    @Override
    public Object getArray() {
        return deepCopy(elements);
    }

    @Override
    public Object getArray(Map<String, Class<?>> map) throws SQLException {
        requireEmpty(map);
        return getArray();
    }

    @Override
    public Object getArray(long index, int count) throws SQLException {
        int from = checkSlice(index, count);
        return deepCopy(Arrays.copyOfRange(elements, from, from + count));
    }

    @Override
    public Object getArray(long index, int count, Map<String, Class<?>> map) throws SQLException {
        requireEmpty(map);
        return getArray(index, count);
    }

    @Override
    public ResultSet getResultSet() throws SQLException {
        return slice(0, elements.length);
    }

    @Override
    public ResultSet getResultSet(Map<String, Class<?>> map) throws SQLException {
        requireEmpty(map);
        return getResultSet();
    }

    @Override
    public ResultSet getResultSet(long index, int count) throws SQLException {
        return slice(checkSlice(index, count), count);
    }

    @Override
    public ResultSet getResultSet(long index, int count, Map<String, Class<?>> map) throws SQLException {
        requireEmpty(map);
        return getResultSet(index, count);
    }

    /** Like the drivers: two columns, the 1-based element index and the element value. */
    private ResultSet slice(int from, int count) {
        List<ColumnMeta> cols = List.of(
                column("INDEX", Types.INTEGER, "int4", Integer.class.getName()),
                column("VALUE", baseType, baseTypeName, elements.getClass().getComponentType().getName()));
        List<Object[]> rows = new ArrayList<>(count);
        for (int i = from; i < from + count; i++) {
            rows.add(new Object[] {i + 1, elements[i]});
        }
        return new ReplayResultSet(new ResultSnapshot(cols, rows, java.util.TimeZone.getDefault().getID(), null),
                null);
    }

    private static ColumnMeta column(String name, int type, String typeName, String className) {
        return new ColumnMeta(name, name, type, typeName, className, 0, 0, java.sql.ResultSetMetaData.columnNullableUnknown,
                false, false, false, false, false, 0, true, false, false, "", "", "");
    }

    private int checkSlice(long index, int count) throws SQLException {
        if (index < 1 || count < 0 || index - 1 + count > elements.length) {
            throw new SQLException("array slice " + index + "+" + count + " out of 1.." + elements.length);
        }
        return (int) (index - 1);
    }

    private static void requireEmpty(Map<String, Class<?>> map) throws SQLException {
        if (map != null && !map.isEmpty()) {
            throw new SQLFeatureNotSupportedException("custom type maps are not supported on cached arrays");
        }
    }

    @Override
    public void free() {
        // nothing to release: the elements are plain heap objects
    }

    static Object[] deepCopy(Object[] a) {
        Object[] copy = a.clone();
        for (int i = 0; i < copy.length; i++) {
            if (copy[i] instanceof Object[] nested) {
                copy[i] = deepCopy(nested);
            } else if (copy[i] instanceof byte[] b) {
                copy[i] = b.clone();
            } else if (copy[i] instanceof java.util.Date d) {
                copy[i] = d.clone();
            }
        }
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SnapshotArray other && baseType == other.baseType
                && java.util.Objects.equals(baseTypeName, other.baseTypeName)
                && elements.getClass() == other.elements.getClass()
                && Arrays.deepEquals(elements, other.elements);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(elements) * 31 + baseType;
    }

    /** The PostgreSQL array literal, e.g. {@code {1,2,NULL}}. */
    @Override
    public String toString() {
        return Texts.text(this);
    }
}
