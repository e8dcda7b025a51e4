package dev.cacheops.store;

import java.util.List;
import java.util.Objects;

/**
 * The key schema (DESIGN §3). With prefix {@code P}:
 * <pre>
 *   P:q:&lt;hash&gt;                      a cached result: &lt;checksum&gt;&lt;payload&gt;
 *   P:epoch                          random stamp, part of every checksum
 *   P:schemes:&lt;table&gt;               set of schemes (comma-joined sorted column lists, "" included,
 *                                    each followed by ":" and its column set when it has one)
 *   P:sv:&lt;table&gt;:&lt;scheme&gt;            scheme version stamp
 *   P:conj:&lt;table&gt;:&lt;c&gt;=&lt;v&gt;&amp;&lt;c&gt;=&lt;v&gt;[:&lt;column set&gt;]   conjunction stamp (columns sorted)
 *   P:wip:&lt;table&gt;                   sorted set: writer id -&gt; expiry (ms), "write in progress"
 *   P:wips:&lt;table&gt;                  hash: writer id -&gt; its record, the schemes its lock read and the keys it locked
 *   P:qd:&lt;hash&gt;                     stamp keys of a captured function entry, newline-separated
 *   P:lock:&lt;hash&gt;                   dog-pile lock: the owner computing the entry
 * </pre>
 * Table names, column names and values must be passed through {@link #escape} first, so that no
 * two different conjunctions can ever produce the same key. The Lua invalidation script builds
 * conjunction and scheme-version keys by the same rules from already-escaped parts.
 *
 * <p>For Redis Cluster ({@link #forCluster}) the table in the per-table keys ({@code schemes},
 * {@code sv}, {@code conj}, {@code wip}) is a hash tag, {@code P:conj:{public.post}:id=5}: every key
 * of one table lives in one slot, so one script can read its schemes and delete its stamps, while
 * the tables, the entries (by their own hash) and the epoch spread over the cluster. The leading
 * {@code P:<type>:} of every key is the same in both layouts.
 * Immutable and thread-safe.
 */
public final class Keys {
    private final String prefix;
    private final boolean tagTables;

    /**
     * The standalone layout.
     *
     * @param prefix the namespace, e.g. {@code cacheops}; a trailing colon is ignored
     */
    public Keys(String prefix) {
        this(prefix, false);
    }

    private Keys(String prefix, boolean tagTables) {
        Objects.requireNonNull(prefix, "prefix");
        String p = prefix.endsWith(":") ? prefix.substring(0, prefix.length() - 1) : prefix;
        if (p.isEmpty()) {
            throw new IllegalArgumentException("prefix must not be empty");
        }
        if (tagTables && (p.indexOf('{') >= 0 || p.indexOf('}') >= 0)) {
            // A brace in the prefix would become (or open) the hash tag of every key.
            throw new IllegalArgumentException("prefix must not contain '{' or '}' on Redis Cluster");
        }
        this.prefix = p + ":";
        this.tagTables = tagTables;
    }

    /**
     * The Redis Cluster layout: like {@link #Keys(String)}, with each table's keys in one slot
     * (the table name as a hash tag). A table name holding {@code }} still puts all of its keys in
     * one slot: Redis hashes what lies between the first {@code {} and the next {@code }}, and
     * that is the same prefix of the name in every key of the table.
     *
     * @throws IllegalArgumentException when the prefix is empty or contains a brace
     */
    public static Keys forCluster(String prefix) {
        return new Keys(prefix, true);
    }

    /** Whether this is the Redis Cluster layout ({@link #forCluster}). */
    public boolean tagsTables() {
        return tagTables;
    }

    /**
     * The table as it appears in its keys: {@code {table}} in the cluster layout, else the name
     * itself. {@code lua/invalidate.lua} builds the keys of the table it is given this way.
     */
    public String tableInKeys(String table) {
        return tagTables ? "{" + table + "}" : table;
    }

    /** The prefix including its trailing colon, e.g. {@code cacheops:}. */
    public String prefix() {
        return prefix;
    }

    public String entry(String hash) {
        return prefix + "q:" + hash;
    }

    public String epoch() {
        return prefix + "epoch";
    }

    public String schemes(String table) {
        return prefix + "schemes:" + tableInKeys(table);
    }

    public String schemeVersion(String table, String scheme) {
        return prefix + "sv:" + tableInKeys(table) + ":" + scheme;
    }

    /**
     * A conjunction key.
     *
     * @param columns escaped column names, sorted
     * @param values  escaped canonical values, in the order of {@code columns}
     */
    public String conj(String table, List<String> columns, List<String> values) {
        StringBuilder b = new StringBuilder(prefix.length() + 32).append(prefix).append("conj:")
                .append(tableInKeys(table)).append(':');
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                b.append('&');
            }
            b.append(columns.get(i)).append('=').append(values.get(i));
        }
        return b.toString();
    }

    /**
     * A conjunction key of a scheme with a column set (DESIGN §3, "Column sets"): the key of
     * {@link #conj(String, List, List)} followed by {@code :} and the set. A colon never occurs in
     * an escaped column or value, so it cannot be confused with a key without a set.
     *
     * @param columnSet the escaped, sorted, comma-joined column set, or {@code null} for none
     */
    public String conj(String table, List<String> columns, List<String> values, String columnSet) {
        String conj = conj(table, columns, values);
        return columnSet == null ? conj : conj + ":" + columnSet;
    }

    /**
     * The stamp keys an invalidation of {@code write} deletes when the table's schemes set holds
     * {@code schemes}: what {@code invalidate.lua} computes from the set it reads, in Java (for
     * the in-process store, and for the protocol's record of its own invalidations).
     */
    public java.util.Set<String> affected(TableInvalidation write, java.util.Collection<String> schemes) {
        return AffectedKeys.of(this, write, schemes);
    }

    /** The stamp keys recorded beside a captured function entry (newline-separated). */
    public String deps(String hash) {
        return prefix + "qd:" + hash;
    }

    /** A dog-pile lock for one entry. */
    public String lock(String hash) {
        return prefix + "lock:" + hash;
    }

    public String wip(String table) {
        return prefix + "wip:" + tableInKeys(table);
    }

    /**
     * Beside {@link #wip}: per writer in progress, its {@link WriterRecord} (the schemes of the
     * table its lock read and the stamp keys it locked), so a fill is refused only by a writer
     * that may change its result (DESIGN §3, "Writers in progress, stamp by stamp").
     */
    public String wipRecords(String table) {
        return prefix + "wips:" + tableInKeys(table);
    }

    /** The {@link #wipRecords} key of the table whose {@link #wip} key is {@code wipKey}. */
    String wipRecordsOf(String wipKey) {
        return prefix + "wips:" + tablePart(wipKey, "wip:");
    }

    /** The {@link #schemes} key of the table whose {@link #wip} key is {@code wipKey}. */
    String schemesOf(String wipKey) {
        return prefix + "schemes:" + tablePart(wipKey, "wip:");
    }

    private String tablePart(String key, String type) {
        if (!key.startsWith(prefix) || !key.startsWith(type, prefix.length())) {
            throw new IllegalArgumentException("not a " + type + " key of prefix " + prefix + ": " + key);
        }
        return key.substring(prefix.length() + type.length());
    }

    /**
     * The prefixes of every key whose change can make an entry invalid: the epoch, scheme
     * versions, conjunctions and the recorded dependencies of captured functions. None is a
     * prefix of another, as Redis' broadcast tracking requires.
     */
    public List<String> watchedPrefixes() {
        return List.of(epoch(), prefix + "sv:", prefix + "conj:", prefix + "qd:");
    }

    /**
     * The channel the invalidation scripts publish changed stamps on (one key per line) while
     * {@link #changesWanted()} exists: the near cache's fallback where Redis refuses tracking.
     */
    public String changesChannel() {
        return prefix + "changes";
    }

    /** Exists while some near cache listens on {@link #changesChannel()}. */
    public String changesWanted() {
        return prefix + "changes-wanted";
    }

    /** The scheme name of a sorted list of escaped columns: the columns joined by commas. */
    public static String scheme(List<String> columns) {
        return String.join(",", columns);
    }

    /**
     * The scheme name of condition columns with a column set: {@code c1,c2:r1,r2,r3}, or
     * {@link #scheme(List)} when {@code columnSet} is {@code null} (every column).
     *
     * @param columnSet the escaped, sorted, comma-joined columns the results reference, or null
     */
    public static String scheme(List<String> columns, String columnSet) {
        return columnSet == null ? scheme(columns) : scheme(columns) + ":" + columnSet;
    }

    /** The condition columns of a scheme name (without its column set), in order. */
    public static List<String> schemeColumns(String scheme) {
        int colon = scheme.indexOf(':');
        String conds = colon < 0 ? scheme : scheme.substring(0, colon);
        List<String> out = new java.util.ArrayList<>();
        for (String c : conds.split(",")) {
            if (!c.isEmpty()) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * Percent-encodes the characters that structure keys ({@code % : , & =}) and control
     * characters, so a table, column or value can never be confused with a separator.
     */
    public static String escape(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean special = c == '%' || c == ':' || c == ',' || c == '&' || c == '=' || c < 0x20;
            if (special) {
                if (b == null) {
                    b = new StringBuilder(s.length() + 8).append(s, 0, i);
                }
                b.append('%').append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? s : b.toString();
    }
}
