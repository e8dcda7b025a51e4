package dev.cacheops.sql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.merge.Merge;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.Values;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.update.UpdateSet;
import net.sf.jsqlparser.statement.upsert.Upsert;

/**
 * Analyses {@code INSERT}, {@code UPDATE}, {@code DELETE}, upserts and {@code MERGE}: the written
 * table and what the engine needs to compute the old and new row images. Whatever cannot be
 * computed row by row is marked {@code wholeTable} with the reason.
 */
final class WriteAnalyzer {
    private final AstInventory inventory;
    private final ValueReader values;
    private final Map<JdbcParameter, Integer> parameterIndexes;

    WriteAnalyzer(AstInventory inventory, ValueReader values, Map<JdbcParameter, Integer> parameterIndexes) {
        this.inventory = inventory;
        this.values = values;
        this.parameterIndexes = parameterIndexes;
    }

    Analysis insert(Insert insert) {
        TableName table = Identifiers.tableName(insert.getTable());
        List<String> columns = insert.getColumns() == null || insert.getColumns().isEmpty()
                ? null : columnNames(insert.getColumns());
        List<List<ValueRef>> rows = new ArrayList<>();
        String wholeTable = null;
        if (insert.getSetUpdateSets() != null && !insert.getSetUpdateSets().isEmpty()) {
            // MySQL's INSERT ... SET a = 1, b = ?: one row
            Map<String, ValueRef> set = assignments(insert.getSetUpdateSets());
            columns = List.copyOf(set.keySet());
            rows.add(List.copyOf(set.values()));
        } else if (insert.isOnlyDefaultValues()) {
            columns = List.of();
            rows.add(List.of());
        } else if (insert.getSelect() instanceof Values v && v.getExpressions() != null) {
            rows = rows(v.getExpressions());
            int width = columns == null ? -1 : columns.size();
            for (List<ValueRef> row : rows) {
                if (width >= 0 && row.size() != width) {
                    wholeTable = "row width differs from the column list";
                }
            }
        } else {
            wholeTable = "insert ... select";
        }
        Analysis.WriteKind kind = Analysis.WriteKind.INSERT;
        List<String> conflict = List.of();
        Map<String, ValueRef> updates = Map.of();
        if (insert.getConflictAction() != null) {
            kind = Analysis.WriteKind.UPSERT;
            if (insert.getConflictTarget() != null && insert.getConflictTarget().getIndexColumnNames() != null) {
                conflict = insert.getConflictTarget().getIndexColumnNames().stream()
                        .map(Identifiers::normalize).toList();
            }
            if (insert.getConflictAction().getUpdateSets() != null) {
                updates = assignments(insert.getConflictAction().getUpdateSets());
            }
        } else if (insert.getDuplicateUpdateSets() != null && !insert.getDuplicateUpdateSets().isEmpty()) {
            kind = Analysis.WriteKind.UPSERT;
            updates = assignments(insert.getDuplicateUpdateSets());
        } else if (insert.isUseDuplicate()) {
            kind = Analysis.WriteKind.UPSERT;
            // NOTE: no assignments would read as "changes no existing row" (DO NOTHING) to the engine
            wholeTable = "on duplicate key update without readable assignments";
        }
        Analysis.Write out = new Analysis.Write(kind, List.of(table), wholeTable,
                columns == null ? null : List.copyOf(columns),
                rows.stream().map(List::copyOf).toList(), updates, null, null, List.of(), List.copyOf(conflict),
                insert.getReturningClause() != null || insert.getOutputClause() != null, reads(Set.of()));
        boolean plainSelect = kind == Analysis.WriteKind.INSERT && insert.getSelect() != null
                && !(insert.getSelect() instanceof Values) && insert.getReturningClause() == null
                && insert.getOutputClause() == null && insert.getModifierPriority() == null
                && !insert.isModifierIgnore() && insert.getOracleHint() == null && !insert.isOverwrite()
                && !notEmpty(insert.getWithItemsList());
        List<Integer> all = new ArrayList<>(parameterIndexes.values());
        all.sort(null);
        for (int i = 0; i < all.size(); i++) {
            plainSelect &= all.get(i) == i + 1; // every parameter numbered in order, none named
        }
        if (!plainSelect) {
            return out;
        }
        // Deparsed rather than the caller's text: it ends where the statement ends (no trailing
        // comment or semicolon), so RETURNING can be appended; ? stay in textual order.
        return out.withPlain(new Analysis.Plain(targetRef(insert.getTable()), null, all, Map.of(), insert.toString()));
    }

    Analysis update(Update update) {
        TableName table = Identifiers.tableName(update.getTable());
        Set<TableName> extraReads = new LinkedHashSet<>();
        String wholeTable = null;
        if (update.getFromItem() != null || notEmpty(update.getJoins()) || notEmpty(update.getStartJoins())) {
            wholeTable = "update with more than one table";
            addTables(extraReads, update.getFromItem());
            addJoins(extraReads, update.getJoins());
            addJoins(extraReads, update.getStartJoins());
        } else if (notEmpty(update.getOrderByElements()) || update.getLimit() != null) {
            wholeTable = "update with order by or limit";
        }
        Map<String, ValueRef> assignments = update.getUpdateSets() == null ? Map.of() : assignments(update.getUpdateSets());
        extraReads.remove(table);
        Analysis.Write out = new Analysis.Write(Analysis.WriteKind.UPDATE, List.of(table), wholeTable, null, List.of(),
                assignments, targetSql(update.getTable()), sql(update.getWhere()), whereParameters(update.getWhere()),
                List.of(), update.getReturningClause() != null || update.getOutputClause() != null,
                reads(extraReads));
        boolean plain = wholeTable == null && !notEmpty(update.getWithItemsList()) && update.getReturningClause() == null
                && update.getOutputClause() == null && update.getModifierPriority() == null && !update.isModifierIgnore()
                && update.getPreferringClause() == null && update.getOracleHint() == null
                && notEmpty(update.getUpdateSets());
        if (!plain) {
            return out;
        }
        StringBuilder sets = UpdateSet.appendUpdateSetsTo(new StringBuilder(), update.getUpdateSets());
        List<Integer> setParameters = new ArrayList<>();
        for (UpdateSet set : update.getUpdateSets()) {
            for (Object v : set.getValues()) {
                setParameters.addAll(parametersOf((Expression) v));
            }
        }
        setParameters.sort(null);
        if (setParameters.size() + out.whereParameters().size() != parameterIndexes.size()) {
            return out; // a parameter outside SET and WHERE, or one not numbered: not rebuilt
        }
        return out.withPlain(new Analysis.Plain(targetRef(update.getTable()), sets.toString(), setParameters,
                fixedValues(update.getTable(), update.getWhere())));
    }

    Analysis delete(Delete delete) {
        TableName table = Identifiers.tableName(delete.getTable());
        List<TableName> written = new ArrayList<>();
        written.add(table);
        Set<TableName> extraReads = new LinkedHashSet<>();
        String wholeTable = null;
        if (notEmpty(delete.getTables()) || notEmpty(delete.getUsingList()) || notEmpty(delete.getJoins())) {
            wholeTable = "delete with more than one table";
            if (delete.getTables() != null) {
                for (Table t : delete.getTables()) {
                    TableName name = Identifiers.tableName(t);
                    if (!written.contains(name)) {
                        written.add(name);
                    }
                }
            }
            if (delete.getUsingList() != null) {
                delete.getUsingList().forEach(t -> addTables(extraReads, t));
            }
            addJoins(extraReads, delete.getJoins());
        } else if (notEmpty(delete.getOrderByElements()) || delete.getLimit() != null) {
            wholeTable = "delete with order by or limit";
        }
        extraReads.removeAll(written);
        Analysis.Write out = new Analysis.Write(Analysis.WriteKind.DELETE, List.copyOf(written), wholeTable, null,
                List.of(), Map.of(), targetSql(delete.getTable()), sql(delete.getWhere()),
                whereParameters(delete.getWhere()), List.of(),
                delete.getReturningClause() != null || delete.getOutputClause() != null, reads(extraReads));
        boolean plain = wholeTable == null && !notEmpty(delete.getWithItemsList())
                && delete.getReturningClause() == null && delete.getOutputClause() == null
                && delete.getModifierPriority() == null && !delete.isModifierIgnore() && !delete.isModifierQuick()
                && delete.getPreferringClause() == null && delete.getOracleHint() == null;
        if (!plain || out.whereParameters().size() != parameterIndexes.size()) {
            return out;
        }
        return out.withPlain(new Analysis.Plain(targetRef(delete.getTable()), null, List.of(),
                fixedValues(delete.getTable(), delete.getWhere())));
    }

    /** How the statement refers to its target: the alias, else the name as written. */
    private static String targetRef(Table table) {
        return table.getAlias() == null ? table.getFullyQualifiedName() : table.getAlias().getName();
    }

    /**
     * The target's columns fixed by an equality to a parameter or a literal in the condition's
     * top-level conjunction, with that value; a column qualified by anything but the target's
     * alias or name is not the target's.
     */
    private Map<String, ValueRef> fixedValues(Table target, Expression where) {
        Map<String, ValueRef> out = new LinkedHashMap<>();
        collectFixed(target, where, out);
        return out;
    }

    private void collectFixed(Table target, Expression e, Map<String, ValueRef> out) {
        if (e instanceof net.sf.jsqlparser.expression.operators.conditional.AndExpression and) {
            collectFixed(target, and.getLeftExpression(), out);
            collectFixed(target, and.getRightExpression(), out);
        } else if (e instanceof net.sf.jsqlparser.expression.Parenthesis p) {
            collectFixed(target, p.getExpression(), out);
        } else if (e instanceof net.sf.jsqlparser.expression.operators.relational.EqualsTo eq) {
            // two equalities on one column: every matching row satisfies both, so either value is right
            String c = targetColumn(target, eq.getLeftExpression());
            if (c != null && constant(eq.getRightExpression())) {
                out.put(c, values.read(eq.getRightExpression()));
            }
            c = targetColumn(target, eq.getRightExpression());
            if (c != null && constant(eq.getLeftExpression())) {
                out.put(c, values.read(eq.getLeftExpression()));
            }
        }
    }

    private static String targetColumn(Table target, Expression e) {
        if (!(e instanceof Column c)) {
            return null;
        }
        Table t = c.getTable();
        if (t != null && t.getName() != null) {
            String ref = Identifiers.normalize(t.getName());
            boolean ours = target.getAlias() != null
                    ? ref.equals(Identifiers.normalize(target.getAlias().getName()))
                    : ref.equals(Identifiers.normalize(target.getName()));
            if (!ours) {
                return null;
            }
        }
        return Identifiers.normalize(c.getColumnName());
    }

    /** A value that is the same for every row: a parameter or a literal. */
    private static boolean constant(Expression e) {
        return e instanceof JdbcParameter || e instanceof net.sf.jsqlparser.expression.LongValue
                || e instanceof net.sf.jsqlparser.expression.StringValue;
    }

    Analysis merge(Merge merge) {
        TableName table = Identifiers.tableName(merge.getTable());
        Set<TableName> extraReads = new LinkedHashSet<>();
        addTables(extraReads, merge.getUsingTable());
        addTables(extraReads, merge.getFromItem());
        extraReads.remove(table);
        return wholeTable(Analysis.WriteKind.UPSERT, List.of(table), "merge", merge.getOutputClause() != null,
                reads(extraReads));
    }

    Analysis upsert(Upsert upsert) {
        // REPLACE INTO deletes the conflicting rows, which the statement does not name
        return wholeTable(Analysis.WriteKind.UPSERT, List.of(Identifiers.tableName(upsert.getTable())),
                upsert.getUpsertType() + " into", false, reads(Set.of()));
    }

    static Analysis.Write wholeTable(Analysis.WriteKind kind, List<TableName> tables, String reason,
                                     boolean returnsRows, List<TableName> reads) {
        return new Analysis.Write(kind, List.copyOf(tables), reason, null, List.of(), Map.of(), null, null,
                List.of(), List.of(), returnsRows, reads);
    }

    /** VALUES rows: a single bracketed row, or a list of rows. */
    private List<List<ValueRef>> rows(ExpressionList<?> expressions) {
        List<List<ValueRef>> rows = new ArrayList<>();
        if (expressions instanceof ParenthesedExpressionList<?> single) {
            rows.add(valuesOf(single));
            return rows;
        }
        for (Object item : expressions) {
            if (item instanceof ExpressionList<?> row) {
                rows.add(valuesOf(row));
            } else {
                rows.add(List.of(values.read((Expression) item)));
            }
        }
        return rows;
    }

    private List<ValueRef> valuesOf(ExpressionList<?> row) {
        List<ValueRef> out = new ArrayList<>();
        for (Object item : row) {
            out.add(values.read((Expression) item));
        }
        return out;
    }

    /** SET assignments in order; {@code (a, b) = (select ...)} gives opaque values. */
    private Map<String, ValueRef> assignments(List<UpdateSet> sets) {
        Map<String, ValueRef> out = new LinkedHashMap<>();
        for (UpdateSet set : sets) {
            List<String> columns = columnNames(set.getColumns());
            ExpressionList<?> vs = set.getValues();
            if (vs != null && vs.size() == columns.size()) {
                for (int i = 0; i < columns.size(); i++) {
                    out.put(columns.get(i), values.read((Expression) vs.get(i)));
                }
            } else {
                for (String c : columns) {
                    out.put(c, new ValueRef.Opaque(String.valueOf(vs)));
                }
            }
        }
        return out;
    }

    private static List<String> columnNames(List<Column> columns) {
        return columns.stream().map(c -> Identifiers.normalize(c.getColumnName())).toList();
    }

    /** The target as written: name and alias, for {@code select ... from <target> where ...}. */
    private static String targetSql(Table table) {
        String name = table.getFullyQualifiedName();
        return table.getAlias() == null ? name : name + " " + table.getAlias().getName();
    }

    private static String sql(Expression where) {
        return where == null ? null : where.toString();
    }

    /** The statement-wide indexes of the parameters inside the WHERE, in textual order. */
    private List<Integer> whereParameters(Expression where) {
        if (where == null) {
            return List.of();
        }
        return List.copyOf(parametersOf(where));
    }

    /** The statement-wide indexes of the parameters inside an expression, in textual order. */
    private List<Integer> parametersOf(Expression e) {
        List<Integer> indexes = new ArrayList<>();
        for (JdbcParameter p : AstInventory.of(e).parameters) {
            Integer index = parameterIndexes.get(p);
            if (index != null) {
                indexes.add(index);
            }
        }
        indexes.sort(null);
        return List.copyOf(indexes);
    }

    /** Tables read by the statement's subqueries plus the extra FROM tables given. */
    private List<TableName> reads(Set<TableName> extra) {
        Set<TableName> out = new LinkedHashSet<>(extra);
        for (var block : inventory.selects.keySet()) {
            addTables(out, block.getFromItem());
            addJoins(out, block.getJoins());
        }
        for (var s : inventory.allSelects) {
            if (s instanceof net.sf.jsqlparser.statement.select.TableStatement t && t.getTable() != null) {
                out.add(Identifiers.tableName(t.getTable()));
            }
        }
        return List.copyOf(out);
    }

    private void addJoins(Set<TableName> out, List<Join> joins) {
        if (joins != null) {
            for (Join j : joins) {
                addTables(out, j.getRightItem());
            }
        }
    }

    private void addTables(Set<TableName> out, FromItem item) {
        if (item instanceof Table t) {
            TableName name = Identifiers.tableName(t);
            if (name.schema() != null || !inventory.cteNames.contains(name.name())) {
                out.add(name);
            }
        } else if (item instanceof net.sf.jsqlparser.statement.select.ParenthesedFromItem group) {
            addTables(out, group.getFromItem());
            addJoins(out, group.getJoins());
        }
        // subqueries are select blocks of their own, already in the inventory
    }

    private static boolean notEmpty(List<?> list) {
        return list != null && !list.isEmpty();
    }
}
