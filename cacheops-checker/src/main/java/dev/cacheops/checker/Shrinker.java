package dev.cacheops.checker;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Shrinks a failing workload by delta debugging (Zeller's ddmin) over its actions: each candidate
 * is replayed from a fresh database and a fresh cache prefix, and kept when it still mismatches.
 * After ddmin, single actions are removed one at a time while time remains. Bounded by a time
 * budget: it returns the smallest failing list found so far. Stateless.
 */
final class Shrinker {
    private Shrinker() {
    }

    /**
     * @param failing       a list for which {@code fails} holds
     * @param fails         replays a candidate; true when it still mismatches (it may cut the
     *                      candidate itself, see {@code cut})
     * @param cut           gives the prefix of a failing candidate up to its first mismatch
     * @param deadlineNanos when to stop ({@link System#nanoTime()})
     */
    static List<Action> shrink(List<Action> failing, Predicate<List<Action>> fails,
                               java.util.function.UnaryOperator<List<Action>> cut, long deadlineNanos) {
        List<Action> current = new ArrayList<>(failing);
        int n = 2;
        while (current.size() >= 2 && System.nanoTime() < deadlineNanos) {
            int chunk = (int) Math.ceil(current.size() / (double) n);
            boolean reduced = false;
            for (int start = 0; start < current.size() && System.nanoTime() < deadlineNanos; start += chunk) {
                List<Action> complement = new ArrayList<>(current.subList(0, start));
                complement.addAll(current.subList(Math.min(current.size(), start + chunk), current.size()));
                if (!complement.isEmpty() && fails.test(complement)) {
                    current = new ArrayList<>(cut.apply(complement));
                    n = Math.max(n - 1, 2);
                    reduced = true;
                    break;
                }
            }
            if (!reduced) {
                if (n >= current.size()) {
                    break;
                }
                n = Math.min(current.size(), n * 2);
            }
        }
        // one at a time, from the end (later actions depend on earlier ones less often)
        for (int i = current.size() - 2; i >= 0 && System.nanoTime() < deadlineNanos; i--) {
            if (i >= current.size()) {
                continue;
            }
            List<Action> candidate = new ArrayList<>(current);
            candidate.remove(i);
            if (fails.test(candidate)) {
                current = new ArrayList<>(cut.apply(candidate));
            }
        }
        return current;
    }
}
