package dev.cacheops.bench.report;

import dev.cacheops.bench.oltp.OltpMode;
import dev.cacheops.bench.oltp.OltpResult;
import dev.cacheops.bench.oltp.OltpSuite;
import dev.cacheops.bench.oltp.Transport;
import dev.cacheops.bench.oltp.TransportResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The targets of issue 10 (Redis mode under concurrency), computed from the concurrent suite's cells. */
final class OltpTargets {
    private OltpTargets() {
    }

    static List<Target> evaluate(OltpSuite.Results r) {
        List<Target> t = new ArrayList<>();
        for (Map.Entry<Integer, Double> e : Targets.OLTP_SPEEDUP.entrySet()) {
            int threads = e.getKey();
            String goal = String.format("concurrent indexed lookups, %.0f%% writes, %d threads: Cacheops on Redis"
                    + " >= %.1f x the throughput of no cache", Targets.OLTP_SHARE * 100, threads, e.getValue());
            Optional<OltpResult> redis = r.cell(OltpMode.REDIS, Targets.OLTP_SHARE, threads);
            Optional<OltpResult> none = r.cell(OltpMode.NONE, Targets.OLTP_SHARE, threads);
            if (redis.isEmpty() || none.isEmpty()) {
                t.add(Target.missing(goal));
                continue;
            }
            double x = redis.get().throughput() / none.get().throughput();
            t.add(Target.of(goal, String.format("%.2f x (%,.0f vs %,.0f ops/s; hit ratio %.3f, %d store errors)", x,
                    redis.get().throughput(), none.get().throughput(), redis.get().hitRatio(),
                    redis.get().storeErrors()), x >= e.getValue()));
        }
        for (Integer threads : Targets.OLTP_SPEEDUP.keySet()) {
            String goal = String.format("%d threads: JVM CPU per Redis hit <= %.0f x that of the raw client GET it"
                    + " wraps (Jedis pooled GET)", threads, Targets.HIT_CPU_OVER_GET);
            Optional<TransportResult> hit = r.cell(Transport.CACHEOPS_REDIS_HIT, threads);
            Optional<TransportResult> jedis = r.cell(Transport.JEDIS_POOLED, threads);
            Optional<TransportResult> lettuce = r.cell(Transport.LETTUCE_SHARED, threads);
            if (hit.isEmpty() || jedis.isEmpty()) {
                t.add(Target.missing(goal));
                continue;
            }
            double x = hit.get().jvmCpuMicros() / jedis.get().jvmCpuMicros();
            String measured = String.format("%.2f x (%s vs %s)", x, Targets.us(hit.get().jvmCpuMicros()),
                    Targets.us(jedis.get().jvmCpuMicros()));
            if (lettuce.isPresent()) {
                measured += String.format("; over Lettuce's shared-connection GET (%s): %.2f x",
                        Targets.us(lettuce.get().jvmCpuMicros()), hit.get().jvmCpuMicros() / lettuce.get().jvmCpuMicros());
            }
            t.add(Target.of(goal, measured, x <= Targets.HIT_CPU_OVER_GET));
        }
        return t;
    }
}
