package dev.cacheops.sql;

import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.expression.operators.relational.NotEqualsTo;
import net.sf.jsqlparser.expression.operators.relational.OldOracleJoinBinaryExpression;
import net.sf.jsqlparser.schema.Column;

/**
 * Turns a boolean SQL expression into a {@link Condition} for one {@code SELECT} block, the way
 * cacheops' {@code dnfs()} does: equalities with constants, short {@code IN} lists, {@code IS NULL}
 * and {@code = any(?)} become atoms, {@code AND}/{@code OR} combine, {@code NOT} is pushed down by
 * De Morgan, and everything else (ranges, {@code LIKE}, functions of columns, negated equalities,
 * subqueries) is TRUE: it narrows nothing.
 */
final class ConditionReader {
    /** Resolves a column of the block to one of its sources, or null when it cannot be sure. */
    interface Columns {
        Condition.ColRef resolve(Column column);

        /** True when the source may be null-extended by an outer join as seen at {@code level}. */
        boolean nullableAt(int source, int level);
    }

    private final Columns columns;
    private final ValueReader values;
    private final int inListLimit;
    private final int cap;

    ConditionReader(Columns columns, ValueReader values, int inListLimit, int cap) {
        this.columns = columns;
        this.values = values;
        this.inListLimit = inListLimit;
        this.cap = cap;
    }

    /**
     * The condition of {@code e}.
     *
     * @param level where the expression sits: a join's position for its {@code ON}, or
     *              {@link Integer#MAX_VALUE} for {@code WHERE}; decides whether {@code IS NULL} on a
     *              null-extended table may narrow (it may not: that is the anti-join pattern)
     */
    Condition read(Expression e, int level) {
        return read(e, false, level, 0);
    }

    private Condition read(Expression expression, boolean negated, int level, int depth) {
        if (expression == null || depth > 200) {
            return Condition.TRUE;
        }
        Expression e = ValueReader.unwrap(expression);
        if (e instanceof InExpression in && !(in.getRightExpression() instanceof ExpressionList<?>)) {
            Expression fixed = regroup(in, in.getRightExpression(), 0);
            if (fixed != null) {
                e = fixed;
            }
        }
        if (e instanceof AndExpression and) {
            Condition l = read(and.getLeftExpression(), negated, level, depth + 1);
            Condition r = read(and.getRightExpression(), negated, level, depth + 1);
            return negated ? l.or(r, cap) : l.and(r, cap);
        }
        if (e instanceof OrExpression or) {
            Condition l = read(or.getLeftExpression(), negated, level, depth + 1);
            Condition r = read(or.getRightExpression(), negated, level, depth + 1);
            return negated ? l.and(r, cap) : l.or(r, cap);
        }
        if (e instanceof NotExpression not) {
            return read(not.getExpression(), !negated, level, depth + 1);
        }
        if (e instanceof EqualsTo eq && !negated && !oracleOuter(eq)) {
            return equality(eq.getLeftExpression(), eq.getRightExpression());
        }
        if (e instanceof NotEqualsTo ne && negated && !oracleOuter(ne)) {
            return equality(ne.getLeftExpression(), ne.getRightExpression()); // NOT (a <> b) is a = b
        }
        if (e instanceof InExpression in && in.isNot() == negated && in.getOldOracleJoinSyntax() == 0) {
            return in(in);
        }
        if (e instanceof IsNullExpression isNull && isNull.isNot() == negated) {
            return isNull(isNull, level);
        }
        if (e instanceof Column c && !isKeyword(c)) {
            // A bare boolean column: "where visible" is visible = true, "where not visible" is
            // visible = false (NULL satisfies neither). On a non-boolean column the engine
            // cannot canonicalise a boolean and drops the term.
            Condition.ColRef col = columns.resolve(c);
            return col == null ? Condition.TRUE : Condition.atom(new Condition.Eq(col,
                    new ValueRef.Literal(ValueRef.LiteralType.BOOLEAN, negated ? "false" : "true")));
        }
        return Condition.TRUE;
    }

    /**
     * NOTE: JSqlParser 5.3 parses {@code a IN (1, 2) AND b = 3} as {@code a IN ((1, 2) AND b = 3)}:
     * the list swallows the rest of the condition. This rebuilds the intended tree by putting the
     * IN back around the leftmost operand; null when the shape is anything else (then the whole
     * expression narrows nothing, which is safe).
     */
    private static Expression regroup(InExpression in, Expression node, int depth) {
        if (depth > 200) {
            return null;
        }
        if (node instanceof AndExpression and) {
            Expression left = regroup(in, and.getLeftExpression(), depth + 1);
            return left == null ? null : new AndExpression(left, and.getRightExpression());
        }
        if (node instanceof OrExpression or) {
            Expression left = regroup(in, or.getLeftExpression(), depth + 1);
            return left == null ? null : new OrExpression(left, or.getRightExpression());
        }
        if (node instanceof ExpressionList<?> || node instanceof net.sf.jsqlparser.statement.select.Select) {
            InExpression fixed = new InExpression(in.getLeftExpression(), node);
            fixed.setNot(in.isNot());
            return fixed;
        }
        return null;
    }

    private static boolean oracleOuter(OldOracleJoinBinaryExpression e) {
        return e.getOldOracleJoinSyntax() != 0;
    }

    private Condition equality(Expression left, Expression right) {
        Expression l = ValueReader.unwrap(left);
        Expression r = ValueReader.unwrap(right);
        if (l instanceof Column lc && r instanceof Column rc && !isKeyword(lc) && !isKeyword(rc)) {
            Condition.ColRef a = columns.resolve(lc);
            Condition.ColRef b = columns.resolve(rc);
            return a == null || b == null ? Condition.TRUE : Condition.atom(new Condition.Link(a, b));
        }
        if (l instanceof Column c && !isKeyword(c)) {
            return columnEquals(c, r);
        }
        if (r instanceof Column c && !isKeyword(c)) {
            return columnEquals(c, l);
        }
        return Condition.TRUE;
    }

    /** TRUE/FALSE/DEFAULT can come back from the grammar as bare column names. */
    private boolean isKeyword(Column c) {
        return c.getTable() == null && !(values.read(c) instanceof ValueRef.Opaque);
    }

    private Condition columnEquals(Column column, Expression valueExpression) {
        Condition.ColRef col = columns.resolve(column);
        if (col == null) {
            return Condition.TRUE;
        }
        ValueRef value = values.read(valueExpression);
        if (!ValueReader.isConstant(value)) {
            value = values.arrayParameter(valueExpression);
        }
        // col = NULL never holds, but saying so would be a guess about the engine; narrow nothing.
        return value == null || !ValueReader.isConstant(value)
                ? Condition.TRUE : Condition.atom(new Condition.Eq(col, value));
    }

    private Condition in(InExpression in) {
        if (!(ValueReader.unwrap(in.getLeftExpression()) instanceof Column column) || isKeyword(column)) {
            return Condition.TRUE;
        }
        if (!(in.getRightExpression() instanceof ExpressionList<?> list) || list.isEmpty()
                || list.size() > inListLimit) {
            return Condition.TRUE; // a subquery, or a list too long to narrow usefully
        }
        Condition.ColRef col = columns.resolve(column);
        if (col == null) {
            return Condition.TRUE;
        }
        Condition result = null;
        for (Object item : list) {
            ValueRef value = values.read((Expression) item);
            if (!(value instanceof ValueRef.Literal || value instanceof ValueRef.Parameter)
                    || !ValueReader.isConstant(value)) {
                return Condition.TRUE;
            }
            Condition one = Condition.atom(new Condition.Eq(col, value));
            result = result == null ? one : result.or(one, cap);
        }
        return result;
    }

    private Condition isNull(IsNullExpression isNull, int level) {
        if (!(ValueReader.unwrap(isNull.getLeftExpression()) instanceof Column column) || isKeyword(column)) {
            return Condition.TRUE;
        }
        Condition.ColRef col = columns.resolve(column);
        if (col == null || columns.nullableAt(col.source(), level)) {
            return Condition.TRUE;
        }
        return Condition.atom(new Condition.Eq(col, ValueRef.Literal.NULL));
    }
}
