package dev.cacheops.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheops.sql.TransactionControl.Kind;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Table-driven: SQL in, what it does to the session's transaction out. */
class TransactionControlTest {
    static Stream<Arguments> statements() {
        return Stream.of(
                Arguments.of("BEGIN", Kind.BEGIN),
                Arguments.of("begin;", Kind.BEGIN),
                Arguments.of("  /* app */ BEGIN WORK", Kind.BEGIN),
                Arguments.of("BEGIN TRANSACTION ISOLATION LEVEL SERIALIZABLE", Kind.BEGIN),
                Arguments.of("begin isolation level repeatable read, read only", Kind.BEGIN),
                Arguments.of("START TRANSACTION", Kind.BEGIN),
                Arguments.of("start transaction read write, with consistent snapshot", Kind.BEGIN),
                Arguments.of("begin not atomic", Kind.NONE),
                Arguments.of("begin not deferrable", Kind.BEGIN),
                // a compound block mentions END: not followed, conservatively
                Arguments.of("begin not atomic select 1; end", Kind.UNTRACKED),
                Arguments.of("start slave", Kind.NONE),
                Arguments.of("COMMIT", Kind.COMMIT),
                Arguments.of("commit work", Kind.COMMIT),
                Arguments.of("COMMIT AND NO CHAIN", Kind.COMMIT),
                Arguments.of("END", Kind.COMMIT),
                Arguments.of("end transaction", Kind.COMMIT),
                Arguments.of("COMMIT AND CHAIN", Kind.COMMIT_AND_CHAIN),
                Arguments.of("ROLLBACK", Kind.ROLLBACK),
                Arguments.of("abort", Kind.ROLLBACK),
                Arguments.of("rollback work and no chain", Kind.ROLLBACK),
                Arguments.of("ROLLBACK AND CHAIN", Kind.ROLLBACK_AND_CHAIN),
                Arguments.of("ROLLBACK TO SAVEPOINT s1", Kind.SAVEPOINT),
                Arguments.of("rollback to s1", Kind.SAVEPOINT),
                Arguments.of("SAVEPOINT s1", Kind.SAVEPOINT),
                Arguments.of("RELEASE SAVEPOINT s1", Kind.SAVEPOINT),
                Arguments.of("PREPARE TRANSACTION 'tx1'", Kind.PREPARE_TRANSACTION),
                Arguments.of("COMMIT PREPARED 'tx1'", Kind.COMMIT_PREPARED),
                Arguments.of("ROLLBACK PREPARED 'tx1'", Kind.NONE),
                Arguments.of("prepare stmt from 'select 1'", Kind.NONE),
                Arguments.of("SET autocommit = 0", Kind.UNTRACKED),
                Arguments.of("set @@session.autocommit=1", Kind.UNTRACKED),
                Arguments.of("XA START 'x'", Kind.UNTRACKED),
                Arguments.of("begin; update t set a = 1; commit", Kind.UNTRACKED),
                Arguments.of("update t set a = 1; select 1", Kind.NONE),
                Arguments.of("set search_path = app", Kind.NONE),
                Arguments.of("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE", Kind.NONE),
                Arguments.of("select 'commit'", Kind.NONE),
                Arguments.of("update t set note = 'begin' where id = 1", Kind.NONE));
    }

    @ParameterizedTest
    @MethodSource("statements")
    void classifies(String sql, Kind expected) {
        assertThat(TransactionControl.of(sql)).isEqualTo(expected);
    }
}
