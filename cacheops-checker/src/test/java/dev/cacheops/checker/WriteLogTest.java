package dev.cacheops.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which write {@link WriteLog} blames for a re-read: commit order, rollbacks, cascades, the trigger. */
class WriteLogTest {
    private static final String BY_TAG = "select post_id from post_tag where tag_id = 1";

    private static Outcome write(int conn, String tag, String sql) {
        return Outcome.plain(new Action.Write(conn, tag, List.of(sql), List.of(List.of()), Action.WriteMode.STATEMENT), null);
    }

    @Test
    void theLastCommittedWriteReachingTheReadIsBlamed() {
        WriteLog log = new WriteLog();
        int since = log.position();
        log.record(write(0, "insert", "insert into post_tag values (1, 1)"));
        log.record(write(0, "update_key", "update author set name = 'x' where id = 1"));
        assertEquals("insert post_tag (direct)", log.cause(BY_TAG, since));
        log.record(write(0, "delete_key", "delete from author where id = 1"));
        assertEquals("delete_key author (cascade)", log.cause(BY_TAG, since));
        assertEquals("none logged", log.cause(BY_TAG, log.position()));
    }

    @Test
    void aTransactionCountsAtCommitAndNotAtAllAfterARollback() {
        WriteLog log = new WriteLog();
        log.record(Outcome.plain(new Action.Begin(1), null));
        log.record(write(1, "delete_key", "delete from post_tag where post_id = 1"));
        assertEquals("none logged", log.cause(BY_TAG, 0), "not committed yet");
        log.record(Outcome.plain(new Action.Rollback(1), null));
        assertEquals("none logged", log.cause(BY_TAG, 0));
        log.record(Outcome.plain(new Action.Begin(1), null));
        log.record(write(1, "delete_key", "delete from post_tag where post_id = 1"));
        log.record(Outcome.plain(new Action.Commit(1, false), null));
        assertEquals("delete_key post_tag (direct)", log.cause(BY_TAG, 0));
    }

    @Test
    void failedWritesAndSkippedCommitsAreNotWrites() {
        WriteLog log = new WriteLog();
        log.record(Outcome.plain(new Action.Write(0, "insert", List.of("insert into post_tag values (9, 9)"),
                List.of(List.of()), Action.WriteMode.STATEMENT), "write failed: 23503 fk"));
        assertEquals("none logged", log.cause(BY_TAG, 0));
    }

    @Test
    void theTriggerReachesNoteCount() {
        WriteLog log = new WriteLog();
        log.record(write(0, "note_insert", "insert into note values (1, 'a')"));
        assertEquals("note_insert note (trigger)", log.cause("select n from note_count where id = 1", 0));
        log.record(Outcome.plain(new Action.InvalidateTable("note_count"), null));
        assertEquals("manual invalidateTable note_count (direct)", log.cause("select n from note_count where id = 1", 0));
    }
}
