package dev.cacheops.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The result set contract of a replay: navigation, labels, closing, read-only, wrapping. */
class ReplayResultSetTest {
    static final ResultSnapshot THREE_ROWS = Snapshots.of(List.of(
                    Snapshots.column("id", Types.INTEGER, "int4", Integer.class.getName()),
                    Snapshots.column("Name", Types.VARCHAR, "varchar", String.class.getName()),
                    Snapshots.column("name", Types.NUMERIC, "numeric", BigDecimal.class.getName())),
            new Object[] {1, "one", new BigDecimal("1.50")},
            new Object[] {2, null, null},
            new Object[] {3, "three", new BigDecimal("-3")});

    @Test
    void forwardOnlyReadsEveryRowOnceAndRefusesToScroll() throws SQLException {
        ResultSet rs = new ReplayResultSet(THREE_ROWS, null);
        assertThat(rs.getType()).isEqualTo(ResultSet.TYPE_FORWARD_ONLY);
        assertThat(rs.getConcurrency()).isEqualTo(ResultSet.CONCUR_READ_ONLY);
        assertThat(rs.isBeforeFirst()).isTrue();
        assertThatThrownBy(() -> rs.getInt(1)).isInstanceOf(SQLException.class);
        assertThat(rs.next()).isTrue();
        assertThat(rs.isFirst()).isTrue();
        assertThat(rs.getRow()).isEqualTo(1);
        assertThat(rs.next()).isTrue();
        assertThat(rs.next()).isTrue();
        assertThat(rs.isLast()).isTrue();
        assertThat(rs.next()).isFalse();
        assertThat(rs.isAfterLast()).isTrue();
        assertThat(rs.getRow()).isZero();
        assertThat(rs.next()).isFalse();
        for (ThrowingCall call : List.<ThrowingCall>of(rs::previous, rs::first, rs::last, rs::beforeFirst,
                rs::afterLast, () -> rs.absolute(1), () -> rs.relative(-1),
                () -> rs.setFetchDirection(ResultSet.FETCH_REVERSE))) {
            assertThatThrownBy(call::run).isInstanceOf(SQLException.class);
        }
    }

    interface ThrowingCall {
        void run() throws SQLException;
    }

    @Test
    void scrollableNavigatesLikeADriver() throws SQLException {
        ResultSet rs = new ReplayResultSet(THREE_ROWS, null, ResultSet.TYPE_SCROLL_INSENSITIVE,
                ResultSet.HOLD_CURSORS_OVER_COMMIT);
        assertThat(rs.last()).isTrue();
        assertThat(rs.getInt("id")).isEqualTo(3);
        assertThat(rs.previous()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(2);
        assertThat(rs.absolute(-3)).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(1);
        assertThat(rs.absolute(-4)).isFalse();
        assertThat(rs.isBeforeFirst()).isTrue();
        assertThat(rs.relative(2)).isTrue();
        assertThat(rs.getRow()).isEqualTo(2);
        assertThat(rs.relative(5)).isFalse();
        assertThat(rs.isAfterLast()).isTrue();
        assertThat(rs.absolute(0)).isFalse();
        assertThat(rs.isBeforeFirst()).isTrue();
        assertThat(rs.first()).isTrue();
        rs.afterLast();
        assertThat(rs.previous()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(3);
        rs.beforeFirst();
        assertThat(rs.next()).isTrue();
        assertThat(rs.getHoldability()).isEqualTo(ResultSet.HOLD_CURSORS_OVER_COMMIT);
        rs.setFetchDirection(ResultSet.FETCH_REVERSE);
        assertThat(rs.getFetchDirection()).isEqualTo(ResultSet.FETCH_REVERSE);
    }

    @Test
    void anEmptyResultIsNeitherBeforeNorAfter() throws SQLException {
        ResultSet rs = new ReplayResultSet(Snapshots.of(List.of(Snapshots.column("a"))), null);
        assertThat(rs.isBeforeFirst()).isFalse();
        assertThat(rs.next()).isFalse();
        assertThat(rs.isAfterLast()).isFalse();
    }

    @Test
    void labelsIgnoreCaseAndTheFirstMatchWins() throws SQLException {
        ResultSet rs = new ReplayResultSet(THREE_ROWS, null);
        rs.next();
        assertThat(rs.findColumn("NAME")).isEqualTo(2);
        assertThat(rs.getString("name")).isEqualTo("one");
        assertThat(rs.findColumn("ID")).isEqualTo(1);
        assertThatThrownBy(() -> rs.findColumn("nope")).isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> rs.getString(0)).isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> rs.getString(4)).isInstanceOf(SQLException.class);
    }

    @Test
    void wasNullFollowsTheLastGetter() throws SQLException {
        ResultSet rs = new ReplayResultSet(THREE_ROWS, null);
        rs.next();
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(2);
        assertThat(rs.wasNull()).isFalse();
        assertThat(rs.getString(2)).isNull();
        assertThat(rs.wasNull()).isTrue();
        assertThat(rs.getInt(3)).isZero();
        assertThat(rs.wasNull()).isTrue();
        assertThat(rs.getBoolean(3)).isFalse();
        assertThat(rs.getBigDecimal(3)).isNull();
        assertThat(rs.getObject(3, Integer.class)).isNull();
    }

    @Test
    void conversionsFollowTheDriver() throws SQLException {
        ResultSet rs = new ReplayResultSet(THREE_ROWS, null);
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("1");
        assertThat(rs.getLong(1)).isEqualTo(1L);
        assertThat(rs.getInt(3)).isEqualTo(1);
        assertThat(rs.getDouble(3)).isEqualTo(1.5);
        assertThat(rs.getString(3)).isEqualTo("1.50");
        assertThat(rs.getObject(3, String.class)).isEqualTo("1.50");
        assertThat(rs.getBoolean(1)).isTrue();
        assertThatThrownBy(() -> rs.getInt(2)).isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> rs.getObject(1, Thread.class)).isInstanceOf(SQLException.class);
        @SuppressWarnings("deprecation")
        BigDecimal scaled = rs.getBigDecimal(3, 1);
        assertThat(scaled).isEqualTo(new BigDecimal("1.5"));
    }

    @Test
    void mutableValuesAreCopiedOnTheWayOut() throws SQLException {
        ResultSnapshot s = Snapshots.oneColumn(new byte[] {1, 2},
                new SnapshotArray(Types.INTEGER, "int4", new Integer[] {1, 2}));
        ResultSet rs = new ReplayResultSet(s, null);
        rs.next();
        rs.getBytes(1)[0] = 9;
        assertThat(rs.getBytes(1)).containsExactly(1, 2);
        rs.next();
        Array a = rs.getArray(1);
        ((Integer[]) a.getArray())[0] = 9;
        assertThat((Integer[]) rs.getArray(1).getArray()).containsExactly(1, 2);
        assertThat(a.getArray(2, 1)).isEqualTo(new Integer[] {2});
        try (ResultSet elements = a.getResultSet()) {
            assertThat(elements.next()).isTrue();
            assertThat(elements.getInt(1)).isEqualTo(1);
            assertThat(elements.getObject(2)).isEqualTo(1);
        }
        assertThat(a.toString()).isEqualTo("{1,2}");
    }

    @Test
    void updatesAreNotSupported() throws SQLException {
        ResultSet rs = new ReplayResultSet(THREE_ROWS, null);
        rs.next();
        assertThatThrownBy(() -> rs.updateInt(1, 5)).isInstanceOf(SQLFeatureNotSupportedException.class);
        assertThatThrownBy(rs::insertRow).isInstanceOf(SQLFeatureNotSupportedException.class);
        assertThatThrownBy(rs::deleteRow).isInstanceOf(SQLFeatureNotSupportedException.class);
        assertThatThrownBy(() -> rs.updateString("name", "x")).isInstanceOf(SQLFeatureNotSupportedException.class);
        assertThat(rs.rowUpdated()).isFalse();
    }

    @Test
    void closingMakesEveryCallFail() throws SQLException {
        ResultSet rs = new ReplayResultSet(THREE_ROWS, null);
        rs.next();
        rs.close();
        rs.close();
        assertThat(rs.isClosed()).isTrue();
        for (ThrowingCall call : List.<ThrowingCall>of(rs::next, () -> rs.getInt(1), rs::getMetaData,
                rs::getStatement, rs::wasNull, () -> rs.findColumn("id"), () -> rs.updateInt(1, 1),
                rs::getFetchSize)) {
            assertThatThrownBy(call::run).isInstanceOf(SQLException.class);
        }
    }

    @Test
    void statementFetchSizeWarningsAndWrapping() throws SQLException {
        Statement statement = (Statement) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Statement.class}, (p, m, a) -> null);
        ResultSet rs = new ReplayResultSet(THREE_ROWS, statement);
        assertThat(rs.getStatement()).isSameAs(statement);
        rs.setFetchSize(50);
        assertThat(rs.getFetchSize()).isEqualTo(50);
        assertThatThrownBy(() -> rs.setFetchSize(-1)).isInstanceOf(SQLException.class);
        assertThat((Object) rs.getWarnings()).isNull();
        assertThat(rs.unwrap(ReplayResultSet.class)).isSameAs(rs);
        assertThat(rs.isWrapperFor(ResultSet.class)).isTrue();
        assertThat(rs.isWrapperFor(Statement.class)).isFalse();
        assertThatThrownBy(() -> rs.unwrap(Statement.class)).isInstanceOf(SQLException.class);
        assertThat(rs.getMetaData().unwrap(SnapshotMetaData.class)).isNotNull();
        assertThat(rs.getMetaData().getColumnLabel(2)).isEqualTo("Name");
        assertThatThrownBy(() -> rs.getMetaData().getColumnLabel(9)).isInstanceOf(SQLException.class);
    }

    @Test
    void pgObjectsNeedTheDriverAndComeBackAsItsClass() throws SQLException {
        ResultSnapshot s = Snapshots.oneColumn(new PgValue("org.postgresql.util.PGobject", "jsonb", "{}"),
                new PgValue("java.lang.Thread", "x", "y"));
        ResultSet rs = new ReplayResultSet(s, null);
        rs.next();
        assertThat((Object) rs.getObject(1)).isInstanceOf(org.postgresql.util.PGobject.class)
                .hasToString("{}");
        assertThat(rs.getString(1)).isEqualTo("{}");
        rs.next();
        assertThatThrownBy(() -> rs.getObject(1)).isInstanceOf(SQLException.class);
    }
}
