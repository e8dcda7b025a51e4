package dev.cacheops.checker;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates random {@code WHERE} conditions over one table alias: small trees of {@code AND},
 * {@code OR} and {@code NOT} over comparison leaves ({@code =}, {@code <>}, ranges, {@code BETWEEN},
 * short and long {@code IN} lists, {@code IS [NOT] NULL}, {@code LIKE}), with literals or
 * parameters. Not thread-safe.
 */
final class ConditionGenerator {
    private final ValueSource values;
    private final Random random;

    ConditionGenerator(ValueSource values) {
        this.values = values;
        this.random = values.random();
    }

    /** A condition tree of at most {@code depth} levels over {@code table} as {@code alias}. */
    Frag condition(Schema.Table table, String alias, int depth, boolean prepared) {
        if (depth <= 0 || random.nextInt(3) == 0) {
            return leaf(table, alias, prepared);
        }
        return switch (random.nextInt(5)) {
            case 0, 1 -> Frag.cat("(", condition(table, alias, depth - 1, prepared), " and ",
                    condition(table, alias, depth - 1, prepared), ")");
            case 2, 3 -> Frag.cat("(", condition(table, alias, depth - 1, prepared), " or ",
                    condition(table, alias, depth - 1, prepared), ")");
            default -> Frag.cat("not (", condition(table, alias, depth - 1, prepared), ")");
        };
    }

    /** One comparison on a random column. */
    Frag leaf(Schema.Table table, String alias, boolean prepared) {
        Schema.Column col = values.pick(table.columns());
        return leaf(table, col, alias, prepared);
    }

    /** One comparison on {@code col}. */
    Frag leaf(Schema.Table table, Schema.Column col, String alias, boolean prepared) {
        String name = (alias.isEmpty() ? "" : alias + ".") + col.name();
        ColType t = col.type();
        int kind = random.nextInt(10);
        if (kind == 0 && col.nullable()) {
            return Frag.of(name + (random.nextBoolean() ? " is null" : " is not null"));
        }
        if (kind == 1) {
            return Frag.cat(name, " <> ", value(table, col, prepared));
        }
        if (kind == 2 && t.ordered()) {
            String op = values.pick(List.of("<", "<=", ">", ">="));
            return Frag.cat(name, " ", op, " ", value(table, col, prepared));
        }
        if (kind == 3 && t.ordered()) {
            return Frag.cat(name, " between ", value(table, col, prepared), " and ", value(table, col, prepared));
        }
        if (kind == 4 || kind == 5) {
            int n = random.nextInt(4) == 0 ? 17 + random.nextInt(6) : 1 + random.nextInt(4);
            List<Frag> items = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                items.add(value(table, col, prepared));
            }
            return Frag.cat(name, random.nextInt(5) == 0 ? " not in (" : " in (", Frag.join(", ", items), ")");
        }
        if (kind == 7 && random.nextInt(3) == 0) {
            return expression(col, name, prepared, table);
        }
        if (kind == 6 && t.textual()) {
            String word = values.pick(List.of("al%", "%ta", "%e%", "b_ta", "gamma"));
            return Frag.cat(name, " like ", values.render(word, t, prepared));
        }
        return Frag.cat(name, " = ", value(table, col, prepared));
    }

    /** The column inside an expression, bare booleans, {@code IS DISTINCT FROM}: none is an equality on the column. */
    private Frag expression(Schema.Column col, String name, boolean prepared, Schema.Table table) {
        ColType t = col.type();
        if (t == ColType.BOOL) {
            return Frag.of(values.pick(List.of(name, "not " + name, name + " is true", name + " is not false")));
        }
        if (t == ColType.INT) {
            return switch (random.nextInt(3)) {
                case 0 -> Frag.cat(name, " + 0 = ", value(table, col, prepared));
                case 1 -> Frag.cat("coalesce(", name, ", 0) = ", value(table, col, prepared));
                default -> Frag.cat("abs(", name, ") = ", value(table, col, prepared));
            };
        }
        if (t.textual()) {
            return Frag.cat(random.nextBoolean() ? "lower(" : "upper(", name, ") = ", value(table, col, prepared));
        }
        return Frag.cat(name, " is distinct from ", value(table, col, prepared));
    }

    private Frag value(Schema.Table table, Schema.Column col, boolean prepared) {
        return values.render(values.nonNull(table, col), col.type(), prepared);
    }
}
