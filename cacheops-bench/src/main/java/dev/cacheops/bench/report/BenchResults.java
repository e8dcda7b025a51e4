package dev.cacheops.bench.report;

import dev.cacheops.bench.jmh.JmhScore;
import dev.cacheops.bench.memory.MemoryProbe;
import dev.cacheops.bench.oltp.OltpSuite;
import dev.cacheops.bench.tracking.TrackingModes;
import dev.cacheops.bench.workload.KeyCensus;
import dev.cacheops.bench.workload.WorkloadResult;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Everything one run measured, as the report needs it.
 *
 * @param smoke    whether this was the smoke run (numbers meaningless, harness checked)
 * @param machine  {@link Machine#describe}
 * @param jmh      the microbenchmark scores
 * @param workload the workload runs
 * @param census   Redis keys after the Redis workload mode, or null
 * @param memory   the memory probe's rows
 * @param oltp     the concurrent indexed-lookup workload and the transport comparison
 * @param tracking the near cache's two client-tracking modes side by side
 */
public record BenchResults(boolean smoke, Map<String, String> machine, List<JmhScore> jmh,
                           List<WorkloadResult> workload, KeyCensus census, List<MemoryProbe.Row> memory,
                           OltpSuite.Results oltp, List<TrackingModes.Cell> tracking) {
    public BenchResults {
        machine = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(machine));
        jmh = List.copyOf(jmh);
        workload = List.copyOf(workload);
        memory = List.copyOf(memory);
        oltp = oltp == null ? new OltpSuite.Results(List.of(), List.of()) : oltp;
        tracking = tracking == null ? List.of() : List.copyOf(tracking);
    }

    /** The score of {@code benchmark.method} with these params, if it ran. */
    public OptionalDouble score(String benchmark, String method, Map<String, String> params) {
        return jmh.stream().filter(s -> s.is(benchmark, method, params)).mapToDouble(JmhScore::score).findFirst();
    }

    /** The workload run with these coordinates, if it ran. */
    public Optional<WorkloadResult> run(dev.cacheops.bench.workload.CacheMode mode, double share, int threads) {
        return workload.stream().filter(r -> r.mode() == mode && r.writeShare() == share && r.threads() == threads)
                .findFirst();
    }
}
