package dev.cacheops.result;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/** The differential replay test against H2 (in memory), whose driver prints and converts differently. */
class ResultReplayTest extends ReplayDifferentialSuite {
    private final String url = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

    @Override
    Connection connect() throws SQLException {
        return DriverManager.getConnection(url);
    }

    /**
     * H2 answers some conversions its own way, and the replay follows PgJDBC instead: getBytes on
     * a number or UUID gives H2's binary form (PostgreSQL: the text's bytes), getArray wraps a
     * scalar into a one-element array (PostgreSQL throws), integral getters round a decimal
     * half-up (PostgreSQL truncates), a TIME read as a timestamp gets today's date (PostgreSQL:
     * 1970-01-01), getAsciiStream of binary decodes the bytes as UTF-8 first, and a calendar
     * moves a TIMESTAMP WITH TIME ZONE's date and time differently; a wall-clock value read as a
     * ZonedDateTime gets the zone's current offset, where the replay (like MariaDB's driver)
     * gives the JVM's zone itself.
     */
    @Override
    boolean knownDifference(String column, String getter) {
        boolean binaryColumn = column.equals("BY") || column.equals("JS");
        boolean binaryGetter = getter.equals("getBytes") || getter.equals("getBinaryStream")
                || getter.equals("getObject(byte[])");
        boolean integralGetter = getter.matches("get(Byte|Short|Int|Long)|getObject\\((Byte|Short|Integer|Long|BigInteger)\\)");
        boolean arrayColumn = column.equals("IA") || column.equals("TA");
        return binaryGetter && !binaryColumn
                || getter.equals("getArray") && !arrayColumn
                || integralGetter && (column.equals("N") || column.equals("R") || column.equals("D"))
                || column.equals("TM") && getter.matches("getTimestamp.*|getObject\\((Timestamp|LocalDateTime|OffsetDateTime|Instant|ZonedDateTime)\\)")
                || column.equals("BY") && getter.equals("getAsciiStream")
                || column.equals("TSTZ") && getter.matches("get(Date|Time)\\(cal\\)")
                || getter.equals("getObject(ZonedDateTime)") && !column.equals("TSTZ");
    }

    @Override
    List<String> setup() {
        return List.of("""
                create table every_type (
                  id int primary key, i int, b bigint, s smallint, n numeric(12,4), r real,
                  d double precision, bo boolean, vc varchar(20), tx varchar(1000), ch char(3), dt date,
                  tm time(6), ts timestamp(6), tstz timestamp(6) with time zone, u uuid, by varbinary(10),
                  ia integer array, ta varchar(20) array, js json)""",
                """
                insert into every_type values (1, 42, 9007199254740993, 7, 1234.5600, 1.5, 2.25, true,
                  'hello', 'some text', 'ab', date '2024-02-29', time '13:14:15.123456',
                  timestamp '2024-02-29 13:14:15.123456', timestamp with time zone '2024-02-29 13:14:15.5+02',
                  'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', X'00ff10', array[1,2,null],
                  array['a','b c',null,'{x}'], json '{"k": [1, 2]}')""",
                """
                insert into every_type values (2, -1, -2, 0, -0.0001, 0.5, 1e20, false,
                  '42', 't', 'xyz', date '1970-01-01', time '00:00:00', timestamp '2000-01-01 00:00:00',
                  timestamp with time zone '1999-12-31 23:59:59Z', '00000000-0000-0000-0000-000000000000', X'',
                  array[], array[], json 'null')""",
                "insert into every_type (id) values (3)");
    }
}
