package dev.cacheops.engine;

import dev.cacheops.Op;
import dev.cacheops.PassReason;
import dev.cacheops.sql.Analysis;
import dev.cacheops.sql.ValueRef;
import java.util.List;

/**
 * A statement analysed and resolved against the catalog, remembered per data source and SQL
 * string so that the hit path does no parsing.
 */
public sealed interface Plan {

    /**
     * A read.
     *
     * @param blocked     why it can never be cached, or null
     * @param op          its operation, after upgrading FETCH to GET where a unique key is fixed
     * @param profileTable the canonical name of the table whose profile applies
     * @param auto        whether that profile caches this op without being asked
     * @param manual      whether manual caching is allowed (a profile matches the first table)
     * @param ttlMillis   the smallest timeout of the profiles of the tables read (0 if none)
     * @param tables      every table read, with resolved conditions
     * @param lockWaitMillis the profile's dog-pile lock wait, or 0 for none
     * @param statementDigest the part of every entry key of this statement that does not change
     *                        between executions (key format, database identity, SQL); null when
     *                        blocked
     * @param rows        when every result row is one stored row of its only table, the columns
     *                    returned (DESIGN §3, "Rows of a result"); else null
     */
    record Read(PassReason blocked, Op op, String profileTable, boolean auto, boolean manual, long ttlMillis,
                List<PlannedTable> tables, long lockWaitMillis, byte[] statementDigest, Rows rows) implements Plan {
        /** A read that is never cached, for {@code reason}. */
        public static Read blocked(PassReason reason) {
            return new Read(reason, Op.FETCH, null, false, false, 0, List.of(), 0, null, null);
        }

        /**
         * Whether it reads one of {@code tables} (names as in {@link TableInvalidation#table()}:
         * canonical, escaped).
         */
        public boolean readsAnyOf(java.util.Set<String> tables) {
            for (PlannedTable t : this.tables) {
                if (tables.contains(dev.cacheops.store.Keys.escape(t.table().canonical()))) {
                    return true;
                }
            }
            return false;
        }
    }

    /** A write; targets are resolved at execution, since a writer must never miss a table. */
    record Write(Analysis.Write analysis) implements Plan { }

    /** Transaction control, SET, SHOW...: no effect on the cache. */
    record Neutral() implements Plan { }

    /** Not understood; {@code mayWrite} means "assume it changed anything". */
    record Unknown(String reason, boolean mayWrite) implements Plan { }

    /**
     * A table a read depends on.
     *
     * @param table        the catalog's view of it
     * @param conjunctions its DNF with columns resolved; an empty conjunction matches every row
     * @param columnSet    the stored names of its columns the statement references, sorted
     *                     (DESIGN §3, "Column sets"), or {@code null} when it may depend on all
     */
    record PlannedTable(TableInfo table, List<List<PlannedTerm>> conjunctions, List<String> columnSet) {
        public PlannedTable {
            columnSet = columnSet == null ? null : List.copyOf(columnSet);
        }

        /** A table whose every column the statement may depend on. */
        public PlannedTable(TableInfo table, List<List<PlannedTerm>> conjunctions) {
            this(table, conjunctions, null);
        }
    }

    /**
     * The rows of a read that returns stored rows of one table ({@link dev.cacheops.sql.RowShape}).
     *
     * @param columns the catalog columns of the select list, in order; null for {@code *} (every
     *                column, in the table's order)
     * @param key     for a lookup by a single-column unique key ({@code WHERE key = ?}, the only
     *                parameter): that column; else null
     */
    record Rows(List<TableInfo.Column> columns, TableInfo.Column key) {
        public Rows {
            columns = columns == null ? null : List.copyOf(columns);
        }
    }

    /** {@code column = value} with the column resolved in the catalog. */
    record PlannedTerm(TableInfo.Column column, ValueRef value) { }
}
