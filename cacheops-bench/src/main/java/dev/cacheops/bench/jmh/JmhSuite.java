package dev.cacheops.bench.jmh;

import dev.cacheops.bench.fixture.BenchSettings;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the microbenchmarks programmatically. The full run forks one JVM per benchmark (3 warm-up
 * and 5 measured iterations of 1 s); the smoke run checks the harness only: no fork, one
 * iteration of 100 ms, and at most 1,000 live entries for the invalidation benchmark.
 */
public final class JmhSuite {
    /** Every benchmark class, in report order. */
    public static final List<Class<?>> ALL = List.of(HitPathBenchmark.class, MissPathBenchmark.class,
            AnalyzerBenchmark.class, WriteBenchmark.class, InvalidationBenchmark.class);

    private JmhSuite() {
    }

    /**
     * Runs the benchmark classes whose simple names match {@code include} (a regular expression).
     *
     * @throws RunnerException when JMH fails, including when a benchmark's set-up or tear-down
     *                         check fails (the harness must not report numbers it cannot trust)
     */
    public static List<JmhScore> run(String include, boolean smoke, BenchSettings settings) throws RunnerException {
        return run(include, smoke, settings, List.of());
    }

    /** As {@link #run(String, boolean, BenchSettings)}, with more {@code -D} arguments for the forks. */
    public static List<JmhScore> run(String include, boolean smoke, BenchSettings settings, List<String> jvmArgs)
            throws RunnerException {
        List<String> args = new ArrayList<>(settings.asJvmArgs());
        args.addAll(jvmArgs);
        ChainedOptionsBuilder o = new OptionsBuilder()
                .include("dev\\.cacheops\\.bench\\.jmh\\.(" + include + ")\\.")
                .shouldFailOnError(true);
        if (smoke) {
            o.forks(0).warmupIterations(0).measurementIterations(1)
                    .measurementTime(TimeValue.milliseconds(100))
                    .param("entries", "10", "1000");
        } else {
            // jvmArgsAppend replaces what an earlier call appended: one call with every argument.
            args.add("-Xmx4g");
            o.forks(1).warmupIterations(3).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(5).measurementTime(TimeValue.seconds(1));
        }
        o.jvmArgsAppend(args.toArray(String[]::new));
        Collection<RunResult> results = new Runner(o.build()).run();
        List<JmhScore> scores = new ArrayList<>();
        for (RunResult r : results) {
            BenchmarkParams p = r.getParams();
            String full = p.getBenchmark();
            String[] parts = full.split("\\.");
            Map<String, String> params = new LinkedHashMap<>();
            for (String key : p.getParamsKeys()) {
                params.put(key, p.getParam(key));
            }
            scores.add(new JmhScore(parts[parts.length - 2], parts[parts.length - 1], params,
                    r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError(),
                    r.getPrimaryResult().getScoreUnit()));
        }
        return scores;
    }
}
