package dev.cacheops.stress;

/**
 * The phases of a run, so reads, errors and latencies can be told apart by fault: phase 0 is the
 * steady state, the others are named by the fault tests through {@link #name(int, String)}.
 * Thread-safe.
 */
public final class Phases {
    /** The most phases a run can have. */
    public static final int MAX = 32;
    private static final String[] NAMES = new String[MAX];

    static {
        NAMES[0] = "steady";
    }

    private Phases() {
    }

    /** Names phase {@code index}. */
    public static synchronized void name(int index, String name) {
        NAMES[index] = name;
    }

    /** The name of a phase, or its number. */
    public static synchronized String name(int index) {
        return NAMES[index] == null ? Integer.toString(index) : NAMES[index];
    }
}
