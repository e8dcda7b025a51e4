package dev.cacheops;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the analyser makes of one statement, as {@link Cacheops#explain} reports it: for a read,
 * every table it depends on with its conditions, the schemes and stamp keys of that dependency,
 * and whether the instance's profiles cache it; for a write, what it would invalidate.
 *
 * <p>An explanation is computed without running the statement and without touching the store.
 * Immutable and thread-safe.
 *
 * @param sql        the statement as given
 * @param kind       what kind of statement it is
 * @param op         a read's operation (after upgrading {@link Op#FETCH} to {@link Op#GET} where
 *                   a unique key is fixed), else {@code null}
 * @param cacheable  true when a read is cached automatically under the profiles (outside a
 *                   transaction that wrote, at the default isolation)
 * @param passReason why a read is not cached automatically, or {@code null} when it is cacheable
 *                   or not a read
 * @param detail     words for the reader: the analyser's reason for an uncacheable or
 *                   misunderstood statement, whether manual caching is allowed, what the rows
 *                   of a cacheable read of one table also answer, ... ({@code ""} when there is
 *                   nothing to add)
 * @param profileTable the table whose profile applies to a read (the first of its outermost
 *                   {@code FROM}), or {@code null}
 * @param timeout    how long a read would stay cached (the smallest timeout of the profiles
 *                   involved), or {@link Duration#ZERO} when no profile gives one
 * @param reads      for a read, every table it reads, with its dependency; empty otherwise
 * @param stampKeys  for a read, every stamp key its entry depends on, in checksum order (the
 *                   epoch first); empty otherwise
 * @param writes     for a write, what it invalidates per written table; empty otherwise
 */
public record Explanation(String sql, Kind kind, Op op, boolean cacheable, PassReason passReason, String detail,
                          String profileTable, Duration timeout, List<TableRead> reads, List<String> stampKeys,
                          List<TableWrite> writes) {

    /** The kinds of statement. */
    public enum Kind {
        /** A select (possibly never cacheable, see {@link Explanation#passReason()}). */
        READ,
        /** A statement that changes data or structure. */
        WRITE,
        /** Transaction control, {@code SET}, {@code SHOW}, ...: no effect on the cache. */
        NEUTRAL,
        /**
         * Not understood: a read passes through uncached; a statement that may write invalidates
         * everything when it commits.
         */
        NOT_UNDERSTOOD
    }

    /** Copies the lists; {@code sql}, {@code kind}, {@code detail} and {@code timeout} must not be null. */
    public Explanation {
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(timeout, "timeout");
        reads = List.copyOf(reads);
        stampKeys = List.copyOf(stampKeys);
        writes = List.copyOf(writes);
    }

    /**
     * One table a read depends on.
     *
     * @param table        the canonical name ({@code schema.table} as the catalog stores it)
     * @param conditions   the table's DNF as analysed: each inner list is one conjunction of
     *                     {@code column = value} terms, values written as in the statement
     *                     ({@code ?1} for the first parameter); an empty conjunction means any row
     * @param conjunctions the DNF bound to the given parameters: column to canonical value; a
     *                     single empty map means the read depends on the whole table
     * @param schemes      the schemes the dependency registers (sorted, comma-joined column
     *                     names; {@code ""} for the whole table), each followed by {@code :} and
     *                     the columns the read references when it names them all (DESIGN §3,
     *                     "Column sets"): {@code ":"} for {@code count(*)} of a whole table
     * @param stampKeys    the scheme-version and conjunction stamp keys of this table
     */
    public record TableRead(String table, List<List<String>> conditions, List<Map<String, String>> conjunctions,
                            List<String> schemes, List<String> stampKeys) {
        /** Copies the lists and maps. */
        public TableRead {
            Objects.requireNonNull(table, "table");
            conditions = conditions.stream().map(List::copyOf).toList();
            conjunctions = conjunctions.stream().map(Explanation::ordered).toList();
            schemes = List.copyOf(schemes);
            stampKeys = List.copyOf(stampKeys);
        }
    }

    /**
     * What a write invalidates in one table.
     *
     * @param table      the canonical name, or the name as written when the catalog does not
     *                   know it (then the write invalidates everything)
     * @param wholeTable true when every cached result reading the table is invalidated
     * @param reason     why the whole table, or how the rows are found (old images, inserted
     *                   values, cascade)
     * @param rows       the row images known before execution, as {@code column=value} (bound
     *                   parameters substituted); an image's values select the conjunction stamps
     *                   of every registered scheme whose columns it has, the others lose their
     *                   scheme version. Empty when the images are read at execution.
     */
    public record TableWrite(String table, boolean wholeTable, String reason, List<Map<String, String>> rows) {
        /** Copies the rows. */
        public TableWrite {
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(reason, "reason");
            rows = rows.stream().map(Explanation::ordered).toList();
        }
    }

    /** An unmodifiable copy that keeps the iteration order (columns print in a stable order). */
    private static Map<String, String> ordered(Map<String, String> m) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }
}
