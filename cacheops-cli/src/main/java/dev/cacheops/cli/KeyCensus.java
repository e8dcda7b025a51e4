package dev.cacheops.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts a prefix's keys by what they are, reading the key layout of DESIGN §3
 * ({@code dev.cacheops.store.Keys}): {@code P:q:} entries, {@code P:qd:} captured-function
 * dependencies, {@code P:lock:} dog-pile locks, {@code P:epoch}, and per table
 * {@code P:schemes:<t>}, {@code P:sv:<t>:<scheme>}, {@code P:conj:<t>:<c=v&...>} and
 * {@code P:wip:<t>} with {@code P:wips:<t>} and {@code P:released:<t>}. Table names in keys are percent-escaped and so never contain {@code :}.
 * Entries are keyed by hash alone, so they cannot be counted per table. Pure; not thread-safe.
 */
final class KeyCensus {
    /** Key counts and measured bytes of one group of keys. */
    static final class Group {
        long keys;
        long measuredKeys;
        long measuredBytes;

        void add(long bytes) {
            keys++;
            if (bytes >= 0) {
                measuredKeys++;
                measuredBytes += bytes;
            }
        }

        /** Measured bytes plus the unmeasured keys at this group's (else {@code fallback}'s) average. */
        long bytes(double fallbackAverage) {
            double avg = measuredKeys > 0 ? (double) measuredBytes / measuredKeys : fallbackAverage;
            return measuredBytes + Math.round((keys - measuredKeys) * avg);
        }

        boolean exact() {
            return measuredKeys == keys;
        }
    }

    /** The keys of one table. */
    static final class TableKeys {
        final Group schemeVersions = new Group();
        final Group conjunctions = new Group();
        final Group other = new Group(); // schemes set, wip, wips and released
        boolean hasSchemesKey;
        boolean hasWip;
    }

    private final String prefix;
    /** Redis Cluster layout: the table in per-table keys is a hash tag, {@code {public.post}}. */
    private final boolean tagged;
    final Group entries = new Group();
    final Group functionDeps = new Group();
    final Group locks = new Group();
    final Group epoch = new Group();
    final Group unknown = new Group();
    final Map<String, TableKeys> tables = new TreeMap<>();
    private long measuredKeys;
    private long measuredBytes;

    /** @param prefix the prefix with its trailing colon, e.g. {@code cacheops:} */
    KeyCensus(String prefix) {
        this(prefix, false);
    }

    /**
     * @param prefix the prefix with its trailing colon
     * @param tagged whether the keys follow the Redis Cluster layout ({@code Keys.forCluster})
     */
    KeyCensus(String prefix, boolean tagged) {
        this.prefix = prefix;
        this.tagged = tagged;
    }

    /**
     * Counts one key.
     *
     * @param bytes its {@code MEMORY USAGE}, or -1 when not measured
     */
    void add(String key, long bytes) {
        if (bytes >= 0) {
            measuredKeys++;
            measuredBytes += bytes;
        }
        if (!key.startsWith(prefix)) {
            unknown.add(bytes);
            return;
        }
        String rest = key.substring(prefix.length());
        if (rest.startsWith("q:")) {
            entries.add(bytes);
        } else if (rest.startsWith("qd:")) {
            functionDeps.add(bytes);
        } else if (rest.startsWith("lock:")) {
            locks.add(bytes);
        } else if (rest.equals("epoch")) {
            epoch.add(bytes);
        } else if (rest.startsWith("schemes:")) {
            TableKeys t = table(rest.substring("schemes:".length()));
            t.hasSchemesKey = true;
            t.other.add(bytes);
        } else if (rest.startsWith("wip:")) {
            TableKeys t = table(rest.substring("wip:".length()));
            t.hasWip = true;
            t.other.add(bytes);
        } else if (rest.startsWith("wips:") || rest.startsWith("released:")) {
            table(rest.substring(rest.indexOf(':') + 1)).other.add(bytes);
        } else if (rest.startsWith("sv:") && rest.indexOf(':', 3) > 0) {
            table(rest.substring(3, rest.indexOf(':', 3))).schemeVersions.add(bytes);
        } else if (rest.startsWith("conj:") && rest.indexOf(':', 5) > 0) {
            table(rest.substring(5, rest.indexOf(':', 5))).conjunctions.add(bytes);
        } else {
            unknown.add(bytes);
        }
    }

    private TableKeys table(String inKey) {
        String escaped = inKey;
        if (tagged && escaped.length() >= 2 && escaped.startsWith("{") && escaped.endsWith("}")) {
            escaped = escaped.substring(1, escaped.length() - 1);
        }
        return tables.computeIfAbsent(unescape(escaped), t -> new TableKeys());
    }

    /** The average measured key size, for groups with no measured key. */
    double averageBytes() {
        return measuredKeys == 0 ? 0 : (double) measuredBytes / measuredKeys;
    }

    /** Whether every key was measured. */
    boolean exact() {
        return all().stream().allMatch(Group::exact);
    }

    /** Every group, for totals. */
    List<Group> all() {
        List<Group> out = new ArrayList<>(List.of(entries, functionDeps, locks, epoch, unknown));
        for (TableKeys t : tables.values()) {
            out.add(t.schemeVersions);
            out.add(t.conjunctions);
            out.add(t.other);
        }
        return out;
    }

    /** Undoes {@code Keys.escape}, which escapes only ASCII characters: {@code %xx} back to the character. */
    static String unescape(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
