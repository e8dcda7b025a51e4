package dev.cacheops.bench.workload;

import dev.cacheops.bench.fixture.BenchSettings;
import dev.cacheops.bench.fixture.Fixtures;
import dev.cacheops.bench.fixture.Pools;
import dev.cacheops.bench.fixture.RedisKeys;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the workload for every mode, write share and thread count, one mode after the other in
 * this process with the same seed, and takes a census of the Redis keys after the Redis mode's
 * last (longest accumulated) run.
 */
public final class WorkloadSuite {
    /** Write shares of the full run. */
    public static final double[] SHARES = {0, 0.01, 0.05, 0.20};
    /** Thread counts of the full run. */
    public static final int[] THREADS = {1, 4, 16};

    /**
     * The results of a suite run.
     *
     * @param runs   every measured run
     * @param census the Redis key census of the Cacheops-on-Redis mode after its last run
     */
    public record Results(List<WorkloadResult> runs, KeyCensus census) {
    }

    /**
     * What to run.
     *
     * @param shares    write shares
     * @param threads   thread counts
     * @param ops       measured operations per run
     * @param warmupOps warm-up operations per run (not measured)
     * @param seed      the seed every mode uses
     */
    public record Plan(double[] shares, int[] threads, int ops, int warmupOps, long seed) {
        /** The full run: every share and thread count, 20,000 operations after 2,000 of warm-up. */
        public static Plan full() {
            return new Plan(SHARES, THREADS, 20_000, 2_000, 42);
        }

        /**
         * The smoke run, for the harness's correctness only: no writes and 5% writes, 1 and 4
         * threads, 160 operations after 40 of warm-up.
         */
        public static Plan smoke() {
            return new Plan(new double[] {0, 0.05}, new int[] {1, 4}, 160, 40, 42);
        }
    }

    private WorkloadSuite() {
    }

    /** Runs {@code plan}; {@code progress} receives one line per run. */
    public static Results run(BenchSettings settings, Plan plan, java.util.function.Consumer<String> progress)
            throws Exception {
        Fixtures.ensure(Pools.postgres(settings), settings.schema());
        List<WorkloadResult> runs = new ArrayList<>();
        KeyCensus census = null;
        int poolSize = java.util.Arrays.stream(plan.threads()).max().orElse(1);
        for (CacheMode mode : CacheMode.values()) {
            if (!selected("workload.modes", mode.name())) {
                continue;
            }
            try (ModeEnvironment env = new ModeEnvironment(mode, settings, poolSize)) {
                WorkloadRunner runner = new WorkloadRunner(env, plan.seed());
                for (double share : plan.shares()) {
                    if (!selected("workload.shares", Double.toString(share))) {
                        continue;
                    }
                    for (int threads : plan.threads()) {
                        if (!selected("workload.threads", Integer.toString(threads))) {
                            continue;
                        }
                        WorkloadResult r = runner.run(share, threads, plan.ops(), plan.warmupOps());
                        runs.add(r);
                        progress.accept("  " + env.describeCache());
                        progress.accept(String.format("%-28s writes %4.0f%% threads %2d: %8.0f ops/s,"
                                        + " %.2f statements/op, hit ratio %.2f, p99 %.0f us, stale %d",
                                mode.label(), share * 100, threads, r.throughput(), r.statementsPerOp(),
                                r.hitRatio(), r.p99Micros(), r.staleReads()));
                    }
                }
                if (env.redisPrefix() != null) {
                    try (RedisKeys redis = new RedisKeys(settings.redisUri())) {
                        census = KeyCensus.of(redis, env.redisPrefix());
                    }
                }
            }
        }
        return new Results(runs, census);
    }

    /**
     * Whether a cell runs: the system property {@code key} (a comma list, e.g.
     * {@code -Dworkload.modes=HIBERNATE,CACHEOPS_NEAR -Dworkload.shares=0.0 -Dworkload.threads=1})
     * names it, or is unset. For comparing or profiling a few cells; the report's runs set none.
     */
    private static boolean selected(String key, String value) {
        String list = System.getProperty(key);
        return list == null || List.of(list.split(",")).contains(value);
    }
}
