package dev.cacheops.result;

import dev.cacheops.testing.TestServices;
import dev.cacheops.testing.TestServices.SchemaDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

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
}
