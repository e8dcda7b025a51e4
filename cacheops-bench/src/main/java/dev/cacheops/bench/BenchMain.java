package dev.cacheops.bench;

import dev.cacheops.bench.fixture.BenchSettings;
import dev.cacheops.bench.fixture.LocalCluster;
import dev.cacheops.bench.jmh.ClusterHitPathBenchmark;
import dev.cacheops.bench.jmh.JmhScore;
import dev.cacheops.bench.jmh.JmhSuite;
import dev.cacheops.bench.memory.MemoryProbe;
import dev.cacheops.bench.oltp.OltpSuite;
import dev.cacheops.bench.report.BenchResults;
import dev.cacheops.bench.report.Machine;
import dev.cacheops.bench.report.ReportWriter;
import dev.cacheops.bench.tracking.TrackingModes;
import dev.cacheops.bench.workload.WorkloadSuite;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs every benchmark and writes the report.
 *
 * <pre>
 *   java -jar cacheops-bench.jar [--out DIR] [--smoke]   everything; writes DIR/BENCHMARKS.md (default docs)
 *   java -jar cacheops-bench.jar --jmh REGEX [--smoke]   only the JMH classes matching REGEX, printed
 *   java -jar cacheops-bench.jar --workload [--smoke]    only the Hibernate workload, printed
 *   java -jar cacheops-bench.jar --oltp [--smoke]        only the concurrent indexed-lookup workload
 *   java -jar cacheops-bench.jar --tracking [--smoke]    only the near cache's tracking modes, printed
 *                                                        and the transport comparison, printed as tables
 * </pre>
 *
 * Services come from {@code -Dbench.*} properties ({@link BenchSettings}); {@code -Dbench.smoke=true}
 * is the same as {@code --smoke}. Exits non-zero when any
 * benchmark or harness check fails.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        int status;
        try {
            status = run(args);
        } catch (Exception e) {
            e.printStackTrace();
            status = 1;
        }
        System.exit(status); // Lettuce and Hibernate leave non-daemon threads behind
    }

    /** Runs as {@link #main} would, without exiting; returns the exit status. */
    public static int run(String... args) throws Exception {
        boolean smoke = Boolean.getBoolean("bench.smoke");
        Path out = Path.of("docs");
        String jmhOnly = null;
        boolean workloadOnly = false;
        boolean oltpOnly = false;
        boolean trackingOnly = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--smoke" -> smoke = true;
                case "--out" -> out = Path.of(args[++i]);
                case "--jmh" -> jmhOnly = args[++i];
                case "--workload" -> workloadOnly = true;
                case "--oltp" -> oltpOnly = true;
                case "--tracking" -> trackingOnly = true;
                default -> {
                    System.err.println("unknown argument " + args[i]
                            + "; usage: [--out DIR] [--smoke] | --jmh REGEX [--smoke] | --workload [--smoke]"
                            + " | --oltp [--smoke] | --tracking [--smoke]");
                    return 2;
                }
            }
        }
        BenchSettings settings = BenchSettings.fromSystemProperties();
        if (jmhOnly != null) {
            if (ClusterHitPathBenchmark.class.getSimpleName().matches(jmhOnly)
                    && System.getenv("CACHEOPS_BENCH_REDIS_CLUSTER") == null) {
                clusterHitPath(settings, smoke).forEach(System.out::println);
                return 0;
            }
            JmhSuite.run(jmhOnly, smoke, settings).forEach(System.out::println);
            return 0;
        }
        if (workloadOnly) {
            WorkloadSuite.run(settings, smoke ? WorkloadSuite.Plan.smoke() : WorkloadSuite.Plan.full(),
                    System.out::println);
            return 0;
        }
        if (oltpOnly) {
            OltpSuite.Results oltp = OltpSuite.run(settings, oltpPlan(smoke), System.out::println);
            System.out.println();
            OltpSuite.tables(oltp).forEach(System.out::println);
            return 0;
        }
        if (trackingOnly) {
            List<TrackingModes.Cell> cells = TrackingModes.run(settings, trackingPlan(smoke), System.out::println);
            System.out.println();
            TrackingModes.table(cells).forEach(System.out::println);
            return 0;
        }
        Path report = runAll(settings, smoke, out);
        System.out.println("wrote " + report.toAbsolutePath());
        return 0;
    }

    /** Every benchmark, then the report in {@code out}; returns the report's path. */
    public static Path runAll(BenchSettings settings, boolean smoke, Path out) throws Exception {
        Map<String, String> machine = Machine.describe(settings);
        String all = String.join("|", JmhSuite.ALL.stream().map(Class::getSimpleName).toList());
        List<JmhScore> jmh = new ArrayList<>(JmhSuite.run(all, smoke, settings));
        jmh.addAll(clusterHitPath(settings, smoke));
        WorkloadSuite.Results workload = WorkloadSuite.run(settings,
                smoke ? WorkloadSuite.Plan.smoke() : WorkloadSuite.Plan.full(), System.out::println);
        OltpSuite.Results oltp = OltpSuite.run(settings, oltpPlan(smoke), System.out::println);
        List<TrackingModes.Cell> tracking = TrackingModes.run(settings, trackingPlan(smoke), System.out::println);
        List<MemoryProbe.Row> memory = MemoryProbe.measure(settings);
        BenchResults results = new BenchResults(smoke, machine, jmh, workload.runs(), workload.census(), memory,
                oltp, tracking);
        return ReportWriter.write(out, results);
    }

    /** The cluster hit path on a cluster of its own, or nothing when none can be started here. */
    private static List<JmhScore> clusterHitPath(BenchSettings settings, boolean smoke) throws Exception {
        try (LocalCluster cluster = LocalCluster.startIfPossible(System.out::println)) {
            if (cluster == null) {
                return List.of();
            }
            String property = ClusterHitPathBenchmark.CLUSTER_PROPERTY;
            // The smoke run does not fork: the benchmark then reads this JVM's property.
            System.setProperty(property, cluster.uri());
            try {
                return JmhSuite.run(ClusterHitPathBenchmark.class.getSimpleName(), smoke, settings,
                        List.of("-D" + property + "=" + cluster.uri()));
            } finally {
                System.clearProperty(property);
            }
        }
    }

    private static TrackingModes.Plan trackingPlan(boolean smoke) {
        return smoke ? TrackingModes.Plan.smoke() : TrackingModes.Plan.full();
    }

    private static OltpSuite.Plan oltpPlan(boolean smoke) {
        return smoke ? OltpSuite.Plan.smoke() : OltpSuite.Plan.full();
    }
}
