package dev.cacheops.checker;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The CI-bounded differential check: about 5,000 random actions per database and store, with
 * fixed seeds, every read through the cache compared with the database. Fails on any mismatch,
 * with the shrunk reproduction in the message. PostgreSQL and Redis are core's test services
 * (the {@code CACHEOPS_TEST_*} variables, the local ports, else embedded servers). Each run stops
 * after 60 s ({@code -Dchecker.seconds=N} to let a loaded machine finish every action, e.g. to
 * compare counts between two builds).
 */
@ExtendWith(TestServicesProperties.class)
class DifferentialCheckIT {
    private static final int OPS = 5_000;

    @ParameterizedTest(name = "{0}/{1} seed {2}")
    @CsvSource({"POSTGRES, REDIS, 11", "POSTGRES, LOCAL, 12", "H2, REDIS, 13", "H2, LOCAL, 14"})
    void cachedReadsEqualTheDatabase(Dialect dialect, Target.StoreKind store, long seed) {
        Target target = new Target(dialect, store);
        RunStats stats = new RunStats();
        Optional<Repro> repro = DifferentialCheck.check(target, seed, OPS,
                Duration.ofSeconds(Long.getLong("checker.seconds", 60)), Duration.ofSeconds(20), stats, null);
        System.out.println(target + " seed " + seed + ": " + stats.line());
        System.out.println(stats.details());
        if (repro.isPresent()) {
            fail(repro.get().report());
        }
    }

    /**
     * About a quarter of the auto-commit writes go around the cache (plain JDBC, as another
     * application's would) with the change stream on; after each, the next action waits until the
     * slot has confirmed a position past that commit (an exact criterion, not a sleep), and every
     * read must then equal the database. Needs {@code wal_level=logical}.
     */
    @org.junit.jupiter.api.Test
    void withTheChangeStreamWritesAroundTheCacheAreSeenOnceTheStreamConfirmedThem() {
        Target target = new Target(Dialect.POSTGRES, Target.StoreKind.REDIS, true);
        long around = new Workload(15, Dialect.POSTGRES).bypassing(true).generate(3_000).stream()
                .filter(a -> a instanceof Action.Write w && w.conn() == Executor.BYPASS).count();
        org.junit.jupiter.api.Assertions.assertTrue(around > 50, "writes around the cache in the workload: " + around);
        RunStats stats = new RunStats();
        Optional<Repro> repro = DifferentialCheck.check(target, 15, 3_000, Duration.ofSeconds(90),
                Duration.ofSeconds(30), stats, null);
        System.out.println(target + " seed 15 (" + around + " writes around the cache): " + stats.line());
        System.out.println(stats.details());
        if (repro.isPresent()) {
            fail(repro.get().report());
        }
    }
}
