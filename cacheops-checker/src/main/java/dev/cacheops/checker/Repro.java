package dev.cacheops.checker;

import java.util.List;

/**
 * A found mismatch, shrunk: the target, the seed, the minimal actions and the two results, printed
 * as an op log, as SQL and as Java source ready to paste into a regression test. Immutable.
 *
 * @param target   database and store
 * @param seed     the workload seed
 * @param original how many actions the unshrunk failing prefix had
 * @param actions  the minimal failing actions (the last one is the mismatching read)
 * @param mismatch the mismatching read's outcome in the minimal replay
 */
public record Repro(Target target, long seed, int original, List<Action> actions, Outcome mismatch) {

    /** The full human-readable report. */
    public String report() {
        StringBuilder sb = new StringBuilder();
        sb.append("MISMATCH on ").append(target).append(", seed ").append(seed).append(": shrunk from ")
                .append(original).append(" to ").append(actions.size()).append(" actions\n");
        sb.append("-- op log (a, b: two connections through the cache; empty schema of Schema.ddl):\n");
        for (int i = 0; i < actions.size(); i++) {
            sb.append(String.format("%3d  %s%n", i, actions.get(i).describe()));
        }
        if (mismatch.note() != null) {
            sb.append("-- ").append(mismatch.note()).append('\n');
        }
        if (mismatch.direct() != null) {
            sb.append("-- through the cache (").append(mismatch.kind()).append("): ").append(mismatch.cached()).append('\n');
            sb.append("-- directly on the database:   ").append(mismatch.direct()).append('\n');
        }
        sb.append("-- as Java (DifferentialCheck.replay(target, List.of(...)).failed() is true):\n");
        sb.append(javaSource());
        return sb.toString();
    }

    /** The actions as a Java list expression. */
    public String javaSource() {
        StringBuilder sb = new StringBuilder("List.of(\n");
        for (int i = 0; i < actions.size(); i++) {
            sb.append("        ").append(actions.get(i).javaSource()).append(i + 1 < actions.size() ? ",\n" : ")\n");
        }
        return sb.toString();
    }
}
