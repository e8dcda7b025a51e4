package dev.cacheops.sql;

import dev.cacheops.Op;
import java.util.List;
import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.operators.relational.ExistsExpression;
import net.sf.jsqlparser.statement.select.Fetch;
import net.sf.jsqlparser.statement.select.Limit;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectItem;

/** Classifies a cacheable read as one {@link Op}, from its outermost select block. */
final class ReadClassifier {
    private ReadClassifier() {
    }

    static Op classify(Select statement) {
        Select top = outermost(statement);
        if (!(top instanceof PlainSelect select)) {
            return limitOne(top) ? Op.GET : Op.FETCH; // a union, TABLE t, VALUES
        }
        List<SelectItem<?>> items = select.getSelectItems() == null ? List.of() : select.getSelectItems();
        if (select.getFromItem() == null && items.size() == 1
                && ValueReader.unwrap(items.get(0).getExpression()) instanceof ExistsExpression) {
            return Op.EXISTS;
        }
        boolean grouped = select.getGroupBy() != null;
        if (!grouped && items.size() == 1 && ValueReader.unwrap(items.get(0).getExpression()) instanceof Function f
                && "count".equalsIgnoreCase(f.getName()) && !f.isDistinct() && !f.isUnique()) {
            return Op.COUNT;
        }
        if (grouped || items.stream().anyMatch(i -> hasAggregate(i.getExpression()))) {
            return Op.AGGREGATE;
        }
        if (limitOne(select)) {
            return items.stream().allMatch(i -> isConstant(i.getExpression())) ? Op.EXISTS : Op.GET;
        }
        return Op.FETCH;
    }

    /** The statement without redundant outer brackets. */
    static Select outermost(Select statement) {
        Select s = statement;
        for (int i = 0; i < 100 && s instanceof ParenthesedSelect p && p.getSelect() != null
                && p.getLimit() == null && p.getFetch() == null; i++) {
            s = p.getSelect();
        }
        return s;
    }

    private static boolean limitOne(Select s) {
        Limit limit = s.getLimit();
        if (limit != null && ValueReader.unwrap(limit.getRowCount()) instanceof LongValue n) {
            return n.getValue() == 1;
        }
        Fetch fetch = s.getFetch();
        if (fetch != null) {
            Expression e = fetch.getExpression();
            if (e == null) {
                return fetch.getRowCount() == 1 || fetch.getRowCount() == 0 && fetch.getFetchJdbcParameter() == null;
            }
            return ValueReader.unwrap(e) instanceof LongValue n && n.getValue() == 1;
        }
        return false;
    }

    private static boolean isConstant(Expression e) {
        Expression x = ValueReader.unwrap(e);
        return x instanceof LongValue || x instanceof StringValue;
    }

    /** An aggregate call in the expression, not counting subqueries or window functions. */
    private static boolean hasAggregate(Expression e) {
        boolean[] found = {false};
        // Without a select visitor the adapter does not descend into subqueries, which is what we
        // want: count(*) inside a scalar subquery does not make the outer select an aggregate.
        e.accept(new ExpressionVisitorAdapter<Void>() {
            @Override
            public <S> Void visit(Function function, S context) {
                if (function.getName() != null
                        && FunctionPolicy.AGGREGATES.contains(function.getName().toLowerCase(java.util.Locale.ROOT))) {
                    found[0] = true;
                }
                return super.visit(function, context);
            }

            @Override
            public <S> Void visit(AnalyticExpression analytic, S context) {
                return null; // count(*) over (...) is a window function: rows stay rows
            }
        }, null);
        return found[0];
    }
}
