package dev.cacheops.sql;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.ParenthesedFromItem;
import net.sf.jsqlparser.statement.select.PlainSelect;

/**
 * One {@code SELECT} block: its {@code FROM} sources and the DNF of each table it reads, from its
 * own {@code WHERE} and joins. Subqueries are blocks of their own (found by {@link AstInventory});
 * a reference to an outer column narrows nothing here.
 *
 * <p>Which conditions narrow which source follows the join tree: {@code WHERE} and inner-join
 * {@code ON} conditions narrow every source they reach; the {@code ON} of a {@code LEFT JOIN}
 * narrows only its nullable (right) side, of a {@code RIGHT JOIN} only the left side, of a
 * {@code FULL JOIN} nothing. Constants therefore flow through an outer join's {@code ON} equality
 * from the preserved side to the nullable side only. {@code IS NULL} on a source that an outer join
 * may null-extend narrows nothing (the anti-join pattern {@code where b.id is null}).
 */
final class SelectBlock implements ConditionReader.Columns {
    /** Where a condition applies. */
    private static final int WHERE_LEVEL = Integer.MAX_VALUE - 1;

    /** One FROM source: a table occurrence, or something else (derived table, CTE, function). */
    record Source(TableName table, String alias, String cteOrOther, int nullableSince) {
        boolean isTable() {
            return table != null;
        }
    }

    /** A table this block reads and the rows of it that matter. */
    record Occurrence(TableName table, Dnf dnf) {
    }

    private record Scoped(Expression expression, int level, BitSet appliesTo) {
    }

    private final List<Source> sources = new ArrayList<>();
    private final List<Scoped> conditions = new ArrayList<>();
    private final boolean nested;
    private final Set<String> cteNames;
    private final SchemaLookup lookup;
    private final int cap;
    private final ConditionReader reader;
    private final Map<Column, Optional<Condition.ColRef>> resolved = new java.util.IdentityHashMap<>();

    private final boolean oracleOuterJoin;

    SelectBlock(PlainSelect select, boolean nested, AstInventory inventory, SchemaLookup lookup,
                ValueReader values, AnalyzerSettings settings, int cap) {
        this.nested = nested;
        this.oracleOuterJoin = inventory.oracleOuterJoin;
        this.cteNames = inventory.cteNames;
        this.lookup = lookup;
        this.cap = cap;
        this.reader = new ConditionReader(this, values, settings.inListLimit(), cap);
        collect(select);
    }

    List<Source> sources() {
        return sources;
    }

    private void collect(PlainSelect select) {
        if (select.getFromItem() != null) {
            addSources(select.getFromItem(), 0);
        }
        List<Join> joins = select.getJoins() == null ? List.of() : select.getJoins();
        int level = 0;
        for (Join join : joins) {
            level++;
            BitSet left = range(0, sources.size());
            int before = sources.size();
            addSources(join.getRightItem(), 0);
            BitSet right = range(before, sources.size());
            BitSet appliesTo = new BitSet();
            if (join.isFull() || (join.isOuter() && !join.isLeft() && !join.isRight())) {
                markNullable(left, level + 1);
                markNullable(right, level + 1);
            } else if (join.isLeft()) {
                appliesTo.or(right);
                markNullable(right, level + 1);
            } else if (join.isRight()) {
                appliesTo.or(left);
                markNullable(left, level + 1);
            } else {
                appliesTo.or(left);
                appliesTo.or(right);
            }
            if (join.getOnExpressions() != null) {
                for (Expression on : join.getOnExpressions()) {
                    conditions.add(new Scoped(on, level, appliesTo));
                }
            }
            // USING and NATURAL equalities are not read: leaving a condition out only widens.
        }
        Expression where = select.getWhere();
        if (where != null) {
            if (oracleOuterJoin) {
                // Oracle's (+) makes an outer join inside WHERE: treat every source as nullable and
                // let the (+) equalities narrow nothing (ConditionReader skips them).
                markNullable(range(0, sources.size()), 0);
            }
            conditions.add(new Scoped(where, WHERE_LEVEL, range(0, sources.size())));
        }
    }

    private void addSources(FromItem item, int nullableSince) {
        if (item instanceof Table table && table.getPivot() == null && table.getUnPivot() == null) {
            TableName name = Identifiers.tableName(table);
            String alias = table.getAlias() == null ? null : Identifiers.normalize(table.getAlias().getName());
            if (name.schema() == null && cteNames.contains(name.name())) {
                sources.add(new Source(null, alias == null ? name.name() : alias, "cte:" + name.name(),
                        Integer.MAX_VALUE));
            } else {
                sources.add(new Source(name, alias, null, Integer.MAX_VALUE));
            }
            return;
        }
        if (item instanceof ParenthesedFromItem group) {
            // A bracketed join: its tables join this block, its inner ON conditions are not read
            // (narrowing less is safe); if it holds an outer join, all its tables may be null.
            int before = sources.size();
            addSources(group.getFromItem(), nullableSince);
            boolean outer = false;
            if (group.getJoins() != null) {
                for (Join j : group.getJoins()) {
                    addSources(j.getRightItem(), nullableSince);
                    outer |= j.isOuter() || j.isLeft() || j.isRight() || j.isFull();
                }
            }
            if (outer) {
                markNullable(range(before, sources.size()), 0);
            }
            if (group.getAlias() != null) {
                sources.add(new Source(null, Identifiers.normalize(group.getAlias().getName()), "group",
                        Integer.MAX_VALUE));
            }
            return;
        }
        String alias = item == null || item.getAlias() == null ? null : Identifiers.normalize(item.getAlias().getName());
        // anything else, including a pivoted table (its columns are not the table's), is not a
        // table source; ReadAnalyzer refuses the kinds whose reads it cannot see
        String kind = item == null ? "?" : item instanceof Table ? "pivot" : item.getClass().getSimpleName();
        sources.add(new Source(null, alias, kind, Integer.MAX_VALUE));
    }

    private void markNullable(BitSet which, int since) {
        which.stream().forEach(i -> {
            Source s = sources.get(i);
            if (s.nullableSince() > since) {
                sources.set(i, new Source(s.table(), s.alias(), s.cteOrOther(), since));
            }
        });
    }

    private static BitSet range(int from, int to) {
        BitSet b = new BitSet();
        b.set(from, to);
        return b;
    }

    /** Every table source with its DNF, in FROM order. */
    List<Occurrence> occurrences() {
        List<Condition> read = new ArrayList<>();
        for (Scoped c : conditions) {
            read.add(reader.read(c.expression(), c.level()));
        }
        Map<BitSet, Condition> combined = new HashMap<>();
        List<Occurrence> out = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            Source s = sources.get(i);
            if (!s.isTable()) {
                continue;
            }
            BitSet applying = new BitSet();
            for (int k = 0; k < conditions.size(); k++) {
                if (conditions.get(k).appliesTo().get(i)) {
                    applying.set(k);
                }
            }
            Condition condition = combined.computeIfAbsent(applying, key -> {
                Condition all = Condition.TRUE;
                for (int k = key.nextSetBit(0); k >= 0; k = key.nextSetBit(k + 1)) {
                    all = all.and(read.get(k), cap);
                }
                return all;
            });
            out.add(new Occurrence(s.table(), Projection.project(condition, i, cap)));
        }
        return out;
    }

    @Override
    public boolean nullableAt(int source, int level) {
        return sources.get(source).nullableSince() <= level;
    }

    @Override
    public Condition.ColRef resolve(Column column) {
        return resolved.computeIfAbsent(column, c -> Optional.ofNullable(doResolve(c))).orElse(null);
    }

    private Condition.ColRef doResolve(Column column) {
        String name = Identifiers.normalize(column.getColumnName());
        if (name == null || name.isEmpty()) {
            return null;
        }
        Table qualifier = column.getTable();
        if (qualifier != null && qualifier.getName() != null) {
            int source = qualified(qualifier);
            return source < 0 || !sources.get(source).isTable() ? null : new Condition.ColRef(source, name);
        }
        return unqualified(name);
    }

    /** The source a qualifier names, or -1 (an outer block, or ambiguous). */
    private int qualified(Table qualifier) {
        TableName q = Identifiers.tableName(qualifier);
        int found = -1;
        if (q.schema() == null) {
            for (int i = 0; i < sources.size(); i++) {
                if (q.name().equals(sources.get(i).alias())) {
                    if (found >= 0) {
                        return -1;
                    }
                    found = i;
                }
            }
            if (found >= 0) {
                return found;
            }
        }
        for (int i = 0; i < sources.size(); i++) {
            Source s = sources.get(i);
            if (s.isTable() && s.alias() == null && s.table().name().equals(q.name())
                    && (q.schema() == null || q.schema().equals(s.table().schema()))) {
                if (found >= 0) {
                    return -1;
                }
                found = i;
            }
        }
        return found;
    }

    /**
     * An unqualified column: the only table of a top-level block, else the one source whose known
     * columns contain it, provided every other source's columns are known not to. Never a guess.
     */
    private Condition.ColRef unqualified(String name) {
        if (!nested && sources.size() == 1 && sources.get(0).isTable()) {
            return new Condition.ColRef(0, name);
        }
        int claimant = -1;
        for (int i = 0; i < sources.size(); i++) {
            Source s = sources.get(i);
            if (!s.isTable()) {
                return null; // a derived table's or CTE's columns are not known here
            }
            Optional<List<String>> known;
            try {
                known = lookup.columns(s.table());
            } catch (RuntimeException e) {
                known = Optional.empty();
            }
            if (known == null || known.isEmpty()) {
                return null;
            }
            if (known.get().contains(name)) {
                if (claimant >= 0) {
                    return null; // ambiguous
                }
                claimant = i;
            }
        }
        // Nobody here has it: an outer block's column, which narrows nothing in this block.
        return claimant < 0 ? null : new Condition.ColRef(claimant, name);
    }
}
