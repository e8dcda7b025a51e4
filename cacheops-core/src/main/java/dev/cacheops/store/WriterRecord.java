package dev.cacheops.store;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a writer in progress left beside its lock, and whether it can make a fill stale (DESIGN §3,
 * "Writers in progress, stamp by stamp").
 *
 * <p>A writer's {@code LOCK} records, per table, the schemes it read from the table's schemes set
 * and the stamp keys it set to {@link Store#LOCKED} (every key its rows touch under those
 * schemes). Its commit can change an entry's result only through one of those keys, or through a
 * scheme it did not know (registered after its lock). So a writer is harmless to an entry when it
 * knew every scheme the entry has on the table and locked none of the entry's stamp keys; every
 * other writer, and one whose record is missing (a writer of an older version) or too long to keep
 * ({@link #lockedKeys} null), refuses the fill, as every writer did before. The test does not rely
 * on the {@code LOCKED} values still being there: another writer's release deletes them.
 *
 * <p>In Redis the record is the writer's value in the {@link Keys#wipRecords} hash, written and
 * removed by the same scripts as its member of the {@link Keys#wip} set: lines (each ending with
 * {@code \n}; escaped names and values hold no control character) of the number of schemes, the
 * schemes, then the locked keys without the prefix, or the single line {@code *} for too many.
 *
 * @param schemes    the schemes of the table the lock read
 * @param lockedKeys the full stamp keys the lock set, or null when it set too many to record
 */
record WriterRecord(Set<String> schemes, Set<String> lockedKeys) {

    /**
     * Whether the writers in progress on one table leave a fill of {@code lookup} safe, from
     * Redis' replies.
     *
     * @param wipKey  the table's {@link Keys#wip} key
     * @param writers how many writers are in progress ({@code ZCARD} of the {@code wip} set)
     * @param values  the values of the table's {@link Keys#wipRecords} hash ({@code HVALS}), decoded
     *                only when a writer is in progress
     */
    static boolean harmlessReplies(Keys keys, Lookup lookup, String wipKey, long writers, List<byte[]> values) {
        return writers == 0 || harmless(keys, lookup, wipKey, writers, decodeAll(values, keys.prefix()));
    }

    /**
     * Whether the writers in progress on one table leave a fill of {@code lookup} safe.
     *
     * @param wipKey  the table's {@link Keys#wip} key
     * @param writers how many writers are in progress
     * @param records their records; fewer than {@code writers} means some left none
     */
    static boolean harmless(Keys keys, Lookup lookup, String wipKey, long writers, Collection<WriterRecord> records) {
        if (writers == 0) {
            return true;
        }
        List<String> needed = lookup.schemesIn(keys.schemesOf(wipKey));
        // No schemes named (a captured function's lookup) cannot be shown to be known.
        if (needed.isEmpty() || records.size() != writers) {
            return false;
        }
        for (WriterRecord r : records) {
            if (r == null || r.lockedKeys == null || !r.schemes.containsAll(needed)) {
                return false;
            }
            for (String k : lookup.stampKeys()) {
                if (r.lockedKeys.contains(k)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Decodes Redis' record (see the class comment); null for a value that is not one. */
    static WriterRecord decode(byte[] value, String prefix) {
        if (value == null) {
            return null;
        }
        String s = new String(value, StandardCharsets.UTF_8);
        List<String> lines = new java.util.ArrayList<>();
        int start = 0;
        for (int end = s.indexOf('\n'); end >= 0; end = s.indexOf('\n', start)) {
            lines.add(s.substring(start, end));
            start = end + 1;
        }
        int n;
        try {
            n = lines.isEmpty() ? -1 : Integer.parseInt(lines.get(0));
        } catch (NumberFormatException e) {
            return null;
        }
        if (n < 0 || lines.size() < 1 + n) {
            return null;
        }
        Set<String> schemes = new HashSet<>(lines.subList(1, 1 + n));
        List<String> rest = lines.subList(1 + n, lines.size());
        if (rest.size() == 1 && rest.get(0).equals("*")) {
            return new WriterRecord(schemes, null);
        }
        Set<String> keys = new HashSet<>(rest.size() * 2);
        for (String k : rest) {
            keys.add(prefix + k);
        }
        return new WriterRecord(schemes, keys);
    }

    /** Decodes every value of one {@code HVALS} reply. */
    static List<WriterRecord> decodeAll(List<byte[]> values, String prefix) {
        List<WriterRecord> out = new java.util.ArrayList<>(values.size());
        for (byte[] v : values) {
            out.add(decode(v, prefix));
        }
        return out;
    }
}
