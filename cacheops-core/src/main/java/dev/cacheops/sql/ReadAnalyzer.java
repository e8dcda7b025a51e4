package dev.cacheops.sql;

import dev.cacheops.Op;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.ParenthesedFromItem;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.statement.select.TableStatement;
import net.sf.jsqlparser.statement.select.WithItem;

/**
 * Analyses a query: decides whether it may be cached, and if so which tables it reads (every one,
 * however deeply nested) and which rows of each matter.
 */
final class ReadAnalyzer {
    /** Conjunctions per table before the DNF gives up and depends on the whole table. */
    static final int DNF_CAP = 256;

    private final AnalyzerSettings settings;
    private final FunctionPolicy functions;

    ReadAnalyzer(AnalyzerSettings settings, FunctionPolicy functions) {
        this.settings = settings;
        this.functions = functions;
    }

    Analysis analyze(Select statement, AstInventory inventory, ValueReader values, SchemaLookup lookup) {
        if (inventory.nestedWrite != null) {
            return new Analysis.NotUnderstood("a query with a data-modifying part ("
                    + inventory.nestedWrite.getClass().getSimpleName() + ")", true);
        }
        String reason = uncacheable(inventory);
        if (reason != null) {
            return new Analysis.UncacheableRead(reason);
        }
        Map<TableName, Set<List<Term>>> reads = new LinkedHashMap<>();
        boolean everyColumn = inventory.everyColumn;
        for (String function : inventory.functions) {
            everyColumn |= functions.declaredSafe(function);
        }
        for (Map.Entry<PlainSelect, Boolean> block : inventory.selects.entrySet()) {
            SelectBlock analysed = new SelectBlock(block.getKey(), block.getValue(), inventory, lookup,
                    values, settings, DNF_CAP);
            for (SelectBlock.Source source : analysed.sources()) {
                if (!source.isTable() && !knownSource(source)) {
                    return new Analysis.UncacheableRead("unsupported FROM item " + source.cteOrOther());
                }
                String cte = source.cteOrOther();
                if (cte != null && cte.startsWith("cte:")) {
                    // NOTE: databases differ on whether a CTE shadows a real table of the same name
                    // everywhere in the statement (H2 resolves some references to the table). When
                    // such a table exists, depend on it too: never less than what may be read.
                    TableName shadowed = TableName.of(cte.substring(4));
                    if (lookup.columns(shadowed).isPresent()) {
                        add(reads, shadowed, Dnf.ALL);
                    }
                }
            }
            for (SelectBlock.Occurrence o : analysed.occurrences()) {
                String system = systemCatalog(o.table());
                if (system != null) {
                    return new Analysis.UncacheableRead(system);
                }
                add(reads, o.table(), o.dnf());
            }
        }
        for (Select s : inventory.allSelects) {
            if (s instanceof TableStatement t && t.getTable() != null) {
                TableName name = Identifiers.tableName(t.getTable());
                if (systemCatalog(name) != null) {
                    return new Analysis.UncacheableRead(systemCatalog(name));
                }
                add(reads, name, Dnf.ALL);
                everyColumn = true;
            }
        }
        if (reads.isEmpty()) {
            return new Analysis.UncacheableRead("reads no table");
        }
        List<TableRead> tableReads = new ArrayList<>();
        reads.forEach((table, conjunctions) -> tableReads.add(new TableRead(table, toDnf(conjunctions))));
        TableName first = firstTable(statement, inventory, 0);
        if (first == null || !reads.containsKey(first)) {
            first = tableReads.get(0).table();
        }
        Op op = ReadClassifier.classify(statement);
        return new Analysis.Read(op, first, List.copyOf(tableReads), everyColumn ? null : inventory.columnNames,
                RowShape.of(statement, inventory));
    }

    private String uncacheable(AstInventory inventory) {
        if (!inventory.complete) {
            return "statement too large to inspect";
        }
        for (Select s : inventory.allSelects) {
            if (s.getForMode() != null || s.getForUpdateTable() != null || s.getWait() != null) {
                return "locking read (FOR " + (s.getForMode() == null ? "UPDATE" : s.getForMode().getValue()) + ")";
            }
            if (s.getForClause() != null) {
                return "FOR " + s.getForClause() + " clause";
            }
            if (s instanceof PlainSelect p && ((p.getIntoTables() != null && !p.getIntoTables().isEmpty())
                    || p.getIntoTempTable() != null)) {
                return "SELECT INTO";
            }
        }
        if (inventory.sessionState) {
            return "reads a session variable";
        }
        for (String function : inventory.functions) {
            String why = functions.uncacheableReason(function);
            if (why != null) {
                return why;
            }
        }
        return null;
    }

    /** FROM items whose reads the inventory sees: CTEs, subqueries, table functions, VALUES. */
    private static boolean knownSource(SelectBlock.Source source) {
        String kind = source.cteOrOther();
        return kind.startsWith("cte:") || Set.of("group", "ParenthesedSelect", "LateralSubSelect", "TableFunction",
                "Values", "PlainSelect", "SetOperationList").contains(kind);
    }

    /** Why reading this table is uncacheable because it is a system catalog, else null. */
    private static String systemCatalog(TableName table) {
        String schema = table.schema() == null ? "" : table.schema();
        String lastSchema = schema.substring(schema.lastIndexOf('.') + 1);
        if (Set.of("pg_catalog", "information_schema", "pg_toast", "mysql", "performance_schema", "sys")
                .contains(lastSchema) || lastSchema.startsWith("pg_temp") || table.name().startsWith("pg_")) {
            return "reads system catalog " + table;
        }
        return null;
    }

    private static void add(Map<TableName, Set<List<Term>>> reads, TableName table, Dnf dnf) {
        Set<List<Term>> conjunctions = reads.computeIfAbsent(table, t -> new LinkedHashSet<>());
        conjunctions.addAll(dnf.conjunctions());
    }

    private static Dnf toDnf(Set<List<Term>> conjunctions) {
        if (conjunctions.isEmpty() || conjunctions.stream().anyMatch(List::isEmpty) || conjunctions.size() > DNF_CAP) {
            return Dnf.ALL;
        }
        return new Dnf(List.copyOf(conjunctions));
    }

    /** The first table of the outermost FROM, looking through derived tables and CTEs. */
    private static TableName firstTable(Select select, AstInventory inventory, int depth) {
        if (select == null || depth > 20) {
            return null;
        }
        if (select instanceof ParenthesedSelect p) {
            return firstTable(p.getSelect(), inventory, depth + 1);
        }
        if (select instanceof SetOperationList union) {
            return union.getSelects() == null || union.getSelects().isEmpty()
                    ? null : firstTable(union.getSelects().get(0), inventory, depth + 1);
        }
        if (select instanceof TableStatement t) {
            return t.getTable() == null ? null : Identifiers.tableName(t.getTable());
        }
        if (select instanceof PlainSelect p) {
            return firstTable(p.getFromItem(), inventory, depth + 1);
        }
        return null;
    }

    private static TableName firstTable(FromItem item, AstInventory inventory, int depth) {
        if (item instanceof Table t) {
            TableName name = Identifiers.tableName(t);
            WithItem<?> cte = name.schema() == null ? inventory.ctes.get(name.name()) : null;
            if (cte != null) {
                return cte.getSelect() == null ? null : firstTable(cte.getSelect(), inventory, depth + 1);
            }
            return name;
        }
        if (item instanceof Select s) {
            return firstTable(s, inventory, depth + 1);
        }
        if (item instanceof ParenthesedFromItem group) {
            return firstTable(group.getFromItem(), inventory, depth + 1);
        }
        return null; // a table function or VALUES: no table to name
    }
}
