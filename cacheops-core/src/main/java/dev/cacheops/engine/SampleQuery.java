package dev.cacheops.engine;

import dev.cacheops.protocol.BoundTable;
import java.util.List;

/**
 * A query named as a function's sample: analysed once, bound to parameters per call, giving the
 * dependencies a cached read of it would have. Immutable and thread-safe.
 */
public final class SampleQuery {
    private final Plan.Read plan;
    private final int inListLimit;

    SampleQuery(Plan.Read plan, int inListLimit) {
        this.plan = plan;
        this.inListLimit = inListLimit;
    }

    /** The dependencies for these parameter values (JDBC order). */
    public List<BoundTable> bind(List<?> values) {
        Params params = new Params();
        for (int i = 0; i < values.size(); i++) {
            Object v = values.get(i);
            params.set(i + 1, v, (ps, idx) -> ps.setObject(idx, v));
        }
        return Binder.bind(plan, params, inListLimit);
    }
}
