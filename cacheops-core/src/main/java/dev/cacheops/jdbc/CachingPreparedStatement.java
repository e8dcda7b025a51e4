package dev.cacheops.jdbc;

import dev.cacheops.engine.Params;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A prepared statement through the cache. Its SQL is planned once; every setter is remembered
 * (value and the exact call, replayed on old-image selects) so that each execution can be keyed,
 * bound to its conditions, and invalidated by its values. Batches remember every parameter set.
 */
class CachingPreparedStatement extends DelegatingPreparedStatement {
    final StatementCore core;
    final String sql;
    final Params params = new Params();
    private final List<Params> batch = new ArrayList<>();
    /** Prepared asking for generated keys: a write must run as the caller's statement. */
    private final boolean keys;

    CachingPreparedStatement(CachingConnection conn, PreparedStatement raw, String sql) {
        this(conn, raw, sql, false);
    }

    CachingPreparedStatement(CachingConnection conn, PreparedStatement raw, String sql, boolean keys) {
        super(raw);
        this.core = new StatementCore(conn, this, raw);
        this.sql = sql;
        this.keys = keys;
    }

    @Override
    public Connection getConnection() {
        return core.connection();
    }

    @Override
    public ResultSet executeQuery() throws SQLException {
        return core.query(sql, params, delegate::executeQuery);
    }

    @Override
    public boolean execute() throws SQLException {
        return core.execute(sql, params, delegate::execute, !keys);
    }

    @Override
    public int executeUpdate() throws SQLException {
        return core.update(sql, params, delegate::executeUpdate, keys ? null : n -> (int) Math.min(n, Integer.MAX_VALUE));
    }

    @Override
    public long executeLargeUpdate() throws SQLException {
        return core.update(sql, params, delegate::executeLargeUpdate, keys ? null : n -> n);
    }

    @Override
    public void addBatch() throws SQLException {
        delegate.addBatch();
        batch.add(params.copy());
    }

    @Override
    public void clearBatch() throws SQLException {
        delegate.clearBatch();
        batch.clear();
    }

    @Override
    public int[] executeBatch() throws SQLException {
        List<Params> rows = List.copyOf(batch);
        batch.clear();
        return core.batch(List.of(sql), rows, delegate::executeBatch);
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        List<Params> rows = List.copyOf(batch);
        batch.clear();
        return core.batch(List.of(sql), rows, delegate::executeLargeBatch);
    }

    @Override
    public ResultSet getResultSet() throws SQLException {
        return core.resultSet();
    }

    @Override
    public int getUpdateCount() throws SQLException {
        return core.updateCount();
    }

    @Override
    public long getLargeUpdateCount() throws SQLException {
        return core.largeUpdateCount();
    }

    @Override
    public boolean getMoreResults() throws SQLException {
        return core.moreResults(CLOSE_CURRENT_RESULT);
    }

    @Override
    public boolean getMoreResults(int current) throws SQLException {
        return core.moreResults(current);
    }

    @Override
    public ResultSet getGeneratedKeys() throws SQLException {
        return core.generatedKeys();
    }

    @Override
    public void clearParameters() throws SQLException {
        delegate.clearParameters();
        params.clear();
    }

    @Override
    public void setNull(int parameterIndex, int sqlType) throws SQLException {
        delegate.setNull(parameterIndex, sqlType);
        params.set(parameterIndex, null, sqlType, (ps, i) -> ps.setNull(i, sqlType));
    }

    @Override
    public void setNull(int parameterIndex, int sqlType, String typeName) throws SQLException {
        delegate.setNull(parameterIndex, sqlType, typeName);
        params.set(parameterIndex, null, sqlType, (ps, i) -> ps.setNull(i, sqlType, typeName));
    }

    @Override
    public void setBoolean(int parameterIndex, boolean x) throws SQLException {
        delegate.setBoolean(parameterIndex, x);
        params.set(parameterIndex, x, (ps, i) -> ps.setBoolean(i, x));
    }

    @Override
    public void setByte(int parameterIndex, byte x) throws SQLException {
        delegate.setByte(parameterIndex, x);
        params.set(parameterIndex, x, (ps, i) -> ps.setByte(i, x));
    }

    @Override
    public void setShort(int parameterIndex, short x) throws SQLException {
        delegate.setShort(parameterIndex, x);
        params.set(parameterIndex, x, (ps, i) -> ps.setShort(i, x));
    }

    @Override
    public void setInt(int parameterIndex, int x) throws SQLException {
        delegate.setInt(parameterIndex, x);
        params.set(parameterIndex, x, (ps, i) -> ps.setInt(i, x));
    }

    @Override
    public void setLong(int parameterIndex, long x) throws SQLException {
        delegate.setLong(parameterIndex, x);
        params.set(parameterIndex, x, (ps, i) -> ps.setLong(i, x));
    }

    @Override
    public void setFloat(int parameterIndex, float x) throws SQLException {
        delegate.setFloat(parameterIndex, x);
        params.set(parameterIndex, x, (ps, i) -> ps.setFloat(i, x));
    }

    @Override
    public void setDouble(int parameterIndex, double x) throws SQLException {
        delegate.setDouble(parameterIndex, x);
        params.set(parameterIndex, x, (ps, i) -> ps.setDouble(i, x));
    }

    @Override
    public void setBigDecimal(int parameterIndex, java.math.BigDecimal x) throws SQLException {
        delegate.setBigDecimal(parameterIndex, x);
        params.set(parameterIndex, x, (ps, i) -> ps.setBigDecimal(i, x));
    }

    @Override
    public void setString(int parameterIndex, String x) throws SQLException {
        delegate.setString(parameterIndex, x);
        params.set(parameterIndex, x, (ps, i) -> ps.setString(i, x));
    }

    @Override
    public void setNString(int parameterIndex, String value) throws SQLException {
        delegate.setNString(parameterIndex, value);
        params.set(parameterIndex, value, (ps, i) -> ps.setNString(i, value));
    }

    @Override
    public void setBytes(int parameterIndex, byte[] x) throws SQLException {
        delegate.setBytes(parameterIndex, x);
        params.set(parameterIndex, x == null ? null : x.clone(), (ps, i) -> ps.setBytes(i, x));
    }

    @Override
    public void setDate(int parameterIndex, java.sql.Date x) throws SQLException {
        delegate.setDate(parameterIndex, x);
        params.set(parameterIndex, x, (ps, i) -> ps.setDate(i, x));
    }

    @Override
    public void setDate(int parameterIndex, java.sql.Date x, java.util.Calendar cal) throws SQLException {
        delegate.setDate(parameterIndex, x, cal);
        params.opaque(parameterIndex, (ps, i) -> ps.setDate(i, x, cal));
    }

    @Override
    public void setTime(int parameterIndex, java.sql.Time x) throws SQLException {
        delegate.setTime(parameterIndex, x);
        params.set(parameterIndex, x, (ps, i) -> ps.setTime(i, x));
    }

    @Override
    public void setTime(int parameterIndex, java.sql.Time x, java.util.Calendar cal) throws SQLException {
        delegate.setTime(parameterIndex, x, cal);
        params.opaque(parameterIndex, (ps, i) -> ps.setTime(i, x, cal));
    }

    @Override
    public void setTimestamp(int parameterIndex, java.sql.Timestamp x) throws SQLException {
        delegate.setTimestamp(parameterIndex, x);
        params.set(parameterIndex, x, (ps, i) -> ps.setTimestamp(i, x));
    }

    @Override
    public void setTimestamp(int parameterIndex, java.sql.Timestamp x, java.util.Calendar cal) throws SQLException {
        delegate.setTimestamp(parameterIndex, x, cal);
        params.opaque(parameterIndex, (ps, i) -> ps.setTimestamp(i, x, cal));
    }

    @Override
    public void setAsciiStream(int parameterIndex, java.io.InputStream x, int length) throws SQLException {
        delegate.setAsciiStream(parameterIndex, x, length);
        params.opaque(parameterIndex, (ps, i) -> ps.setAsciiStream(i, x, length));
    }

    @Override
    public void setAsciiStream(int parameterIndex, java.io.InputStream x, long length) throws SQLException {
        delegate.setAsciiStream(parameterIndex, x, length);
        params.opaque(parameterIndex, (ps, i) -> ps.setAsciiStream(i, x, length));
    }

    @Override
    public void setAsciiStream(int parameterIndex, java.io.InputStream x) throws SQLException {
        delegate.setAsciiStream(parameterIndex, x);
        params.opaque(parameterIndex, (ps, i) -> ps.setAsciiStream(i, x));
    }

    @Override
    public void setBinaryStream(int parameterIndex, java.io.InputStream x, int length) throws SQLException {
        delegate.setBinaryStream(parameterIndex, x, length);
        params.opaque(parameterIndex, (ps, i) -> ps.setBinaryStream(i, x, length));
    }

    @Override
    public void setBinaryStream(int parameterIndex, java.io.InputStream x, long length) throws SQLException {
        delegate.setBinaryStream(parameterIndex, x, length);
        params.opaque(parameterIndex, (ps, i) -> ps.setBinaryStream(i, x, length));
    }

    @Override
    public void setBinaryStream(int parameterIndex, java.io.InputStream x) throws SQLException {
        delegate.setBinaryStream(parameterIndex, x);
        params.opaque(parameterIndex, (ps, i) -> ps.setBinaryStream(i, x));
    }

    @Override
    public void setCharacterStream(int parameterIndex, java.io.Reader reader, int length) throws SQLException {
        delegate.setCharacterStream(parameterIndex, reader, length);
        params.opaque(parameterIndex, (ps, i) -> ps.setCharacterStream(i, reader, length));
    }

    @Override
    public void setCharacterStream(int parameterIndex, java.io.Reader reader, long length) throws SQLException {
        delegate.setCharacterStream(parameterIndex, reader, length);
        params.opaque(parameterIndex, (ps, i) -> ps.setCharacterStream(i, reader, length));
    }

    @Override
    public void setCharacterStream(int parameterIndex, java.io.Reader reader) throws SQLException {
        delegate.setCharacterStream(parameterIndex, reader);
        params.opaque(parameterIndex, (ps, i) -> ps.setCharacterStream(i, reader));
    }

    @Override
    public void setNCharacterStream(int parameterIndex, java.io.Reader value, long length) throws SQLException {
        delegate.setNCharacterStream(parameterIndex, value, length);
        params.opaque(parameterIndex, (ps, i) -> ps.setNCharacterStream(i, value, length));
    }

    @Override
    public void setNCharacterStream(int parameterIndex, java.io.Reader value) throws SQLException {
        delegate.setNCharacterStream(parameterIndex, value);
        params.opaque(parameterIndex, (ps, i) -> ps.setNCharacterStream(i, value));
    }

    @Override
    public void setObject(int parameterIndex, Object x) throws SQLException {
        delegate.setObject(parameterIndex, x);
        params.set(parameterIndex, x, (ps, i) -> ps.setObject(i, x));
    }

    @Override
    public void setObject(int parameterIndex, Object x, int targetSqlType) throws SQLException {
        delegate.setObject(parameterIndex, x, targetSqlType);
        params.set(parameterIndex, x, targetSqlType, (ps, i) -> ps.setObject(i, x, targetSqlType));
    }

    @Override
    public void setObject(int parameterIndex, Object x, int targetSqlType, int scaleOrLength) throws SQLException {
        delegate.setObject(parameterIndex, x, targetSqlType, scaleOrLength);
        params.set(parameterIndex, x, targetSqlType, (ps, i) -> ps.setObject(i, x, targetSqlType, scaleOrLength));
    }

    @Override
    public void setObject(int parameterIndex, Object x, java.sql.SQLType targetSqlType) throws SQLException {
        delegate.setObject(parameterIndex, x, targetSqlType);
        params.set(parameterIndex, x, targetSqlType.getVendorTypeNumber() == null ? Integer.MIN_VALUE + 1 : targetSqlType.getVendorTypeNumber(), (ps, i) -> ps.setObject(i, x, targetSqlType));
    }

    @Override
    public void setObject(int parameterIndex, Object x, java.sql.SQLType targetSqlType, int scaleOrLength) throws SQLException {
        delegate.setObject(parameterIndex, x, targetSqlType, scaleOrLength);
        params.set(parameterIndex, x, targetSqlType.getVendorTypeNumber() == null ? Integer.MIN_VALUE + 1 : targetSqlType.getVendorTypeNumber(), (ps, i) -> ps.setObject(i, x, targetSqlType, scaleOrLength));
    }

    @Override
    public void setRef(int parameterIndex, java.sql.Ref x) throws SQLException {
        delegate.setRef(parameterIndex, x);
        params.opaque(parameterIndex, (ps, i) -> ps.setRef(i, x));
    }

    @Override
    public void setBlob(int parameterIndex, java.sql.Blob x) throws SQLException {
        delegate.setBlob(parameterIndex, x);
        params.opaque(parameterIndex, (ps, i) -> ps.setBlob(i, x));
    }

    @Override
    public void setBlob(int parameterIndex, java.io.InputStream inputStream, long length) throws SQLException {
        delegate.setBlob(parameterIndex, inputStream, length);
        params.opaque(parameterIndex, (ps, i) -> ps.setBlob(i, inputStream, length));
    }

    @Override
    public void setBlob(int parameterIndex, java.io.InputStream inputStream) throws SQLException {
        delegate.setBlob(parameterIndex, inputStream);
        params.opaque(parameterIndex, (ps, i) -> ps.setBlob(i, inputStream));
    }

    @Override
    public void setClob(int parameterIndex, java.sql.Clob x) throws SQLException {
        delegate.setClob(parameterIndex, x);
        params.opaque(parameterIndex, (ps, i) -> ps.setClob(i, x));
    }

    @Override
    public void setClob(int parameterIndex, java.io.Reader reader, long length) throws SQLException {
        delegate.setClob(parameterIndex, reader, length);
        params.opaque(parameterIndex, (ps, i) -> ps.setClob(i, reader, length));
    }

    @Override
    public void setClob(int parameterIndex, java.io.Reader reader) throws SQLException {
        delegate.setClob(parameterIndex, reader);
        params.opaque(parameterIndex, (ps, i) -> ps.setClob(i, reader));
    }

    @Override
    public void setNClob(int parameterIndex, java.sql.NClob value) throws SQLException {
        delegate.setNClob(parameterIndex, value);
        params.opaque(parameterIndex, (ps, i) -> ps.setNClob(i, value));
    }

    @Override
    public void setNClob(int parameterIndex, java.io.Reader reader, long length) throws SQLException {
        delegate.setNClob(parameterIndex, reader, length);
        params.opaque(parameterIndex, (ps, i) -> ps.setNClob(i, reader, length));
    }

    @Override
    public void setNClob(int parameterIndex, java.io.Reader reader) throws SQLException {
        delegate.setNClob(parameterIndex, reader);
        params.opaque(parameterIndex, (ps, i) -> ps.setNClob(i, reader));
    }

    @Override
    public void setArray(int parameterIndex, java.sql.Array x) throws SQLException {
        delegate.setArray(parameterIndex, x);
        params.set(parameterIndex, x, (ps, i) -> ps.setArray(i, x));
    }

    @Override
    public void setURL(int parameterIndex, java.net.URL x) throws SQLException {
        delegate.setURL(parameterIndex, x);
        params.set(parameterIndex, x == null ? null : x.toString(), (ps, i) -> ps.setURL(i, x));
    }

    @Override
    public void setRowId(int parameterIndex, java.sql.RowId x) throws SQLException {
        delegate.setRowId(parameterIndex, x);
        params.opaque(parameterIndex, (ps, i) -> ps.setRowId(i, x));
    }

    @Override
    public void setSQLXML(int parameterIndex, java.sql.SQLXML xmlObject) throws SQLException {
        delegate.setSQLXML(parameterIndex, xmlObject);
        params.opaque(parameterIndex, (ps, i) -> ps.setSQLXML(i, xmlObject));
    }

    @SuppressWarnings("deprecation")
    @Override
    public void setUnicodeStream(int parameterIndex, java.io.InputStream x, int length) throws SQLException {
        delegate.setUnicodeStream(parameterIndex, x, length);
        params.opaque(parameterIndex, (ps, i) -> ps.setUnicodeStream(i, x, length));
    }
}
