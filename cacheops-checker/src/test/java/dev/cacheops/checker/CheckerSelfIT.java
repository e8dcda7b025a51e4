package dev.cacheops.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Checks the checker: a write that bypasses the cache (as another application's would) must be
 * caught as a mismatch and shrunk to the three actions that matter, and the same workload with
 * the write going through the cache must pass. Uses H2 and the in-process store.
 */
class CheckerSelfIT {
    private static final Target TARGET = new Target(Dialect.H2, Target.StoreKind.LOCAL);
    private static final Action.Read READ = new Action.Read(1, "filter", "select * from tag where id = 1 order by id",
            List.of(), false, true, 0);

    private static List<Action> workload(int writer) {
        List<Action> actions = new ArrayList<>(new Workload(5, Dialect.H2).generate(40).subList(0, 5));
        actions.add(READ);
        actions.add(new Action.Read(0, "count", "select count(*) from author", List.of(), false, true, 0));
        actions.add(new Action.Write(writer, "update_key", List.of("update tag set label = 'zzz' where id = 1"),
                List.of(List.of()), Action.WriteMode.STATEMENT));
        actions.add(new Action.Read(0, "count", "select count(*) from post", List.of(), false, true, 0));
        actions.add(READ);
        return actions;
    }

    @Test
    void aWriteBehindTheCachesBackIsCaughtAndShrunk() {
        DifferentialRun.Result r = DifferentialCheck.replay(TARGET, workload(Executor.BYPASS));
        assertTrue(r.failed(), "a stale read must be reported");
        List<Action> minimal = Shrinker.shrink(workload(Executor.BYPASS),
                c -> DifferentialCheck.replay(TARGET, c).failed(), c -> c, System.nanoTime() + Duration.ofSeconds(30).toNanos());
        // the tag row (seed insert), the read that caches it, the write behind the cache, the stale read
        assertEquals(4, minimal.size(), () -> new Repro(TARGET, 5, 10, minimal, r.mismatch()).report());
    }

    @Test
    void theSameWriteThroughTheCacheIsNoMismatch() {
        assertFalse(DifferentialCheck.replay(TARGET, workload(1)).failed());
    }

    /**
     * H2 spins, ignoring its lock timeout, on a row lock of a transaction that rolled back to a
     * savepoint ({@link Dialect#spinsOnLocksAfterRollbackToSavepoint()}); with both connections on
     * one thread the replay used to hang here (DifferentialCheckIT in CI). The blocked write is
     * skipped instead.
     */
    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aWriteThatWouldWaitOnATransactionRolledBackToASavepointDoesNotHang() {
        List<Action> actions = List.of(
                new Action.Write(0, "insert", List.of("insert into tag (id, label) values (1, 'ann')"),
                        List.of(List.of()), Action.WriteMode.STATEMENT),
                new Action.Begin(0),
                new Action.Savepoint(0, "sp1"),
                new Action.Write(0, "insert", List.of("insert into tag (id, label) values (2, 'bob')"),
                        List.of(List.of()), Action.WriteMode.STATEMENT),
                new Action.RollbackTo(0, "sp1"),
                new Action.Write(0, "update_key", List.of("update tag set label = 'cid' where id = 1"),
                        List.of(List.of()), Action.WriteMode.STATEMENT),
                new Action.Write(1, "update_key", List.of("update tag set label = 'dee' where id = 1"),
                        List.of(List.of()), Action.WriteMode.STATEMENT),
                new Action.Commit(0, false),
                READ);
        DifferentialRun.Result r = DifferentialCheck.replay(TARGET, actions);
        assertFalse(r.failed(), () -> new Repro(TARGET, 0, actions.size(), actions, r.mismatch()).report());
        assertEquals(actions.size(), r.executed());
    }
}
