package dev.cacheops.bench.oltp;

import dev.cacheops.bench.fixture.RedisKeys;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code redis-server} reports about itself: its CPU seconds ({@code INFO cpu}, system plus
 * user) and the calls per command ({@code INFO commandstats}). The Redis is shared, so a delta
 * includes whatever else ran against it meanwhile; the suite reads it only at window edges, never
 * during the measured operations. Immutable.
 *
 * @param cpuSeconds {@code used_cpu_sys + used_cpu_user}
 * @param calls      calls so far by lower-case command name ({@code get}, {@code mget}, ...)
 */
public record RedisInfo(double cpuSeconds, Map<String, Long> calls) {
    public RedisInfo {
        calls = Map.copyOf(calls);
    }

    /** Reads both sections through {@code redis}. */
    static RedisInfo read(RedisKeys redis) {
        return parse(redis.commands().info("cpu"), redis.commands().info("commandstats"));
    }

    /** Parses the text of {@code INFO cpu} and {@code INFO commandstats}. */
    public static RedisInfo parse(String cpuSection, String commandstats) {
        double cpu = 0;
        for (String line : cpuSection.split("\r?\n")) {
            if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
                cpu += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        Map<String, Long> calls = new HashMap<>();
        for (String line : commandstats.split("\r?\n")) {
            // cmdstat_get:calls=12,usec=40,usec_per_call=3.33,rejected_calls=0,failed_calls=0
            if (line.startsWith("cmdstat_")) {
                String name = line.substring("cmdstat_".length(), line.indexOf(':'));
                int from = line.indexOf("calls=") + "calls=".length();
                int to = line.indexOf(',', from);
                calls.put(name, Long.parseLong(line.substring(from, to < 0 ? line.length() : to)));
            }
        }
        return new RedisInfo(cpu, calls);
    }

    /** Calls per operation between {@code before} and this, largest first, {@code info} left out. */
    Map<String, Double> callsPerOp(RedisInfo before, long ops) {
        Map<String, Double> per = new LinkedHashMap<>();
        calls.entrySet().stream()
                .filter(e -> !e.getKey().equals("info"))
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.calls.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> per.put(e.getKey(), (double) e.getValue() / Math.max(1, ops)));
        return per;
    }
}
