package dev.cacheops.sql;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.NextValExpression;
import net.sf.jsqlparser.expression.TimeKeyExpression;
import net.sf.jsqlparser.expression.UserVariable;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.merge.Merge;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.statement.update.Update;

/**
 * Everything in a parsed statement that can make a read unsafe to cache or widen what it depends
 * on: every {@code SELECT} block (however deeply nested), every function call, every {@code ?}.
 *
 * <p>NOTE: JSqlParser's own visitors are incomplete for this purpose ({@code TablesNamesFinder}
 * skips {@code ORDER BY}, {@code GROUP BY} and {@code LIMIT}, where {@code order by random()} or a
 * subquery can hide), and a missed volatile function or subquery means stale data. So this walks
 * the syntax tree generically, through every public getter of every JSqlParser node, with an
 * explicit stack (no recursion, so no stack overflow) and an identity set (the tree has aliases
 * such as {@code getPlainSelect()} returning {@code this}). Slower than a visitor, but it cannot
 * forget a node type that a later JSqlParser version adds.
 */
final class AstInventory {
    /** A runaway walk (a getter building new objects forever) stops here and is reported. */
    private static final int MAX_NODES = 2_000_000;

    private static final ClassValue<List<Method>> GETTERS = new ClassValue<>() {
        @Override
        protected List<Method> computeValue(Class<?> type) {
            List<Method> getters = new ArrayList<>();
            for (Method m : type.getMethods()) {
                if (m.getParameterCount() == 0 && m.getName().startsWith("get")
                        && !Modifier.isStatic(m.getModifiers())
                        && !m.getReturnType().isPrimitive()
                        && m.getReturnType() != String.class
                        && !m.getName().equals("getClass")
                        && !m.getName().equals("getASTNode")) {
                    getters.add(m);
                }
            }
            getters.sort(Comparator.comparing(Method::getName));
            return List.copyOf(getters);
        }
    };

    /** Every SELECT block, mapped to whether it is nested inside another one (may see outer columns). */
    final Map<PlainSelect, Boolean> selects = new LinkedHashMap<>();
    /** Every select node of any kind (plain, set operation, bracketed), for locking clauses. */
    final List<net.sf.jsqlparser.statement.select.Select> allSelects = new ArrayList<>();
    /** Names of everything called: functions, window functions, clock and session keywords. */
    final Set<String> functions = new LinkedHashSet<>();
    /** Every JDBC parameter node. */
    final List<JdbcParameter> parameters = new ArrayList<>();
    /** Names of the common table expressions, normalised. */
    final Set<String> cteNames = new LinkedHashSet<>();
    /** The body of each common table expression by name (the first one of a name). */
    final Map<String, WithItem<?>> ctes = new LinkedHashMap<>();
    /** A node that writes (INSERT/UPDATE/DELETE/MERGE) nested in the statement, if any. */
    Object nestedWrite;
    /** Oracle's {@code (+)} outer-join marker appears somewhere. */
    boolean oracleOuterJoin;
    /** Session variables ({@code @x}) or other session state were referenced. */
    boolean sessionState;
    /** False when the walk gave up (too many nodes). */
    boolean complete = true;
    /** Normalised names of every column referenced anywhere, however qualified (DESIGN §3). */
    final Set<String> columnNames = new LinkedHashSet<>();
    /**
     * True when the statement may depend on columns it does not name: {@code *} or {@code t.*}
     * (but for {@code count(*)} and the select list of an {@code EXISTS}), a {@code NATURAL}
     * join, a system column, or a table (alias) used as a whole-row value.
     */
    boolean everyColumn;
    /** Unqualified column names, checked against {@link #rowNames} once the walk is over. */
    private final Set<String> unqualified = new LinkedHashSet<>();
    /** Names and aliases of tables, derived tables and CTEs: as a value, a whole row. */
    private final Set<String> rowNames = new LinkedHashSet<>();
    /** {@code *} nodes that reference no column: {@code count(*)}, {@code exists (select * ...)}. */
    private final Map<Object, Boolean> starsReferencingNothing = new IdentityHashMap<>();

    /** Columns every database keeps beside the declared ones, which an update may change. */
    private static final Set<String> SYSTEM_COLUMNS = Set.of("ctid", "xmin", "xmax", "cmin", "cmax", "tableoid",
            "oid", "_rowid_", "rowid", "ora_rowscn");

    private AstInventory() {
    }

    static AstInventory of(Object root) {
        AstInventory inventory = new AstInventory();
        inventory.walk(root);
        for (String name : inventory.unqualified) {
            if (inventory.rowNames.contains(name)) {
                inventory.everyColumn = true; // select p from post p, row_to_json(p), title(p)
            }
        }
        return inventory;
    }

    private record Pending(Object node, int selectDepth) {
    }

    private void walk(Object root) {
        Map<Object, Boolean> seen = new IdentityHashMap<>();
        Deque<Pending> stack = new ArrayDeque<>();
        stack.push(new Pending(root, 0));
        int visited = 0;
        while (!stack.isEmpty()) {
            Pending p = stack.pop();
            Object node = p.node();
            if (seen.put(node, Boolean.TRUE) != null) {
                continue;
            }
            if (++visited > MAX_NODES) {
                complete = false;
                return;
            }
            if (node instanceof Iterable<?> items) {
                List<Object> children = new ArrayList<>();
                for (Object item : items) {
                    if (item != null) {
                        children.add(item);
                    }
                }
                pushAll(stack, children, p.selectDepth());
                if (!isJsqlNode(node)) {
                    continue; // a plain list; JSqlParser's ExpressionList is both
                }
            }
            record(node, root, p.selectDepth());
            // A block's columns are visible to the subqueries inside it, so those are nested; a
            // block without FROM has no columns, so it does not make its subqueries nested.
            boolean hasColumns = node instanceof PlainSelect ps && ps.getFromItem() != null;
            int childDepth = hasColumns ? p.selectDepth() + 1 : p.selectDepth();
            List<Object> children = new ArrayList<>();
            List<Object> withItems = new ArrayList<>();
            for (Method getter : GETTERS.get(node.getClass())) {
                Object child;
                try {
                    child = getter.invoke(node);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    continue; // casting getters such as getPlainSelect() on another kind of select
                }
                if (child == null || !(isJsqlNode(child) || child instanceof Iterable<?>)) {
                    continue;
                }
                // WITH items belong to the statement, not to the block that carries them: a
                // top-level CTE body has no outer columns to see.
                (getter.getName().equals("getWithItemsList") ? withItems : children).add(child);
            }
            pushAll(stack, children, childDepth);
            pushAll(stack, withItems, p.selectDepth());
            if (hasColumns) {
                // A derived table in FROM (not LATERAL) cannot see its siblings' columns: it is
                // only as nested as its block. Pushed last, so it is visited (and kept) first.
                pushAll(stack, derivedTables((PlainSelect) node), p.selectDepth());
            }
        }
    }

    private static List<Object> derivedTables(PlainSelect select) {
        List<Object> derived = new ArrayList<>();
        if (isDerivedTable(select.getFromItem())) {
            derived.add(select.getFromItem());
        }
        if (select.getJoins() != null) {
            for (net.sf.jsqlparser.statement.select.Join join : select.getJoins()) {
                if (!join.isApply() && isDerivedTable(join.getRightItem())) {
                    derived.add(join.getRightItem());
                }
            }
        }
        return derived;
    }

    private static boolean isDerivedTable(Object item) {
        return item instanceof net.sf.jsqlparser.statement.select.ParenthesedSelect
                && !(item instanceof net.sf.jsqlparser.statement.select.LateralSubSelect);
    }

    private static void pushAll(Deque<Pending> stack, List<Object> children, int depth) {
        // pushed in reverse so that they are taken in order
        for (int i = children.size() - 1; i >= 0; i--) {
            stack.push(new Pending(children.get(i), depth));
        }
    }

    private static boolean isJsqlNode(Object o) {
        String name = o.getClass().getName();
        return name.startsWith("net.sf.jsqlparser.") && !name.startsWith("net.sf.jsqlparser.parser.");
    }

    private void record(Object node, Object root, int selectDepth) {
        if (node instanceof net.sf.jsqlparser.statement.select.Select any) {
            allSelects.add(any);
        }
        columns(node);
        if (node instanceof PlainSelect select) {
            selects.putIfAbsent(select, selectDepth > 0);
        } else if (node instanceof Function f) {
            functions.add(f.getName() == null ? "?" : f.getName());
        } else if (node instanceof AnalyticExpression a) {
            functions.add(a.getName() == null ? "?" : a.getName());
        } else if (node instanceof TimeKeyExpression t) {
            functions.add(t.getStringValue().strip().split("[\\s(]")[0]);
        } else if (node instanceof NextValExpression) {
            functions.add("nextval");
        } else if (node instanceof UserVariable) {
            sessionState = true;
        } else if (node instanceof Column c && c.getTable() == null) {
            String name = c.getColumnName();
            if (name != null && !Identifiers.isQuoted(name)
                    && FunctionPolicy.isSessionKeyword(name.toLowerCase(java.util.Locale.ROOT))) {
                functions.add(name);
            }
        } else if (node instanceof net.sf.jsqlparser.expression.operators.relational.SupportsOldOracleJoinSyntax o
                && o.getOldOracleJoinSyntax() != 0) {
            oracleOuterJoin = true;
        } else if (node instanceof JdbcParameter j) {
            parameters.add(j);
        } else if (node instanceof WithItem<?> w && w.getAlias() != null) {
            cteNames.add(Identifiers.normalize(w.getAlias().getName()));
            ctes.putIfAbsent(Identifiers.normalize(w.getAlias().getName()), w);
        } else if (node != root && nestedWrite == null
                && (node instanceof Insert || node instanceof Update || node instanceof Delete
                    || node instanceof Merge)) {
            nestedWrite = node;
        }
    }

    /** What a node says about the columns the statement references (see {@link #everyColumn}). */
    private void columns(Object node) {
        if (node instanceof Column c) {
            String name = Identifiers.normalize(c.getColumnName());
            if (name != null) {
                columnNames.add(name);
                if (SYSTEM_COLUMNS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                    everyColumn = true;
                }
                if (c.getTable() == null || c.getTable().getName() == null) {
                    unqualified.add(name);
                }
            }
        } else if (node instanceof net.sf.jsqlparser.statement.select.AllColumns star) {
            // AllTableColumns (t.*) is an AllColumns too, never exempt
            if (!starsReferencingNothing.containsKey(star)) {
                everyColumn = true;
            }
        } else if (node instanceof net.sf.jsqlparser.schema.Table t) {
            rowName(t.getName());
            if (t.getAlias() != null) {
                rowName(t.getAlias().getName());
            }
        } else if (node instanceof net.sf.jsqlparser.statement.select.FromItem f && f.getAlias() != null) {
            rowName(f.getAlias().getName());
        } else if (node instanceof net.sf.jsqlparser.statement.select.Join j && j.isNatural()) {
            everyColumn = true;
        } else if (node instanceof Function f && f.getName() != null && f.getName().equalsIgnoreCase("count")
                && f.getParameters() != null && f.getParameters().size() == 1
                && f.getParameters().get(0) != null
                && f.getParameters().get(0).getClass() == net.sf.jsqlparser.statement.select.AllColumns.class) {
            starsReferencingNothing.put(f.getParameters().get(0), Boolean.TRUE);
        } else if (node instanceof net.sf.jsqlparser.expression.operators.relational.ExistsExpression e
                && e.getRightExpression() instanceof net.sf.jsqlparser.statement.select.ParenthesedSelect ps
                && ps.getSelect() instanceof PlainSelect inner && inner.getSelectItems() != null) {
            // EXISTS asks whether a row exists: its select list is never evaluated as values.
            for (net.sf.jsqlparser.statement.select.SelectItem<?> item : inner.getSelectItems()) {
                if (item.getExpression() != null
                        && item.getExpression().getClass() == net.sf.jsqlparser.statement.select.AllColumns.class) {
                    starsReferencingNothing.put(item.getExpression(), Boolean.TRUE);
                }
            }
        }
        if (node instanceof WithItem<?> w && w.getAlias() != null) {
            rowName(w.getAlias().getName());
        }
    }

    private void rowName(String name) {
        String n = Identifiers.normalize(name);
        if (n != null) {
            rowNames.add(n);
        }
    }

    /**
     * Maps each {@code ?} node to its 1-based position in the statement, or returns {@code null}
     * when the parser's numbering cannot be trusted (it must number exactly the markers that the
     * text shows, 1 to n).
     */
    Map<JdbcParameter, Integer> parameterIndexes(SqlText text) {
        Map<JdbcParameter, Integer> indexes = new IdentityHashMap<>();
        Set<Integer> used = new java.util.HashSet<>();
        for (JdbcParameter p : parameters) {
            Integer index = p.getIndex();
            if (p.isUseFixedIndex() || index == null || index < 1 || index > parameters.size() || !used.add(index)) {
                return null;
            }
            indexes.put(p, index);
        }
        return parameters.size() == text.parameterMarkers() ? indexes : null;
    }
}
