package dev.cacheops.protocol;

import dev.cacheops.store.Lookup;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Automatic dependency capture for a function result: while a capture is open on a thread, every
 * read the wrapped data sources serve on that thread (from the cache or the database) records the
 * stamps it depended on, as fixed before it read the database. The function's result is then
 * stored under the union of those stamps, compare-and-set against the recorded values, so a write
 * that commits while the function runs makes the store refuse, exactly like a query fill.
 *
 * <p>A write, a read that cannot be analysed or whose stamps cannot be fixed, or two reads that
 * saw different values of one stamp, fail the capture: the result is then returned but not
 * cached. Captures nest: an inner capture's records also count for the outer one. Only the
 * current thread and only wrapped data sources are seen. Not thread-safe (thread-confined).
 */
public final class Capture {
    private static final ThreadLocal<Deque<Capture>> STACK = ThreadLocal.withInitial(ArrayDeque::new);

    private final Map<String, byte[]> stamps = new LinkedHashMap<>();
    private final Set<String> wipKeys = new LinkedHashSet<>();
    private String failure;

    private Capture() {
    }

    /** Opens a capture on this thread; close it with {@link #end()} in a finally block. */
    public static Capture begin() {
        Capture c = new Capture();
        STACK.get().push(c);
        return c;
    }

    /** The innermost open capture of this thread, or null. */
    public static Capture current() {
        Deque<Capture> stack = STACK.get();
        return stack.isEmpty() ? null : stack.peek();
    }

    /** Closes this capture and hands what it saw to the enclosing one, if any. */
    public void end() {
        Deque<Capture> stack = STACK.get();
        stack.remove(this);
        if (stack.isEmpty()) {
            STACK.remove();
            return;
        }
        Capture outer = stack.peek();
        if (failure != null) {
            outer.fail(failure);
        } else {
            outer.merge(stamps, wipKeys);
        }
    }

    /** A read depended on these stamps with these values. */
    public void read(Lookup lookup, List<byte[]> values) {
        merge(zip(lookup.stampKeys(), values), lookup.wipKeys());
    }

    private void merge(Map<String, byte[]> seen, java.util.Collection<String> wips) {
        for (Map.Entry<String, byte[]> e : seen.entrySet()) {
            byte[] before = stamps.putIfAbsent(e.getKey(), e.getValue());
            if (before != null && !Arrays.equals(before, e.getValue())) {
                // Two reads saw different versions: the function combined states no single
                // moment had.
                fail("a dependency changed while the function ran");
            }
        }
        wipKeys.addAll(wips);
    }

    private static Map<String, byte[]> zip(List<String> keys, List<byte[]> values) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            m.put(keys.get(i), values.get(i));
        }
        return m;
    }

    /** The result must not be cached; the first reason is kept. */
    public void fail(String reason) {
        if (failure == null) {
            failure = reason;
        }
    }

    /** Why the result cannot be cached, or null. */
    public String failure() {
        return failure;
    }

    /** The lookup of a result depending on everything recorded (the epoch first). */
    Lookup lookup(String entryKey, String epochKey) {
        List<String> keys = new ArrayList<>(stamps.keySet());
        keys.remove(epochKey);
        keys.add(0, epochKey);
        return new Lookup(entryKey, keys, List.of(), List.copyOf(wipKeys));
    }

    /** The recorded values, in the order of {@link #lookup}'s stamp keys. */
    List<byte[]> expected(Lookup lookup) {
        List<byte[]> out = new ArrayList<>(lookup.stampKeys().size());
        for (String k : lookup.stampKeys()) {
            out.add(stamps.get(k));
        }
        return out;
    }

    /** True when the epoch was recorded (every read records it). */
    boolean hasEpoch(String epochKey) {
        return stamps.containsKey(epochKey);
    }
}
