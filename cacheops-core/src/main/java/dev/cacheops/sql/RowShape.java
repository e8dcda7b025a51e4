package dev.cacheops.sql;

import java.util.ArrayList;
import java.util.List;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectItem;

/**
 * A query whose every result row is one row of one table, as stored: a single table, no join,
 * grouping, {@code DISTINCT}, window or subquery, and a select list of plain columns of that
 * table, or of all of them ({@code *}, {@code t.*}). Such a result holds, for each row it returns, what a lookup of that row by its key
 * would return, which lets the engine store those lookups too (DESIGN §3, "Rows of a result").
 *
 * @param table   the table, as the statement names it
 * @param columns the select list's column names, in order (unquoted identifiers lower-cased);
 *                null for {@code *}: every column, in the table's order
 * @param key     when the statement is such a lookup: the column its {@code WHERE} fixes, as
 *                {@code column = ?} with the statement's only parameter and no ordering, limit
 *                or offset; else null
 */
public record RowShape(TableName table, List<String> columns, String key) {
    public RowShape {
        columns = columns == null ? null : List.copyOf(columns);
    }

    /** The shape of {@code statement}, or null when its rows are not rows of one table. */
    static RowShape of(Select statement, AstInventory inventory) {
        if (!(statement instanceof PlainSelect p) || inventory.allSelects.size() != 1
                || (p.getWithItemsList() != null && !p.getWithItemsList().isEmpty())
                || !(p.getFromItem() instanceof Table from) || (p.getJoins() != null && !p.getJoins().isEmpty())
                || p.getDistinct() != null || p.getGroupBy() != null || p.getHaving() != null
                || p.getWindowDefinitions() != null || p.getQualify() != null
                || p.getSelectItems() == null || p.getSelectItems().isEmpty()) {
            return null;
        }
        TableName table = Identifiers.tableName(from);
        String alias = from.getAlias() == null ? null : Identifiers.normalize(from.getAlias().getName());
        if (p.getSelectItems().size() == 1 && isEveryColumn(p.getSelectItems().get(0).getExpression(), table, alias)) {
            return new RowShape(table, null, key(p, table, alias));
        }
        List<String> columns = new ArrayList<>(p.getSelectItems().size());
        for (SelectItem<?> item : p.getSelectItems()) {
            String name = item.getExpression() instanceof Column c ? ownColumn(c, table, alias) : null;
            if (name == null) {
                return null;
            }
            columns.add(name);
        }
        return new RowShape(table, columns, key(p, table, alias));
    }

    /** The column a key lookup fixes: {@code WHERE col = ?} and nothing that trims or orders rows. */
    private static String key(PlainSelect p, TableName table, String alias) {
        if (p.getLimit() != null || p.getOffset() != null || p.getFetch() != null || p.getTop() != null
                || p.getFirst() != null || p.getSkip() != null || p.getLimitBy() != null
                || (p.getOrderByElements() != null && !p.getOrderByElements().isEmpty())
                || !(p.getWhere() instanceof EqualsTo eq)) {
            return null;
        }
        Expression l = eq.getLeftExpression();
        Expression r = eq.getRightExpression();
        if (l instanceof Column c && isOnlyParameter(r)) {
            return ownColumn(c, table, alias);
        }
        if (r instanceof Column c && isOnlyParameter(l)) {
            return ownColumn(c, table, alias);
        }
        return null;
    }

    /** {@code *}, or {@code t.*} of the table itself. */
    private static boolean isEveryColumn(Expression e, TableName table, String alias) {
        if (e instanceof AllTableColumns t) {
            return t.getTable() != null && t.getTable().getName() != null && owns(t.getTable(), table, alias);
        }
        return e instanceof AllColumns a && a.getExceptColumns() == null && a.getReplaceExpressions() == null;
    }

    /** A positional {@code ?}: the select list and {@code FROM} hold none, so it is parameter 1. */
    private static boolean isOnlyParameter(Expression e) {
        return e instanceof JdbcParameter j && (j.getIndex() == null || j.getIndex() == 1) && !j.isUseFixedIndex();
    }

    /** The column's name when it is the table's own (unqualified, or qualified by its alias or name). */
    private static String ownColumn(Column c, TableName table, String alias) {
        String name = Identifiers.normalize(c.getColumnName());
        if (name == null || name.isEmpty() || name.equals("*")) {
            return null;
        }
        Table q = c.getTable();
        return q == null || q.getName() == null || owns(q, table, alias) ? name : null;
    }

    /** Whether a qualifier names the table: its alias when it has one, else its name. */
    private static boolean owns(Table qualifier, TableName table, String alias) {
        TableName q = Identifiers.tableName(qualifier);
        return alias != null ? q.schema() == null && q.name().equals(alias)
                : q.name().equals(table.name()) && (q.schema() == null || q.schema().equals(table.schema()));
    }
}
