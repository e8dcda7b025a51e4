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
 * (the {@code CACHEOPS_TEST_*} variables, the local ports, else embedded servers).
 */
@ExtendWith(TestServicesProperties.class)
class DifferentialCheckIT {
    private static final int OPS = 5_000;

    @ParameterizedTest(name = "{0}/{1} seed {2}")
    @CsvSource({"POSTGRES, REDIS, 11", "POSTGRES, LOCAL, 12", "H2, REDIS, 13", "H2, LOCAL, 14"})
    void cachedReadsEqualTheDatabase(Dialect dialect, Target.StoreKind store, long seed) {
        Target target = new Target(dialect, store);
        RunStats stats = new RunStats();
        Optional<Repro> repro = DifferentialCheck.check(target, seed, OPS, Duration.ofSeconds(60),
                Duration.ofSeconds(20), stats, null);
        System.out.println(target + " seed " + seed + ": " + stats.line());
        System.out.println(stats.details());
        if (repro.isPresent()) {
            fail(repro.get().report());
        }
    }
}
