package dev.cacheops.bench;

import dev.cacheops.bench.fixture.BenchSettings;
import dev.cacheops.bench.jmh.JmhScore;
import dev.cacheops.bench.jmh.JmhSuite;
import java.util.List;

/** Temporary entry point. */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        List<JmhScore> s = JmhSuite.run(args[0], args.length > 1, BenchSettings.fromSystemProperties());
        s.forEach(System.out::println);
    }
}
