package dev.cacheops.demo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Executes a workload on one data source through a single connection held for the whole run (the
 * workload is single-threaded, so one connection is the trivial pool, and neither run pays for
 * connecting). Writes with several statements run in one transaction. Not thread-safe.
 */
final class Runner {
    /** A statement failed; says which operation, so an engine bug can be reproduced. */
    static final class RunFailure extends Exception {
        private static final long serialVersionUID = 1L;

        RunFailure(String run, long operation, Workload.Step step, Throwable cause) {
            super(run + ": operation " + operation + " (" + step.kind().label + ") failed: "
                    + step.statements().stream().map(s -> s.text() + " " + s.params()).toList(), cause);
        }
    }

    private final String label;
    private final CountingDataSource counted;
    private final DataSource dataSource;
    private final Verifier verifier;
    private final int verifyEvery;

    /**
     * @param label       the run's name in the report
     * @param counted     the counter, under the cache if there is one
     * @param dataSource  what the workload uses: {@code counted}'s data source, or the cache's wrap of it
     * @param verifier    compares every {@code verifyEvery}-th read with the database; null for none
     */
    Runner(String label, CountingDataSource counted, DataSource dataSource, Verifier verifier,
           int verifyEvery) {
        this.label = label;
        this.counted = counted;
        this.dataSource = dataSource;
        this.verifier = verifier;
        this.verifyEvery = verifyEvery;
    }

    /** Runs {@code operations} operations of {@code workload}. */
    RunResult run(Workload workload, long operations) throws RunFailure, SQLException {
        Map<Workload.Kind, Long> byKind = new EnumMap<>(Workload.Kind.class);
        long reads = 0;
        long verifyNanos = 0;
        long start = System.nanoTime();
        try (Connection c = dataSource.getConnection(); StatementCache statements = new StatementCache(c)) {
            for (long op = 1; op <= operations; op++) {
                Workload.Step step = workload.next();
                byKind.merge(step.kind(), 1L, Long::sum);
                try {
                    if (step.kind().read) {
                        Workload.Sql sql = step.statements().get(0);
                        List<List<Object>> rows = Rows.query(statements.get(sql.text()), sql);
                        if (verifier != null && ++reads % verifyEvery == 0) {
                            long t = System.nanoTime();
                            verifier.check(op, sql, rows);
                            verifyNanos += System.nanoTime() - t;
                        }
                    } else {
                        write(c, statements, step.statements());
                    }
                } catch (SQLException | RuntimeException e) {
                    throw new RunFailure(label, op, step, e);
                }
            }
        }
        Duration wall = Duration.ofNanos(System.nanoTime() - start - verifyNanos);
        return new RunResult(label, operations, byKind, counted.reads(), counted.writes(), wall,
                Duration.ofNanos(verifyNanos), verifier == null ? 0 : verifier.checked(),
                verifier == null ? 0 : verifier.mismatches(), verifier == null ? List.of() : verifier.samples());
    }

    private static void write(Connection c, StatementCache cache, List<Workload.Sql> statements)
            throws SQLException {
        boolean transaction = statements.size() > 1;
        if (transaction) {
            c.setAutoCommit(false);
        }
        try {
            for (Workload.Sql sql : statements) {
                PreparedStatement ps = cache.get(sql.text());
                Workload.bind(ps, sql.params());
                ps.executeUpdate();
            }
            if (transaction) {
                c.commit();
            }
        } catch (SQLException | RuntimeException e) {
            if (transaction) {
                c.rollback();
            }
            throw e;
        } finally {
            if (transaction) {
                c.setAutoCommit(true);
            }
        }
    }
}
