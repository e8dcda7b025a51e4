package dev.cacheops.protocol;

import dev.cacheops.store.Keys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One table a cached result depends on, with its conditions bound to concrete canonical values:
 * the table's DNF after parameters were substituted, contradictions dropped and values
 * canonicalised and escaped. A conjunction with no columns means "any row of the table".
 *
 * @param table        the escaped canonical table name
 * @param conjunctions distinct conjunctions; each maps escaped column to escaped value, sorted by column
 * @param columnSet    the escaped, sorted, comma-joined columns of the table the result references
 *                     anywhere (DESIGN §3, "Column sets"), or {@code null} when it may depend on
 *                     every column
 */
public record BoundTable(String table, List<Map<String, String>> conjunctions, String columnSet) {
    public BoundTable {
        conjunctions = List.copyOf(conjunctions);
    }

    /** A dependency on every column of the rows the conjunctions select. */
    public BoundTable(String table, List<Map<String, String>> conjunctions) {
        this(table, conjunctions, null);
    }

    /** A dependency on every row of the table. */
    public static BoundTable wholeTable(String table) {
        return new BoundTable(table, List.of(Map.of()));
    }

    /** This dependency restricted to the columns of {@code columnSet} (escaped, sorted, joined). */
    public BoundTable withColumnSet(String columnSet) {
        return new BoundTable(table, conjunctions, columnSet);
    }

    /**
     * Builds a bound table from raw (unescaped) conjunctions: escapes, sorts, removes duplicates,
     * and collapses everything to the empty conjunction when one is empty (it absorbs the rest).
     */
    public static BoundTable of(String table, List<Map<String, String>> rawConjunctions) {
        List<Map<String, String>> out = new ArrayList<>();
        for (Map<String, String> raw : rawConjunctions) {
            if (raw.isEmpty()) {
                return wholeTable(Keys.escape(table));
            }
            TreeMap<String, String> conj = new TreeMap<>();
            raw.forEach((c, v) -> conj.put(Keys.escape(c), Keys.escape(v)));
            if (!out.contains(conj)) {
                out.add(conj);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("a table dependency needs at least one conjunction");
        }
        return new BoundTable(Keys.escape(table), out);
    }
}
