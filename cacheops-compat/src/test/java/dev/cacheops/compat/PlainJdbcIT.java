package dev.cacheops.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGStatement;

/**
 * Proves JDBC behaviours that frameworks rely on and cacheops-core's own suite does not cover, each
 * compared between a cache hit and the driver itself: {@code ResultSetMetaData} for many column types,
 * {@code setMaxRows} (never sharing an entry), {@code execute()} with {@code getResultSet},
 * {@code getUpdateCount} and {@code getMoreResults}, scrollable result sets, generated keys through
 * {@code Statement} and {@code PreparedStatement}, mixed {@code Statement} batches, {@code unwrap} to
 * the driver's types, and {@code CallableStatement}.
 */
class PlainJdbcIT extends BlogFixture {
    private static final String KINDS = "select * from kinds order by id";
    /** The same rows under another SQL text, so pgjdbc's per-connection statement cache (which keeps
     *  a statement in binary transfer once it was) cannot carry another test's mode into it. */
    private static final String KINDS_TEXT = "select * from kinds where id > 0 order by id";
    private static final String EXOTIC = "select * from exotic order by id";
    private static final String BY_CATEGORY = "select id, title from post where category_id = ? order by id";

    @Override
    protected List<String> tables() {
        List<String> t = new ArrayList<>(super.tables());
        t.add("kinds");
        t.add("exotic");
        return t;
    }

    @Override
    protected String schemaSql() {
        return super.schemaSql() + """
                create table kinds (
                    id bigint generated always as identity primary key,
                    i2 smallint, i4 integer not null, num numeric(12, 4), f4 real, f8 double precision,
                    flag boolean, ch char(3), vc varchar(20), txt text, d date, t time, ts timestamp,
                    tstz timestamp with time zone, u uuid);
                create table exotic (
                    id integer primary key,
                    bin bytea, iv interval, js json, jsb jsonb, ints integer[], texts text[], ip inet,
                    money_value money, bits bit varying(8), tz_time time with time zone);
                create function post_count(cat bigint) returns bigint language sql stable
                    as 'select count(*) from post where category_id = cat';
                create procedure add_post(cat bigint, t varchar, inout new_id bigint) language plpgsql as $$
                begin
                    insert into post (category_id, title, published, external_id, status)
                        values (cat, t, false, gen_random_uuid(), 'DRAFT') returning id into new_id;
                end $$;
                """;
    }

    @Override
    protected String seedSql() {
        return super.seedSql() + """
                truncate kinds restart identity;
                truncate exotic;
                insert into kinds (i2, i4, num, f4, f8, flag, ch, vc, txt, d, t, ts, tstz, u) values
                 (1, 10, 1.5, 1.25, 2.5e10, true, 'ab', 'v1', 't1', date '2024-01-01', time '10:11:12.345',
                  timestamp '2024-01-01 10:11:12.345678', timestamptz '2024-01-01 10:11:12.5+03',
                  'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'),
                 (null, 20, -12345678.1234, 'NaN', '-Infinity', false, 'xyz', '', 'ünïcødé ✓', date '0099-12-31',
                  time '00:00:00', timestamp '1970-01-01 00:00:00', timestamptz '2038-01-19 03:14:08+00', null),
                 (3, 30, null, null, null, null, null, null, null, null, null, null, null, null);
                insert into exotic values
                 (1, '\\xdeadbeef', interval '1 day 02:03:04', '{"a": [1, 2]}', '{"b": {"c": null}}',
                  '{1,2,NULL}', '{"x","y z"}', '192.168.0.1/24', 12.34, B'1011', time with time zone '10:00:00+02'),
                 (2, null, null, null, null, null, null, null, null, null, null);
                """;
    }

    private static List<String> metaData(ResultSetMetaData md) throws SQLException {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            int c = i;
            out.add(String.join(" | ", List.of(
                    attempt(() -> md.getColumnName(c)), attempt(() -> md.getColumnLabel(c)),
                    attempt(() -> String.valueOf(md.getColumnType(c))), attempt(() -> md.getColumnTypeName(c)),
                    attempt(() -> md.getColumnClassName(c)), attempt(() -> "p" + md.getPrecision(c)),
                    attempt(() -> "s" + md.getScale(c)), attempt(() -> "n" + md.isNullable(c)),
                    attempt(() -> "ai" + md.isAutoIncrement(c)), attempt(() -> "sg" + md.isSigned(c)),
                    attempt(() -> "cs" + md.isCaseSensitive(c)), attempt(() -> "cur" + md.isCurrency(c)),
                    attempt(() -> "se" + md.isSearchable(c)), attempt(() -> "ro" + md.isReadOnly(c)),
                    attempt(() -> "w" + md.isWritable(c)), attempt(() -> "dw" + md.isDefinitelyWritable(c)),
                    attempt(() -> "ds" + md.getColumnDisplaySize(c)), attempt(() -> "t:" + md.getTableName(c)),
                    attempt(() -> "sc:" + md.getSchemaName(c)), attempt(() -> "cat:" + md.getCatalogName(c)))));
        }
        return out;
    }

    /** Every value of every row, by getObject and getString, as comparable text. */
    private static List<String> values(ResultSet rs) throws SQLException {
        List<String> out = new ArrayList<>();
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
            for (int i = 1; i <= n; i++) {
                int c = i;
                Object o = rs.getObject(c);
                String object = o == null ? "null" : o instanceof java.sql.Array a
                        ? "Array" + java.util.Arrays.deepToString((Object[]) a.getArray())
                        : o instanceof byte[] b ? "bytes" + java.util.Arrays.toString(b)
                        : o.getClass().getName() + "=" + o;
                out.add(c + ": " + object + " / " + attempt(() -> rs.getString(c)) + " / wasNull=" + rs.wasNull());
            }
        }
        return out;
    }

    private interface SqlSupplier {
        String get() throws SQLException;
    }

    private static String attempt(SqlSupplier s) {
        try {
            return s.get();
        } catch (SQLException | RuntimeException e) {
            return "!" + e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    private interface ResultReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private static <T> T query(DataSource ds, String sql, ResultReader<T> reader, Object... params) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return reader.read(rs);
            }
        }
    }

    private List<Object> byCategory(DataSource ds, long category) throws SQLException {
        return query(ds, BY_CATEGORY, rs -> {
            List<Object> ids = new ArrayList<>();
            while (rs.next()) {
                ids.add(rs.getLong(1) + ":" + rs.getString(2));
            }
            return ids;
        }, category);
    }

    private boolean hit(long category) {
        Read<List<Object>> r = read(() -> byCategory(cached, category));
        assertThat(r.value()).isEqualTo(call(() -> byCategory(raw, category)));
        return r.hit();
    }

    private void warm(long... categories) {
        for (long c : categories) {
            awaitHit(() -> byCategory(cached, c));
        }
    }

    @Test
    void metaDataAndValuesOfAHitEqualTheDriversForCommonTypes() throws SQLException {
        List<String> hitMeta = awaitHit(() -> query(cached, KINDS, rs -> metaData(rs.getMetaData())));
        assertThat(hitMeta).containsExactlyElementsOf(query(raw, KINDS, rs -> metaData(rs.getMetaData())));
        // Text transfer on both sides (pgjdbc switches a statement to binary after 5 executions on one
        // connection, and its getString of a double differs between the two: see the binary test).
        List<String> hitValues = awaitHit(() -> kindsWithThreshold(cached, KINDS_TEXT, 0));
        assertThat(hitValues).containsExactlyElementsOf(kindsWithThreshold(raw, KINDS_TEXT, 0));
    }

    @Test
    void metaDataAndValuesOfAHitEqualTheDriversForExoticTypes() throws SQLException {
        List<String> hitMeta = awaitHit(() -> query(cached, EXOTIC, rs -> metaData(rs.getMetaData())));
        assertThat(hitMeta).containsExactlyElementsOf(query(raw, EXOTIC, rs -> metaData(rs.getMetaData())));
        List<String> hitValues = awaitHit(() -> query(cached, EXOTIC, PlainJdbcIT::values));
        assertThat(hitValues).containsExactlyElementsOf(query(raw, EXOTIC, PlainJdbcIT::values));
    }

    private List<Long> idsWithMaxRows(DataSource ds, int maxRows) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("select id from post order by id")) {
            ps.setMaxRows(maxRows);
            try (ResultSet rs = ps.executeQuery()) {
                List<Long> ids = new ArrayList<>();
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
                return ids;
            }
        }
    }

    @Test
    void differentMaxRowsNeverShareAnEntry() {
        assertThat(awaitHit(() -> idsWithMaxRows(cached, 2))).containsExactly(1L, 2L);
        assertThat(awaitHit(() -> idsWithMaxRows(cached, 3))).containsExactly(1L, 2L, 3L);
        assertThat(awaitHit(() -> idsWithMaxRows(cached, 0))).hasSize(6);
        assertThat(awaitHit(() -> idsWithMaxRows(cached, 2))).containsExactly(1L, 2L);
        assertThat(awaitHit(() -> idsWithMaxRows(cached, 10))).hasSize(6);
    }

    /** What a caller sees going through execute(): the result, the update counts and the end of results. */
    private static List<String> executeTranscript(Statement s, boolean returnedResult) throws SQLException {
        List<String> out = new ArrayList<>();
        out.add("execute=" + returnedResult);
        ResultSet rs = s.getResultSet();
        out.add("updateCount=" + s.getUpdateCount());
        if (rs != null) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        } else {
            out.add("no result set");
        }
        out.add("more=" + s.getMoreResults());
        out.add("updateCountAfter=" + s.getUpdateCount());
        out.add("resultSetAfter=" + s.getResultSet());
        return out;
    }

    private static List<String> preparedExecute(DataSource ds, String sql, Object param) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, param);
            return executeTranscript(ps, ps.execute());
        }
    }

    private static List<String> plainExecute(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            return executeTranscript(s, s.execute(sql));
        }
    }

    @Test
    void executeThenGetResultSetUpdateCountAndMoreResultsBehaveOnAHit() throws SQLException {
        String sql = "select title from post where category_id = ? order by id";
        List<String> hit = awaitHit(() -> preparedExecute(cached, sql, 2L));
        assertThat(hit).containsExactlyElementsOf(preparedExecute(raw, sql, 2L))
                .containsExactly("execute=true", "updateCount=-1", "Window functions", "Indexes", "more=false",
                        "updateCountAfter=-1", "resultSetAfter=null");
        String plain = "select title from post where category_id = 3";
        assertThat(awaitHit(() -> plainExecute(cached, plain))).containsExactlyElementsOf(plainExecute(raw, plain));
    }

    @Test
    void executeOfAWriteReportsTheUpdateCountAndInvalidates() throws SQLException {
        warm(1, 2);
        List<String> transcript = preparedExecute(cached, "update post set title = title || '.' where category_id = ?", 1L);
        assertThat(transcript).containsExactly("execute=false", "updateCount=3", "no result set", "more=false",
                "updateCountAfter=-1", "resultSetAfter=null");
        assertThat(hit(1)).isFalse();
        assertThat(hit(2)).isTrue();
    }

    private static final String SCROLLED = "select id, title from post order by id";

    private static Statement scrollable(Connection c, boolean prepared) throws SQLException {
        return prepared
                ? c.prepareStatement(SCROLLED, ResultSet.TYPE_SCROLL_INSENSITIVE, ResultSet.CONCUR_READ_ONLY)
                : c.createStatement(ResultSet.TYPE_SCROLL_INSENSITIVE, ResultSet.CONCUR_READ_ONLY);
    }

    private static ResultSet run(Statement s, boolean prepared) throws SQLException {
        return prepared ? ((PreparedStatement) s).executeQuery() : s.executeQuery(SCROLLED);
    }

    /** Reads a scroll-insensitive result front to back only, as a framework filling a list would. */
    private static List<Long> forward(DataSource ds, boolean prepared) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = scrollable(c, prepared); ResultSet rs = run(s, prepared)) {
            return keys(rs);
        }
    }

    /** Navigates a scroll-insensitive result in every direction and records what it saw. */
    private static List<String> scroll(DataSource ds, boolean prepared) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = scrollable(c, prepared); ResultSet rs = run(s, prepared)) {
            List<String> out = new ArrayList<>();
            out.add("type=" + rs.getType() + " concurrency=" + rs.getConcurrency());
            out.add("beforeFirst=" + rs.isBeforeFirst());
            out.add("last=" + rs.last() + " row=" + rs.getRow() + " id=" + rs.getLong(1) + " isLast=" + rs.isLast());
            out.add("first=" + rs.first() + " row=" + rs.getRow() + " id=" + rs.getLong(1) + " isFirst=" + rs.isFirst());
            out.add("absolute3=" + rs.absolute(3) + " id=" + rs.getLong(1));
            out.add("relative-1=" + rs.relative(-1) + " id=" + rs.getLong(1));
            out.add("relative2=" + rs.relative(2) + " id=" + rs.getLong(1));
            out.add("previous=" + rs.previous() + " id=" + rs.getLong(1));
            out.add("absolute-2=" + rs.absolute(-2) + " id=" + rs.getLong(1));
            out.add("absolute99=" + rs.absolute(99) + " afterLast=" + rs.isAfterLast());
            out.add("previous=" + rs.previous() + " id=" + rs.getLong(1));
            rs.afterLast();
            out.add("afterLast=" + rs.isAfterLast() + " row=" + rs.getRow());
            rs.beforeFirst();
            out.add("beforeFirst=" + rs.isBeforeFirst() + " next=" + rs.next() + " id=" + rs.getLong(1));
            return out;
        }
    }

    @Test
    void scrollInsensitiveResultSetsNavigateOnAHit() throws SQLException {
        for (boolean prepared : new boolean[] {true, false}) {
            awaitHit(() -> forward(cached, prepared)); // filled by a front-to-back read
            Read<List<String>> hit = read(() -> scroll(cached, prepared));
            assertThat(hit.hit()).isTrue();
            assertThat(hit.value()).containsExactlyElementsOf(scroll(raw, prepared));
        }
    }

    /**
     * A scroll-insensitive result that the caller navigates on the miss (last(), absolute(), ...) is
     * never stored, so code that always scrolls (pagination by absolute(), counting by last()/getRow())
     * never gets a hit, without a pass-through being counted.
     */
    @Test
    void scrollInsensitiveResultNavigatedOnTheMissIsStillCached() throws SQLException {
        assertThat(awaitHit(() -> scroll(cached, true))).containsExactlyElementsOf(scroll(raw, true));
    }

    private static List<Long> keys(ResultSet rs) throws SQLException {
        List<Long> ids = new ArrayList<>();
        while (rs.next()) {
            ids.add(rs.getLong("id"));
        }
        return ids;
    }

    @Test
    void generatedKeysComeBackThroughStatementAndPreparedStatement() throws SQLException {
        warm(1, 2, 3);
        String insert = "insert into post (category_id, title, published, external_id, status) "
                + "values (3, 'k%d', false, gen_random_uuid(), 'DRAFT')";
        try (Connection c = cached.getConnection(); Statement s = c.createStatement()) {
            assertThat(s.executeUpdate(insert.formatted(1), Statement.RETURN_GENERATED_KEYS)).isEqualTo(1);
            assertThat(keys(s.getGeneratedKeys())).containsExactly(7L);
            assertThat(s.executeUpdate(insert.formatted(2), new String[] {"id"})).isEqualTo(1);
            assertThat(keys(s.getGeneratedKeys())).containsExactly(8L);
            assertThat(s.execute(insert.formatted(3), Statement.RETURN_GENERATED_KEYS)).isFalse();
            assertThat(s.getUpdateCount()).isEqualTo(1);
            assertThat(keys(s.getGeneratedKeys())).containsExactly(9L);
        }
        String prepared = "insert into post (category_id, title, published, external_id, status) "
                + "values (?, ?, false, gen_random_uuid(), 'DRAFT')";
        try (Connection c = cached.getConnection();
             PreparedStatement byFlag = c.prepareStatement(prepared, Statement.RETURN_GENERATED_KEYS);
             PreparedStatement byName = c.prepareStatement(prepared, new String[] {"id"})) {
            byFlag.setLong(1, 2);
            byFlag.setString(2, "p1");
            assertThat(byFlag.executeUpdate()).isEqualTo(1);
            assertThat(keys(byFlag.getGeneratedKeys())).containsExactly(10L);
            byName.setLong(1, 2);
            byName.setString(2, "p2");
            byName.addBatch();
            byName.setLong(1, 2);
            byName.setString(2, "p3");
            byName.addBatch();
            assertThat(byName.executeBatch()).containsExactly(1, 1);
            assertThat(keys(byName.getGeneratedKeys())).containsExactly(11L, 12L);
        }
        assertThat(hit(3)).isFalse();
        assertThat(hit(2)).isFalse();
        assertThat(hit(1)).isTrue();
        assertThat(byCategory(cached, 3)).containsExactly("6:Redis scripts", "7:k1", "8:k2", "9:k3");
    }

    @Test
    void mixedStatementBatchesInvalidateEveryTableAndValueTheyTouch() throws SQLException {
        warm(1, 2, 3);
        String comments = "select id from comment where post_id = ? order by id";
        awaitHit(() -> query(cached, comments, PlainJdbcIT::values, 4L));
        awaitHit(() -> query(cached, comments, PlainJdbcIT::values, 1L));
        try (Connection c = cached.getConnection(); Statement s = c.createStatement()) {
            s.addBatch("insert into post (category_id, title, published, external_id, status) "
                    + "values (2, 'batched', false, gen_random_uuid(), 'DRAFT')");
            s.addBatch("update post set title = 'renamed' where id = 6");
            s.addBatch("delete from comment where id = 4");
            s.addBatch("update post set title = 'nothing' where id = 99");
            assertThat(s.executeBatch()).containsExactly(1, 1, 1, 0);
        }
        assertThat(hit(2)).as("insert into category 2").isFalse();
        assertThat(hit(3)).as("update in category 3").isFalse();
        assertThat(hit(1)).as("category 1 untouched").isTrue();
        Read<List<String>> deleted = read(() -> query(cached, comments, PlainJdbcIT::values, 4L));
        assertThat(deleted.hit()).isFalse();
        assertThat(deleted.value()).isEmpty();
        assertThat(read(() -> query(cached, comments, PlainJdbcIT::values, 1L)).hit()).isTrue();
    }

    @Test
    void unwrapReachesTheDriverThroughCacheAndPool() throws SQLException {
        assertThat(cached.isWrapperFor(HikariDataSource.class)).isTrue();
        assertThat(cached.unwrap(HikariDataSource.class)).isSameAs(pool);
        try (Connection c = cached.getConnection()) {
            assertThat(c.isWrapperFor(PGConnection.class)).isTrue();
            PGConnection pg = c.unwrap(PGConnection.class);
            assertThat(pg.getBackendPID()).isPositive();
            try (Statement s = c.createStatement(); PreparedStatement ps = c.prepareStatement(BY_CATEGORY)) {
                assertThat(s.isWrapperFor(PGStatement.class)).isTrue();
                assertThat(s.unwrap(PGStatement.class)).isNotNull();
                assertThat(ps.unwrap(PGStatement.class)).isNotNull();
                assertThat(ps.isWrapperFor(ResultSet.class)).isFalse();
            }
        }
    }

    @Test
    void callableStatementsCallFunctionsAndProceduresAndInvalidate() throws SQLException {
        warm(3);
        try (Connection c = cached.getConnection()) {
            for (int run = 0; run < 2; run++) {
                try (CallableStatement cs = c.prepareCall("{? = call post_count(?)}")) {
                    cs.registerOutParameter(1, Types.BIGINT);
                    cs.setLong(2, 1);
                    cs.execute();
                    assertThat(cs.getLong(1)).isEqualTo(3L);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("insert into post (category_id, title, published, "
                    + "external_id, status) values (1, 'four', false, gen_random_uuid(), 'DRAFT')")) {
                ps.executeUpdate();
            }
            try (CallableStatement cs = c.prepareCall("{? = call post_count(?)}")) {
                cs.registerOutParameter(1, Types.BIGINT);
                cs.setLong(2, 1);
                cs.execute();
                assertThat(cs.getLong(1)).as("never a stale count").isEqualTo(4L);
            }
            try (CallableStatement cs = c.prepareCall("call add_post(?, ?, ?)")) {
                cs.setLong(1, 3);
                cs.setString(2, "by procedure");
                cs.setNull(3, Types.BIGINT);
                cs.registerOutParameter(3, Types.BIGINT);
                cs.execute();
                assertThat(cs.getLong(3)).isEqualTo(8L);
            }
        }
        // The procedure's insert is invisible to statement analysis (like a trigger): the cached
        // category-3 list may legitimately stay stale until invalidated by hand, as the design says.
        cacheops.invalidateTable("post");
        assertThat(hit(3)).isFalse();
        assertThat(byCategory(cached, 3)).containsExactly("6:Redis scripts", "8:by procedure");
    }

    @Test
    void multiStatementExecuteReturnsEveryResultAndInvalidatesItsWrites() throws SQLException {
        warm(1, 2);
        String script = "select count(*) from post; update post set title = 'multi' where id = 1; "
                + "select title from post where id = 1";
        List<String> seen = new ArrayList<>();
        try (Connection c = cached.getConnection(); Statement s = c.createStatement()) {
            boolean isResult = s.execute(script);
            while (true) {
                if (isResult) {
                    try (ResultSet rs = s.getResultSet()) {
                        while (rs.next()) {
                            seen.add("row " + rs.getString(1));
                        }
                    }
                } else if (s.getUpdateCount() >= 0) {
                    seen.add("updated " + s.getUpdateCount());
                } else {
                    break;
                }
                isResult = s.getMoreResults();
            }
        }
        assertThat(seen).containsExactly("row 6", "updated 1", "row multi");
        assertThat(hit(1)).as("the update inside the script invalidates").isFalse();
        // A script is not analysed statement by statement: its writes invalidate their whole tables
        // (design §4, "anything not understood"), so category 2 is invalidated too. Correct, coarse.
    }

    /** Reads with cursor fetching; returns the result's fetch size, whether it knows its statement, and the ids. */
    private static List<Object> withFetchSize(DataSource ds, long category) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false); // pgjdbc fetches with a cursor only in a transaction
            try (PreparedStatement ps = c.prepareStatement("select id from post where category_id <> ? order by id")) {
                ps.setFetchSize(2);
                ps.setLong(1, category);
                try (ResultSet rs = ps.executeQuery()) {
                    List<Object> out = new ArrayList<>();
                    out.add("fetchSize=" + rs.getFetchSize());
                    out.add("ownStatement=" + (rs.getStatement() == ps));
                    out.addAll(keys(rs));
                    return out;
                }
            } finally {
                c.commit();
            }
        }
    }

    private static List<Long> keysOf(ResultSet rs) throws SQLException {
        List<Long> ids = new ArrayList<>();
        while (rs.next()) {
            ids.add(rs.getLong(1));
        }
        return ids;
    }

    @Test
    void cursorFetchingWithAFetchSizeIsCachedAndTheResultKnowsItsStatement() throws SQLException {
        assertThat(read(() -> withFetchSize(cached, 3)).value()).as("miss")
                .containsExactly("fetchSize=2", "ownStatement=true", 1L, 2L, 3L, 4L, 5L);
        assertThat(awaitHit(() -> withFetchSize(cached, 3))).as("hit").containsExactlyElementsOf(withFetchSize(raw, 3))
                .containsExactly("fetchSize=2", "ownStatement=true", 1L, 2L, 3L, 4L, 5L);
        try (Connection c = cached.getConnection(); PreparedStatement ps = c.prepareStatement(BY_CATEGORY)) {
            ps.setLong(1, 1);
            awaitHit(() -> {
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.getStatement()).isSameAs(ps);
                    assertThat(rs.findColumn("title")).isEqualTo(2);
                    assertThat(rs.getType()).isEqualTo(ResultSet.TYPE_FORWARD_ONLY);
                    assertThat(rs.getConcurrency()).isEqualTo(ResultSet.CONCUR_READ_ONLY);
                    return keysOf(rs);
                }
            });
        }
    }

    /** The KINDS rows read with a pgjdbc prepare threshold: -1 forces binary transfer, 0 keeps text. */
    private static List<String> kindsWithThreshold(DataSource ds, int threshold) throws SQLException {
        return kindsWithThreshold(ds, KINDS, threshold);
    }

    private static List<String> kindsWithThreshold(DataSource ds, String sql, int threshold) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.unwrap(PGStatement.class).setPrepareThreshold(threshold);
            try (ResultSet rs = ps.executeQuery()) {
                return values(rs);
            }
        }
    }

    /**
     * pgjdbc reads a result in text or binary transfer depending on the statement's history on its
     * connection (binary from the 5th execution by default, or with prepareThreshold -1), and a few of
     * its answers differ between the two: {@code getString} of {@code double precision 2.5e10} is
     * "25000000000" (the server's text) in text transfer and "2.5E10" ({@code Double.toString}) in
     * binary. A hit replays what was recorded, whatever the caller's mode: every value it gives is
     * one the driver itself gives for that column in one of its two modes (README, caveats).
     */
    @Test
    void aHitGivesWhatTheDriverGivesInTheModeItWasRecordedIn() throws SQLException {
        List<String> text = kindsWithThreshold(raw, 0);
        List<String> binary = kindsWithThreshold(raw, -1);
        for (int i = 0; i < text.size(); i++) {
            if (!text.get(i).equals(binary.get(i))) {
                assertThat(text.get(i)).as("the driver's own modes differ only for doubles").contains("java.lang.Double");
            }
        }
        awaitHit(() -> kindsWithThreshold(cached, -1));
        assertDriverValues(awaitHit(() -> kindsWithThreshold(cached, 0)), text, binary);
        cacheops.invalidateAll();
        awaitHit(() -> kindsWithThreshold(cached, 0));
        assertDriverValues(awaitHit(() -> kindsWithThreshold(cached, -1)), text, binary);
    }

    private static void assertDriverValues(List<String> cached, List<String> text, List<String> binary) {
        assertThat(cached).hasSameSizeAs(text);
        for (int i = 0; i < cached.size(); i++) {
            assertThat(cached.get(i)).as("value %d is one the driver gives", i).isIn(text.get(i), binary.get(i));
        }
    }
}
