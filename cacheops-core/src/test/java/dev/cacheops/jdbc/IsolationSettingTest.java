package dev.cacheops.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SQL in, the isolation level the wrapper assumes afterwards out (DESIGN §6), as JDBC numbers: 1 READ
 * UNCOMMITTED, 2 READ COMMITTED, 4 REPEATABLE READ, 8 SERIALIZABLE, -1 unknown.
 */
class IsolationSettingTest {
    @ParameterizedTest(name = "{1} at {0} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "2 | set search_path to x                                                  | 2",
            "2 | SET TRANSACTION ISOLATION LEVEL REPEATABLE READ                       | 4",
            "2 | set transaction isolation level serializable                          | 8",
            "2 | begin isolation level serializable                                    | 8",
            "2 | start transaction isolation level repeatable read, read write         | 4",
            "2 | set session characteristics as transaction isolation level serializable | 8",
            "2 | set session tx_isolation = 'REPEATABLE-READ'                          | 4",
            "2 | set default_transaction_isolation = 'serializable'                    | 8",
            "2 | set transaction isolation level read committed                        | 2",
            "1 | set transaction isolation level read committed                        | 1",
            "4 | set transaction isolation level read committed                        | 4",
            "8 | set transaction isolation level repeatable read                       | 8",
            "-1 | set transaction isolation level repeatable read                      | -1",
            "-1 | set transaction isolation level read committed                       | -1",
            "2 | set default_transaction_isolation to default                          | -1",
            "2 | reset transaction_isolation                                           | -1",
            "2 | set session tx_isolation = @@global.tx_isolation                      | -1",
            "2 | show transaction isolation level                                      | 2",
            "2 | select @@tx_isolation                                                 | 2",
    })
    void levelAfterAStatement(int current, String sql, int expected) {
        assertThat(IsolationSetting.after(current, sql.strip())).isEqualTo(expected);
    }
}
