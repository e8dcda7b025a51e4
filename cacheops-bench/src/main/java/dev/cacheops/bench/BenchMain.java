package dev.cacheops.bench;

import dev.cacheops.bench.fixture.BenchSettings;
import dev.cacheops.bench.jmh.JmhScore;
import dev.cacheops.bench.jmh.JmhSuite;
import dev.cacheops.bench.workload.WorkloadSuite;
import java.util.List;

/** Temporary entry point. */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("workload")) {
            WorkloadSuite.Results r = WorkloadSuite.run(BenchSettings.fromSystemProperties(),
                    WorkloadSuite.Plan.smoke(), System.out::println);
            System.out.println(r.census());
            return;
        }
        List<JmhScore> s = JmhSuite.run(args[0], args.length > 1, BenchSettings.fromSystemProperties());
        s.forEach(System.out::println);
    }
}
