package dev.cacheops.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The flat ARGV encoding of {@code lua/invalidate.lua} (documented at the top of the script):
 * prefix, phase, writer, lock TTL, table count, then per table its name, the whole-table flag,
 * its rows, each row as a column count followed by column/value pairs, and its changed columns
 * (a count, -1 for "any column", followed by the columns).
 */
final class InvalidationArgs {
    private InvalidationArgs() {
    }

    static byte[][] encode(Keys keys, Collection<TableInvalidation> tables, Store.Phase phase,
                           String writerId, long lockTtlMillis) {
        List<byte[]> args = new ArrayList<>(8 + tables.size() * 4);
        args.add(bytes(keys.prefix()));
        args.add(bytes(phase.name()));
        args.add(bytes(writerId));
        args.add(bytes(Long.toString(lockTtlMillis)));
        args.add(bytes(Integer.toString(tables.size())));
        for (TableInvalidation t : tables) {
            args.add(bytes(t.table()));
            args.add(bytes(t.wholeTable() ? "1" : "0"));
            // A whole-table write ignores the rows: do not ship them.
            List<Map<String, String>> rows = t.wholeTable() ? List.of() : t.rows();
            args.add(bytes(Integer.toString(rows.size())));
            for (Map<String, String> row : rows) {
                args.add(bytes(Integer.toString(row.size())));
                for (Map.Entry<String, String> e : row.entrySet()) {
                    args.add(bytes(e.getKey()));
                    args.add(bytes(e.getValue()));
                }
            }
            if (t.changed() == null) {
                args.add(bytes("-1"));
            } else {
                args.add(bytes(Integer.toString(t.changed().size())));
                for (String c : t.changed()) {
                    args.add(bytes(c));
                }
            }
        }
        return args.toArray(new byte[0][]);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
