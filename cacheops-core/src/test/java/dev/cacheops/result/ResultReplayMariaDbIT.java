package dev.cacheops.result;

import dev.cacheops.testing.TestServices;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/**
 * The differential replay test against MariaDB ({@link TestServices#mariaDbUrl(String)}: 127.0.0.1:3306
 * unless {@code CACHEOPS_TEST_MARIADB_URL} says otherwise, root without password; it creates and drops
 * a database of its own), a driver that converts and prints its own way. MariaDB is
 * optional: when it is not reachable the class is reported as skipped, with the reason.
 */
class ResultReplayMariaDbIT extends ReplayDifferentialSuite {
    private static final String URL = TestServices.mariaDbUrl("test");
    private static final String DATABASE = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
            .toLowerCase(Locale.ROOT);

    private static boolean created;

    /** MariaDB is an optional test service: without it this class is reported as skipped. */
    @BeforeAll
    static void createDatabase() {
        try (Connection c = DriverManager.getConnection(URL, "root", ""); Statement s = c.createStatement()) {
            s.execute("create database " + DATABASE);
            created = true;
        } catch (SQLException e) {
            Assumptions.abort("MariaDB not reachable at " + URL + " as root: " + e.getMessage());
        }
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        if (!created) {
            return;
        }
        try (Connection c = DriverManager.getConnection(URL, "root", ""); Statement s = c.createStatement()) {
            s.execute("drop database " + DATABASE);
        }
    }

    @Override
    Connection connect() throws SQLException {
        return DriverManager.getConnection(TestServices.mariaDbUrl(DATABASE), "root", "");
    }

    /**
     * Where MariaDB Connector/J answers its own way and the replay follows PgJDBC: getDate on a
     * DATETIME keeps the time of day (PostgreSQL: midnight) and ignores the calendar, a VARBINARY
     * converts its raw bytes to numbers and booleans (PostgreSQL: its text), getAsciiStream of
     * binary passes the raw bytes, and getBoolean truncates a decimal first.
     */
    @Override
    boolean knownDifference(String column, String getter) {
        return (column.equals("ts") || column.equals("tstz")) && getter.matches("getDate.*|getObject\\(Date\\)")
                || column.equals("bt") && getter.matches("getBoolean|getByte|getAsciiStream|getObject\\((Byte|Boolean)\\)")
                || column.equals("n") && getter.matches("getBoolean|getObject\\(Boolean\\)");
    }

    @Override
    List<String> setup() {
        return List.of("""
                create table every_type (
                  id int primary key, i int, b bigint, s smallint, n decimal(12,4), r float,
                  d double, bo boolean, vc varchar(20), tx varchar(1000), ch char(3), dt date,
                  tm time(6), ts datetime(6), tstz timestamp(6) null, bt varbinary(10), js json)""",
                """
                insert into every_type values (1, 42, 9007199254740993, 7, 1234.5600, 1.5, 2.25, true,
                  'hello', 'some text', 'ab', '2024-02-29', '13:14:15.123456',
                  '2024-02-29 13:14:15.123456', '2024-02-29 13:14:15.5', X'00ff10', '{"k": [1, 2]}')""",
                """
                insert into every_type values (2, -1, -2, 0, -0.0001, 0.5, 1e20, false,
                  '42', 't', 'xyz', '1970-01-01', '00:00:00', '2000-01-01 00:00:00',
                  '1999-12-31 23:59:59', X'', 'null')""",
                "insert into every_type (id) values (3)");
    }
}
