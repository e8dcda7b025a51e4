package dev.cacheops.bench.jmh;

import java.util.Map;

/**
 * One JMH result, detached from JMH's types so the report can be written from it.
 *
 * @param benchmark the benchmark class's simple name
 * @param method    the benchmark method
 * @param params    the {@code @Param} values
 * @param score     mean time per operation
 * @param error     the 99.9% confidence half-width (NaN with a single iteration)
 * @param unit      the unit of score and error, e.g. {@code us/op}
 */
public record JmhScore(String benchmark, String method, Map<String, String> params, double score,
                       double error, String unit) {
    public JmhScore {
        params = Map.copyOf(params);
    }

    /** Whether this is {@code benchmark.method} with every given param value. */
    public boolean is(String benchmark, String method, Map<String, String> params) {
        return this.benchmark.equals(benchmark) && this.method.equals(method)
                && this.params.entrySet().containsAll(params.entrySet());
    }
}
