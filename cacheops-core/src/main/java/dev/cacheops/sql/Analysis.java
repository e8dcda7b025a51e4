package dev.cacheops.sql;

import dev.cacheops.Op;
import java.util.List;
import java.util.Map;

/** What one SQL statement does, as far as caching is concerned. */
public sealed interface Analysis {

    /**
     * A plain read that may be cached.
     *
     * @param op         the classification; {@link Op#GET} only for {@code limit 1} here (the
     *                   engine upgrades {@link Op#FETCH} to GET when every conjunction of the
     *                   first table fixes a unique key, which needs the catalog)
     * @param firstTable the first table of the outermost {@code FROM}, whose profile applies
     * @param reads      every table read anywhere in the statement, each with its DNF
     * @param columns    the normalised names of every column the statement references anywhere
     *                   (select list, conditions, joins, grouping, ordering, windows, subqueries),
     *                   whatever table they belong to; {@code null} when it may depend on columns
     *                   it does not name ({@code *}, {@code t.*}, a whole-row reference, a
     *                   {@code NATURAL} join, {@code TABLE t}, a system column)
     * @param rows       when every result row is one row of one table ({@link RowShape}), its shape;
     *                   else null
     */
    record Read(Op op, TableName firstTable, List<TableRead> reads, java.util.Set<String> columns, RowShape rows)
            implements Analysis {
        public Read {
            columns = columns == null ? null : java.util.Set.copyOf(columns);
        }

        /** A read that may depend on every column of its tables. */
        public Read(Op op, TableName firstTable, List<TableRead> reads) {
            this(op, firstTable, reads, null, null);
        }
    }

    /**
     * A read that must not be cached (locking read, volatile function, {@code SELECT INTO}, a
     * statement with no table, ...). It passes through; it writes nothing.
     */
    record UncacheableRead(String reason) implements Analysis { }

    /** The kinds of write. */
    enum WriteKind { INSERT, UPDATE, DELETE, UPSERT, TRUNCATE, DDL }

    /**
     * A statement that changes table data or structure.
     *
     * @param kind          the kind of write
     * @param tables        the written tables; one for INSERT/UPDATE/DELETE/UPSERT, several
     *                      possible for TRUNCATE and DDL
     * @param wholeTable    non-null when no row-level computation is possible (INSERT ... SELECT,
     *                      UPDATE ... FROM, TRUNCATE, DDL, writes with LIMIT, ...): the reason; the
     *                      engine then invalidates every scheme of every written table
     * @param columns       INSERT/UPSERT: the target columns, or {@code null} when omitted (all
     *                      columns in table order)
     * @param rows          INSERT/UPSERT: the {@code VALUES} rows, each as long as the column list
     * @param assignments   UPDATE (and UPSERT's update part): column to assigned value, in order
     * @param targetSql     UPDATE/DELETE: the target as written, with its alias if any
     *                      ({@code post p}), to build the old-image select from
     * @param whereSql      UPDATE/DELETE: the {@code WHERE} condition as SQL with {@code ?} left in
     *                      place, or {@code null} when there is none (every row)
     * @param whereParameters the 1-based indexes (in the whole statement) of the parameters that
     *                      occur in {@code whereSql}, in textual order
     * @param conflictColumns UPSERT: the conflict target columns if given ({@code ON CONFLICT (a, b)}),
     *                      else empty
     * @param returnsRows   true when the statement returns a result set ({@code RETURNING})
     * @param reads         tables read by the statement (subqueries, {@code INSERT ... SELECT}):
     *                      not written, but reading them makes the transaction's view depend on them
     * @param callsFunctions true when it calls a function that is not a known built-in, which may
     *                      write any table (so the transaction's reads of other tables are not safe)
     * @param plain         UPDATE/DELETE of the plain form {@code UPDATE target SET ... [WHERE ...]} or
     *                      {@code DELETE FROM target [WHERE ...]} (no {@code WITH}, {@code FROM},
     *                      {@code USING}, join, {@code ORDER BY}, {@code LIMIT}, {@code RETURNING},
     *                      {@code OUTPUT}, modifier), or an {@code INSERT ... SELECT} without
     *                      {@code RETURNING}, conflict clause or modifier: its parts, from which the
     *                      engine may build one statement that also returns the row images;
     *                      {@code null} otherwise
     */
    record Write(
            WriteKind kind,
            List<TableName> tables,
            String wholeTable,
            List<String> columns,
            List<List<ValueRef>> rows,
            Map<String, ValueRef> assignments,
            String targetSql,
            String whereSql,
            List<Integer> whereParameters,
            List<String> conflictColumns,
            boolean returnsRows,
            List<TableName> reads,
            boolean callsFunctions,
            Plain plain) implements Analysis {

        /** A write that calls no function but known built-ins. */
        public Write(WriteKind kind, List<TableName> tables, String wholeTable, List<String> columns,
                     List<List<ValueRef>> rows, Map<String, ValueRef> assignments, String targetSql, String whereSql,
                     List<Integer> whereParameters, List<String> conflictColumns, boolean returnsRows,
                     List<TableName> reads) {
            this(kind, tables, wholeTable, columns, rows, assignments, targetSql, whereSql, whereParameters,
                    conflictColumns, returnsRows, reads, false, null);
        }

        /** A plain {@code INSERT ... SELECT}: one whose rows a {@code RETURNING} list or a delta table can give. */
        public boolean plainInsertSelect() {
            return kind == WriteKind.INSERT && plain != null && plain.insertSql() != null;
        }

        /** This write with the parts of its plain form. */
        Write withPlain(Plain plain) {
            return new Write(kind, tables, wholeTable, columns, rows, assignments, targetSql, whereSql,
                    whereParameters, conflictColumns, returnsRows, reads, callsFunctions, plain);
        }

        /** This write, marked as calling functions that may write anywhere. */
        Write callingFunctions() {
            return new Write(kind, tables, wholeTable, columns, rows, assignments, targetSql, whereSql,
                    whereParameters, conflictColumns, returnsRows, reads, true, plain);
        }
    }

    /**
     * The parts of a plain {@code UPDATE}/{@code DELETE}, or of a plain {@code INSERT ... SELECT}
     * (see {@link Write#plain}).
     *
     * @param targetRef     how the statement refers to its target: the alias, else the name as written
     * @param setSql        UPDATE: the {@code SET} list as SQL with {@code ?} left in place; {@code null}
     *                      otherwise
     * @param setParameters UPDATE: the 1-based statement-wide indexes of the parameters in
     *                      {@code setSql}, in textual order; INSERT: of every parameter of the statement
     * @param fixedValues   the normalised target columns the condition fixes to a constant or a
     *                      parameter by an equality at its top level ({@code a = ? and b = 5}),
     *                      each with that value: every matching row holds it; empty for an INSERT
     * @param insertSql     INSERT ... SELECT: the whole statement as SQL with {@code ?} left in place,
     *                      to which a {@code RETURNING} list can be appended; {@code null} otherwise
     */
    record Plain(String targetRef, String setSql, List<Integer> setParameters,
                 Map<String, ValueRef> fixedValues, String insertSql) {
        public Plain {
            setParameters = List.copyOf(setParameters);
            fixedValues = Map.copyOf(fixedValues);
        }

        /** The parts of an {@code UPDATE} or {@code DELETE}. */
        public Plain(String targetRef, String setSql, List<Integer> setParameters, Map<String, ValueRef> fixedValues) {
            this(targetRef, setSql, setParameters, fixedValues, null);
        }
    }

    /**
     * A statement with no effect on cached data: transaction control, {@code SET}, {@code SHOW},
     * {@code EXPLAIN} without {@code ANALYZE}, ...
     */
    record Neutral(String what) implements Analysis { }

    /**
     * A statement the analysis could not understand (parse error, too long, too deep, a construct
     * it does not model). Reads pass through uncached; when {@code mayWrite} is true the engine
     * must assume it changed anything and invalidate everything.
     */
    record NotUnderstood(String reason, boolean mayWrite) implements Analysis { }
}
