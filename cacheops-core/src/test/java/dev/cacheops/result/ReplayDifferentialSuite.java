package dev.cacheops.result;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.Reader;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The differential test: one query over a table with a column of every supported type (and a
 * row of NULLs) is read live and replayed from its encoded snapshot, and for every row, every
 * column and every getter the replay must give what the driver gave (value, Java class and
 * {@code wasNull}) wherever the driver did not throw; where it threw, the replay may answer (it is
 * deliberately permissive) but may throw nothing but an SQLException. The metadata must agree on
 * every method.
 * Subclasses supply the database (PostgreSQL, H2).
 */
abstract class ReplayDifferentialSuite {

    /** A fresh connection to the database under test. */
    abstract Connection connect() throws SQLException;

    /** DDL and inserts creating table {@code every_type}, run in order. */
    abstract List<String> setup();

    /** Where the replay knowingly differs from this driver (PgJDBC's behaviour is the model). */
    boolean knownDifference(String column, String getter) {
        return false;
    }

    interface Getter {
        Object get(ResultSet rs, int column) throws SQLException;
    }

    static final Calendar PLUS_FIVE = Calendar.getInstance(TimeZone.getTimeZone("GMT+05:00"));

    static final List<Class<?>> CLASSES = List.of(String.class, Integer.class, Long.class, Short.class,
            Byte.class, Boolean.class, Double.class, Float.class, BigDecimal.class, BigInteger.class,
            byte[].class, java.sql.Date.class, java.sql.Time.class, java.sql.Timestamp.class,
            LocalDate.class, LocalTime.class, LocalDateTime.class, OffsetDateTime.class, OffsetTime.class,
            Instant.class, ZonedDateTime.class, UUID.class);

    @SuppressWarnings("deprecation")
    static Map<String, Getter> getters() {
        Map<String, Getter> g = new LinkedHashMap<>();
        g.put("getString", ResultSet::getString);
        g.put("getNString", ResultSet::getNString);
        g.put("getObject", ResultSet::getObject);
        g.put("getBoolean", ResultSet::getBoolean);
        g.put("getByte", ResultSet::getByte);
        g.put("getShort", ResultSet::getShort);
        g.put("getInt", ResultSet::getInt);
        g.put("getLong", ResultSet::getLong);
        g.put("getFloat", ResultSet::getFloat);
        g.put("getDouble", ResultSet::getDouble);
        g.put("getBigDecimal", ResultSet::getBigDecimal);
        g.put("getBigDecimal(2)", (rs, i) -> rs.getBigDecimal(i, 2));
        g.put("getBytes", ResultSet::getBytes);
        g.put("getDate", ResultSet::getDate);
        g.put("getTime", ResultSet::getTime);
        g.put("getTimestamp", ResultSet::getTimestamp);
        g.put("getDate(cal)", (rs, i) -> rs.getDate(i, (Calendar) PLUS_FIVE.clone()));
        g.put("getTime(cal)", (rs, i) -> rs.getTime(i, (Calendar) PLUS_FIVE.clone()));
        g.put("getTimestamp(cal)", (rs, i) -> rs.getTimestamp(i, (Calendar) PLUS_FIVE.clone()));
        g.put("getArray", ResultSet::getArray);
        g.put("getCharacterStream", ResultSet::getCharacterStream);
        g.put("getAsciiStream", ResultSet::getAsciiStream);
        g.put("getBinaryStream", ResultSet::getBinaryStream);
        g.put("getURL", ResultSet::getURL);
        g.put("getString(label)", (rs, i) -> rs.getString(rs.getMetaData().getColumnLabel(i)));
        g.put("getObject(label)", (rs, i) -> rs.getObject(rs.getMetaData().getColumnLabel(i).toUpperCase()));
        for (Class<?> c : CLASSES) {
            g.put("getObject(" + c.getSimpleName() + ")", (rs, i) -> rs.getObject(i, c));
        }
        return g;
    }

    /** What a getter did: the normalised value and {@code wasNull}, or the exception it threw. */
    record Outcome(Object value, boolean wasNull, Class<?> thrown) {
        static Outcome of(ResultSet rs, int column, Getter getter) {
            try {
                Object v = normalise(getter.get(rs, column));
                return new Outcome(v, rs.wasNull(), null);
            } catch (Exception e) {
                return new Outcome(null, false, e.getClass());
            }
        }
    }

    static Object normalise(Object v) throws Exception {
        if (v == null) {
            return null;
        }
        if (v instanceof byte[] b) {
            return "bytes:" + HexFormat.of().formatHex(b);
        }
        if (v instanceof Array a) {
            Object elements = a.getArray();
            return "array:" + a.getBaseType() + ":" + a.getBaseTypeName() + ":" + elements.getClass().getName()
                    + ":" + Arrays.deepToString((Object[]) elements);
        }
        if (v instanceof Reader r) {
            StringBuilder s = new StringBuilder();
            for (int c = r.read(); c >= 0; c = r.read()) {
                s.append((char) c);
            }
            return "reader:" + s;
        }
        if (v instanceof InputStream in) {
            return "stream:" + HexFormat.of().formatHex(in.readAllBytes());
        }
        // the class matters: getObject must return what the driver returned
        return List.of(v.getClass().getName(), v);
    }

    @Test
    void everyGetterOnEveryColumnReplaysAsTheDriverAnswers() throws Exception {
        try (Connection c = connect()) {
            try (Statement s = c.createStatement()) {
                for (String sql : setup()) {
                    s.execute(sql);
                }
            }
            Map<String, Getter> getters = getters();
            List<Map<String, Outcome>> live = new ArrayList<>();
            ResultSnapshot snapshot;
            Map<String, Object> liveMeta;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select * from every_type order by id")) {
                ResultRecorder recorder = ResultRecorder.start(rs, 1000, 1 << 20);
                liveMeta = metadata(rs.getMetaData());
                while (rs.next()) {
                    recorder.record(rs);
                    live.add(observe(rs, getters));
                }
                assertThat(recorder.reason()).isNull();
                snapshot = recorder.snapshot();
            }
            System.out.printf("%s: %d rows x %d columns encode to %d bytes, %d values keep the driver's text%n",
                    getClass().getSimpleName(), snapshot.rowCount(), snapshot.columnCount(),
                    ResultCodec.encode(snapshot).length, driverTexts(snapshot));
            ResultSnapshot decoded = ResultCodec.decode(ResultCodec.encode(snapshot));
            assertThat(decoded).isEqualTo(snapshot);
            int compared = 0;
            int driverThrew = 0;
            int known = 0;
            int replayAnswered = 0;
            List<String> mismatches = new ArrayList<>();
            try (ResultSet replay = new ReplayResultSet(decoded, null)) {
                Map<String, Object> replayMeta = metadata(replay.getMetaData());
                liveMeta.forEach((k, v) -> assertThat(replayMeta.get(k)).as(k).isEqualTo(v));
                int row = 0;
                while (replay.next()) {
                    Map<String, Outcome> expected = live.get(row++);
                    Map<String, Outcome> actual = observe(replay, getters);
                    for (Map.Entry<String, Outcome> e : expected.entrySet()) {
                        Outcome want = e.getValue();
                        Class<?> replayThrew = actual.get(e.getKey()).thrown();
                        if (replayThrew != null && !SQLException.class.isAssignableFrom(replayThrew)) {
                            mismatches.add("row " + row + " " + e.getKey() + ": replay threw " + replayThrew.getName()
                                    + ", not an SQLException");
                        }
                        if (want.thrown() != null) {
                            driverThrew++;
                            if (replayThrew == null) {
                                replayAnswered++;
                            }
                            continue;
                        }
                        compared++;
                        Outcome got = actual.get(e.getKey());
                        String[] columnAndGetter = e.getKey().split(" ", 2);
                        if (!want.equals(got) && knownDifference(columnAndGetter[0], columnAndGetter[1])) {
                            known++;
                        } else if (!want.equals(got)) {
                            mismatches.add("row " + row + " " + e.getKey() + ": driver " + want + ", replay " + got);
                        }
                    }
                }
                assertThat(row).isEqualTo(live.size());
            }
            System.out.printf("%s: %d getter results compared (%d known differences), %d where the driver threw"
                    + " (the replay answered %d of those)%n", getClass().getSimpleName(), compared, known, driverThrew,
                    replayAnswered);
            assertThat(mismatches).isEmpty();
            assertThat(compared).isGreaterThan(500);
        }
    }

    private static long driverTexts(ResultSnapshot s) {
        long n = 0;
        for (int r = 0; r < s.rowCount(); r++) {
            for (int c = 0; c < s.columnCount(); c++) {
                if (s.value(r, c) instanceof DriverText t) {
                    System.out.println("  driver text in " + s.columns().get(c).label() + ": " + t.text());
                    n++;
                }
            }
        }
        return n;
    }

    /** Keys are {@code "<column label> <getter>"}. */
    private static Map<String, Outcome> observe(ResultSet rs, Map<String, Getter> getters) throws SQLException {
        Map<String, Outcome> out = new LinkedHashMap<>();
        ResultSetMetaData md = rs.getMetaData();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            for (Map.Entry<String, Getter> g : getters.entrySet()) {
                out.put(md.getColumnLabel(i) + " " + g.getKey(), Outcome.of(rs, i, g.getValue()));
            }
        }
        return out;
    }

    /** Every ResultSetMetaData method with a column parameter, for every column, as text. */
    static Map<String, Object> metadata(ResultSetMetaData md) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("count", md.getColumnCount());
        for (int i = 1; i <= md.getColumnCount(); i++) {
            for (Method m : ResultSetMetaData.class.getMethods()) {
                if (m.getParameterCount() == 1 && m.getParameterTypes()[0] == int.class) {
                    Object v;
                    try {
                        v = m.invoke(md, i);
                    } catch (InvocationTargetException e) {
                        continue; // the driver refused; the snapshot records a default
                    }
                    out.put(i + "." + m.getName(), v);
                }
            }
        }
        return out;
    }
}
