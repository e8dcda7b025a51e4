package dev.cacheops.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * Runs the demo in-process with a small workload and checks what the README promises: it exits
 * 0, the cache served hits, writes invalidated results, every checked read matched the database,
 * and fewer statements reached the database with the cache than without.
 */
abstract class DemoContract {

    /** Options choosing the store; none for the in-process one. */
    abstract List<String> storeOptions();

    void runsCorrectlyAndSavesStatements() {
        List<String> args = new ArrayList<>(List.of("--operations", "3000", "--warmup", "0", "--posts", "500",
                "--verify-every", "1", "--write-share", "10",
                // a database of its own, so tests in one JVM never share tables
                "--jdbc-url", "jdbc:h2:mem:" + getClass().getSimpleName() + ";DB_CLOSE_DELAY=-1"));
        args.addAll(storeOptions());
        Demo demo = new Demo();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(demo).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));

        int exit = cli.execute(args.toArray(String[]::new));

        assertThat(exit).as("exit code; stderr:%n%s%nstdout:%n%s", err, out).isZero();
        Demo.Outcome outcome = demo.outcome();
        assertThat(outcome.cached().verified()).as("reads verified").isEqualTo(outcome.cached().reads());
        assertThat(outcome.cached().mismatches()).as("mismatches").isZero();
        assertThat(outcome.stats().hits()).as("hits").isPositive();
        assertThat(outcome.stats().invalidations()).as("invalidations").isPositive();
        assertThat(outcome.cached().dbStatements()).as("statements reaching the database with the cache")
                .isLessThan(outcome.uncached().dbStatements());
        assertThat(outcome.cached().writes()).as("same workload").isEqualTo(outcome.uncached().writes());
        assertThat(out.toString()).contains("0 mismatches", "result: OK");
    }
}
