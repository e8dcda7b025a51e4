package dev.cacheops.result;

import dev.cacheops.testing.TestServices;
import dev.cacheops.testing.TestServices.SchemaDataSource;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The differential replay test against the real PostgreSQL and PgJDBC. */
class ResultReplayIT extends ReplayDifferentialSuite {
    private static SchemaDataSource schema;

    @BeforeAll
    static void createSchema() {
        schema = TestServices.freshPostgresSchema();
    }

    @AfterAll
    static void dropSchema() {
        schema.close();
    }

    @Override
    Connection connect() throws SQLException {
        return schema.dataSource().getConnection();
    }

    @Override
    List<String> setup() {
        return List.of("""
                create table every_type (
                  id int primary key, i int, b bigint, s smallint, n numeric(12,4), r real,
                  d double precision, bo boolean, vc varchar(20), tx text, ch char(3), dt date, tm time,
                  ts timestamp, tstz timestamptz, u uuid, by bytea, ia int[], ta text[], js json,
                  jb jsonb, iv interval, ip inet)""",
                """
                insert into every_type values (1, 42, 9007199254740993, 7, 1234.5600, 1.5, 2.25, true,
                  'hello', 'some text', 'ab', date '2024-02-29', time '13:14:15.123456',
                  timestamp '2024-02-29 13:14:15.123456', timestamptz '2024-02-29 13:14:15.5+02',
                  'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '\\x00ff10', '{1,2,null}',
                  '{"a","b c",null,"{x}"}', '{"k": [1, 2]}', '{"k": [1, 2]}', interval '1 day 02:03:04',
                  '192.168.0.1/24')""",
                """
                insert into every_type values (2, -1, -2, 0, -0.0001, 0.1, 1e20, false,
                  '42', 't', 'xyz', date '1970-01-01', time '00:00:00', timestamp '2000-01-01 00:00:00',
                  timestamptz '1999-12-31 23:59:59Z', '00000000-0000-0000-0000-000000000000', '',
                  '{}', '{}', 'null', '[]', interval '-3 months', '::1')""",
                "insert into every_type (id) values (3)");
    }

    /**
     * Reports (never asserts) the encoded size of a typical 20-row, 6-column result and rough
     * encode and decode times; only the size is bounded, as a guard against a bloated format.
     */
    @Test
    void typicalResultIsCompact() throws SQLException {
        ResultSnapshot snapshot;
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("""
                    create table users (id bigint primary key, account_id int, name varchar(40),
                      email varchar(80), status varchar(10), created_at timestamp)""");
            s.execute("""
                    insert into users select g, 1000 + g % 7, 'User ' || g, 'user' || g || '@example.com',
                      'active', timestamp '2024-01-01 00:00:00' + g * interval '1 hour 17 minutes 3.25 seconds'
                    from generate_series(1, 20) g""");
            try (ResultSet rs = s.executeQuery("select * from users order by id")) {
                ResultRecorder recorder = ResultRecorder.start(rs, 1000, 1 << 20);
                while (rs.next()) {
                    recorder.record(rs);
                }
                snapshot = recorder.snapshot();
            }
        }
        for (int r = 0; r < snapshot.rowCount(); r++) {
            for (int c = 0; c < snapshot.columnCount(); c++) {
                // PgJDBC prints these values as derived, so no driver text is stored
                assertThat(snapshot.value(r, c)).isNotInstanceOf(DriverText.class);
            }
        }
        byte[] payload = ResultCodec.encode(snapshot);
        int rounds = 20_000;
        long sink = 0;
        for (int i = 0; i < rounds; i++) { // warm-up
            sink += ResultCodec.decode(ResultCodec.encode(snapshot)).rowCount();
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            sink += ResultCodec.encode(snapshot).length;
        }
        long t1 = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            sink += ResultCodec.decode(payload).rowCount();
        }
        long t2 = System.nanoTime();
        System.out.printf("typical 20x6 result: %d bytes; encode %.1f us, decode %.1f us (sink %d)%n",
                payload.length, (t1 - t0) / 1e3 / rounds, (t2 - t1) / 1e3 / rounds, sink);
        assertThat(payload.length).isLessThan(2000);
    }
}
