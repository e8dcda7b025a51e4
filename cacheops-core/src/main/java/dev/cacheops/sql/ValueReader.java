package dev.cacheops.sql;

import java.util.Locale;
import java.util.Map;
import net.sf.jsqlparser.expression.BooleanValue;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.DateTimeLiteralExpression;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.schema.Column;

/**
 * Reads constant expressions: literals (strings, numbers, booleans, dates and times however they
 * are written), JDBC parameters (casts of a parameter are the parameter), {@code DEFAULT}, and
 * {@code any(?)}. Anything else is {@link ValueRef.Opaque}.
 */
final class ValueReader {
    private final Map<JdbcParameter, Integer> parameterIndexes;

    ValueReader(Map<JdbcParameter, Integer> parameterIndexes) {
        this.parameterIndexes = parameterIndexes;
    }

    /** The value of an expression, {@link ValueRef.Opaque} when it is not a constant. */
    ValueRef read(Expression e) {
        Expression x = unwrap(e);
        if (x instanceof JdbcParameter p) {
            Integer index = parameterIndexes.get(p);
            return index == null ? opaque(e) : new ValueRef.Parameter(index);
        }
        if (x instanceof NullValue) {
            return ValueRef.Literal.NULL;
        }
        if (x instanceof LongValue n) {
            return number(n.getStringValue(), e);
        }
        if (x instanceof DoubleValue d) {
            return number(d.toString(), e);
        }
        if (x instanceof SignedExpression s) {
            ValueRef inner = read(s.getExpression());
            if (inner instanceof ValueRef.Literal lit && lit.type() == ValueRef.LiteralType.NUMBER) {
                String text = lit.text();
                if (s.getSign() == '+') {
                    return lit;
                }
                if (s.getSign() == '-') {
                    return new ValueRef.Literal(ValueRef.LiteralType.NUMBER,
                            text.startsWith("-") ? text.substring(1) : "-" + text);
                }
            }
            return opaque(e);
        }
        if (x instanceof StringValue s) {
            String text = string(s);
            return text == null ? opaque(e) : new ValueRef.Literal(ValueRef.LiteralType.STRING, text);
        }
        if (x instanceof BooleanValue b) {
            return new ValueRef.Literal(ValueRef.LiteralType.BOOLEAN, b.getValue() ? "true" : "false");
        }
        if (x instanceof DateTimeLiteralExpression d) {
            ValueRef.LiteralType type = temporalType(d.getType().name());
            String value = d.getValue();
            if (type != null && value != null && value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
                return new ValueRef.Literal(type, value.substring(1, value.length() - 1).replace("''", "'"));
            }
            return opaque(e);
        }
        if (x instanceof CastExpression c) {
            return cast(c, e);
        }
        if (x instanceof Column c && c.getTable() == null && !Identifiers.isQuoted(c.getColumnName())) {
            // bare TRUE/FALSE/DEFAULT can come back as column names from some grammar paths
            String word = c.getColumnName().toLowerCase(Locale.ROOT);
            if (word.equals("true") || word.equals("false")) {
                return new ValueRef.Literal(ValueRef.LiteralType.BOOLEAN, word);
            }
            if (word.equals("default")) {
                return ValueRef.Default.INSTANCE;
            }
        }
        return opaque(e);
    }

    /** The array parameter of {@code any(?)} (Hibernate's rendering of a collection), or null. */
    ValueRef.ArrayParameter arrayParameter(Expression e) {
        Expression x = unwrap(e);
        if (x instanceof Function f && f.getName() != null && f.getName().equalsIgnoreCase("any")
                && f.getParameters() != null && f.getParameters().size() == 1) {
            ValueRef inner = read((Expression) f.getParameters().get(0));
            if (inner instanceof ValueRef.Parameter p) {
                return new ValueRef.ArrayParameter(p.index());
            }
        }
        return null;
    }

    /** True for a literal or parameter: something a term can compare against. */
    static boolean isConstant(ValueRef v) {
        return v instanceof ValueRef.Parameter || v instanceof ValueRef.ArrayParameter
                || (v instanceof ValueRef.Literal lit && lit.type() != ValueRef.LiteralType.NULL);
    }

    /** Removes redundant brackets: {@code ((5))} is {@code 5}. */
    static Expression unwrap(Expression e) {
        Expression x = e;
        while (x instanceof ExpressionList<?> list && list.size() == 1
                && x.getClass() != ExpressionList.class) { // a bracketed single expression
            x = (Expression) list.get(0);
        }
        return x;
    }

    private ValueRef cast(CastExpression c, Expression original) {
        ValueRef inner = read(c.getLeftExpression());
        if (inner instanceof ValueRef.Parameter) {
            return inner; // ?::int is just the parameter; the engine converts by the column type
        }
        if (!(inner instanceof ValueRef.Literal lit) || c.getColDataType() == null) {
            return opaque(original);
        }
        String type = c.getColDataType().getDataType().toLowerCase(Locale.ROOT).strip();
        ValueRef.LiteralType temporal = temporalType(type);
        if (temporal != null && lit.type() == ValueRef.LiteralType.STRING) {
            return new ValueRef.Literal(temporal, lit.text());
        }
        // Casts that keep the value as written; others (say '1.7'::int) may change it.
        if (lit.type() == ValueRef.LiteralType.STRING
                && (type.startsWith("text") || type.startsWith("varchar") || type.startsWith("character varying")
                    || type.equals("uuid") || type.startsWith("char"))) {
            return lit;
        }
        if (lit.type() == ValueRef.LiteralType.NUMBER
                && (type.equals("int") || type.equals("integer") || type.equals("bigint") || type.equals("smallint")
                    || type.equals("int2") || type.equals("int4") || type.equals("int8") || type.startsWith("numeric")
                    || type.startsWith("decimal"))
                && lit.text().matches("-?\\d+")) {
            return lit;
        }
        return opaque(original);
    }

    private static ValueRef.LiteralType temporalType(String type) {
        String t = type.toLowerCase(Locale.ROOT);
        if (t.equals("date")) {
            return ValueRef.LiteralType.DATE;
        }
        if (t.startsWith("timestamp")) {
            return ValueRef.LiteralType.TIMESTAMP;
        }
        if (t.equals("time") || t.startsWith("time ") || t.startsWith("time(") || t.equals("timetz")) {
            return ValueRef.LiteralType.TIME;
        }
        return null;
    }

    private static ValueRef number(String text, Expression original) {
        return text == null ? opaque(original) : new ValueRef.Literal(ValueRef.LiteralType.NUMBER, text);
    }

    /** The string's value; {@code null} for prefixed forms whose escapes we do not undo (E'..', X'..'). */
    private static String string(StringValue s) {
        String prefix = s.getPrefix();
        if (prefix != null && !prefix.isEmpty() && !prefix.equalsIgnoreCase("N")) {
            return null;
        }
        String raw = s.getValue();
        if (raw.indexOf('\\') >= 0) {
            return null; // MySQL reads backslash escapes, PostgreSQL does not: the value is uncertain
        }
        return raw.replace("''", "'");
    }

    private static ValueRef.Opaque opaque(Expression e) {
        return new ValueRef.Opaque(String.valueOf(e));
    }
}
