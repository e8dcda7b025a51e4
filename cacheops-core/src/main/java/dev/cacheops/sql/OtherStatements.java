package dev.cacheops.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Commit;
import net.sf.jsqlparser.statement.CreateFunctionalStatement;
import net.sf.jsqlparser.statement.DescribeStatement;
import net.sf.jsqlparser.statement.ResetStatement;
import net.sf.jsqlparser.statement.RollbackStatement;
import net.sf.jsqlparser.statement.SavepointStatement;
import net.sf.jsqlparser.statement.SetStatement;
import net.sf.jsqlparser.statement.ShowColumnsStatement;
import net.sf.jsqlparser.statement.ShowStatement;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.UseStatement;
import net.sf.jsqlparser.statement.alter.Alter;
import net.sf.jsqlparser.statement.alter.RenameTableStatement;
import net.sf.jsqlparser.statement.alter.sequence.AlterSequence;
import net.sf.jsqlparser.statement.analyze.Analyze;
import net.sf.jsqlparser.statement.comment.Comment;
import net.sf.jsqlparser.statement.create.index.CreateIndex;
import net.sf.jsqlparser.statement.create.sequence.CreateSequence;
import net.sf.jsqlparser.statement.create.table.CreateTable;
import net.sf.jsqlparser.statement.create.view.AlterView;
import net.sf.jsqlparser.statement.create.view.CreateView;
import net.sf.jsqlparser.statement.drop.Drop;
import net.sf.jsqlparser.statement.grant.Grant;
import net.sf.jsqlparser.statement.refresh.RefreshMaterializedViewStatement;
import net.sf.jsqlparser.statement.show.ShowIndexStatement;
import net.sf.jsqlparser.statement.show.ShowTablesStatement;
import net.sf.jsqlparser.statement.truncate.Truncate;

/**
 * Statements that are neither queries nor row writes: {@code TRUNCATE}, DDL, transaction control,
 * session settings. DDL is attributed to the tables (or views) it names, which the engine then
 * invalidates whole; what cannot be attributed is assumed to change anything.
 */
final class OtherStatements {
    private static final Set<String> NEUTRAL_WORDS = Set.of(
            "start", "commit", "end", "rollback", "abort", "savepoint", "release", "set", "show", "reset",
            "discard", "lock", "unlock", "vacuum", "analyze", "analyse", "listen", "unlisten", "notify", "checkpoint",
            "deallocate", "prepare", "use");
    private static final Set<String> CURSOR_WORDS = Set.of("declare", "fetch", "move", "close");

    private OtherStatements() {
    }

    /** The analysis of a parsed statement that is not a query or row write, or null if unknown. */
    static Analysis classify(Statement statement) {
        if (statement instanceof Truncate t) {
            List<TableName> tables = new ArrayList<>();
            if (t.getTables() != null) {
                t.getTables().forEach(table -> tables.add(Identifiers.tableName(table)));
            }
            if (tables.isEmpty() && t.getTable() != null) {
                tables.add(Identifiers.tableName(t.getTable()));
            }
            return tables.isEmpty() ? null
                    : WriteAnalyzer.wholeTable(Analysis.WriteKind.TRUNCATE, tables, "truncate", false, List.of());
        }
        if (statement instanceof CreateTable c) {
            return ddl(c.getTable());
        }
        if (statement instanceof Alter a) {
            return ddl(a.getTable());
        }
        if (statement instanceof CreateIndex c) {
            return ddl(c.getTable());
        }
        if (statement instanceof CreateView v) {
            return ddl(v.getView()); // a replaced view returns other rows
        }
        if (statement instanceof AlterView v) {
            return ddl(v.getView());
        }
        if (statement instanceof RefreshMaterializedViewStatement r) {
            return ddl(r.getView());
        }
        if (statement instanceof RenameTableStatement r) {
            List<TableName> tables = new ArrayList<>();
            for (Map.Entry<Table, Table> e : r.getTableNames()) {
                tables.add(Identifiers.tableName(e.getKey()));
                tables.add(Identifiers.tableName(e.getValue()));
            }
            return tables.isEmpty() ? null
                    : WriteAnalyzer.wholeTable(Analysis.WriteKind.DDL, tables, "ddl", false, List.of());
        }
        if (statement instanceof Drop d) {
            return drop(d);
        }
        if (statement instanceof CreateFunctionalStatement) {
            // a replaced function that the application declared safe changes cached results
            return new Analysis.NotUnderstood("function or procedure definition", true);
        }
        if (statement instanceof CreateSequence || statement instanceof AlterSequence) {
            return new Analysis.Neutral("sequence definition");
        }
        if (statement instanceof Commit || statement instanceof RollbackStatement
                || statement instanceof SavepointStatement) {
            return new Analysis.Neutral("transaction control");
        }
        if (statement instanceof SetStatement || statement instanceof ResetStatement
                || statement instanceof UseStatement) {
            return new Analysis.Neutral("session setting");
        }
        if (statement instanceof ShowStatement || statement instanceof ShowColumnsStatement
                || statement instanceof ShowTablesStatement || statement instanceof ShowIndexStatement
                || statement instanceof DescribeStatement) {
            return new Analysis.Neutral("show");
        }
        if (statement instanceof Analyze) {
            return new Analysis.Neutral("statistics");
        }
        if (statement instanceof Comment || statement instanceof Grant) {
            return new Analysis.Neutral("catalog comment or privilege");
        }
        return null;
    }

    private static Analysis drop(Drop d) {
        String type = d.getType() == null ? "" : d.getType().toLowerCase(Locale.ROOT);
        if (d.getName() == null) {
            return null;
        }
        if (type.equals("table") || type.equals("view") || type.contains("materialized")) {
            return ddl(d.getName());
        }
        if (type.equals("index") || type.equals("sequence")) {
            return new Analysis.Neutral("drop " + type); // no rows change
        }
        return null; // schema (cascade), function, ...: cannot say what it takes along
    }

    private static Analysis ddl(Table table) {
        if (table == null || table.getName() == null) {
            return null;
        }
        return WriteAnalyzer.wholeTable(Analysis.WriteKind.DDL, List.of(Identifiers.tableName(table)), "ddl",
                false, List.of());
    }

    /**
     * Commands JSqlParser cannot parse but whose first word says they change no data
     * ({@code BEGIN}, {@code SET search_path}, {@code LOCK TABLE}, {@code VACUUM}, {@code LISTEN},
     * cursors), or null. Only for a single statement: a {@code ;} followed by more text never is.
     */
    static Analysis fromText(SqlText text) {
        String code = text.code.strip();
        while (code.endsWith(";")) {
            code = code.substring(0, code.length() - 1).strip();
        }
        if (code.indexOf(';') >= 0) {
            return null;
        }
        String[] words = code.toLowerCase(Locale.ROOT).split("[\\s(]+", 3);
        String first = words[0];
        String second = words.length > 1 ? words[1] : "";
        if (first.equals("begin")) {
            // BEGIN alone or BEGIN TRANSACTION/WORK/ISOLATION..., not a procedural block
            return TransactionControl.BEGIN_FORMS.contains(second)
                    ? new Analysis.Neutral("transaction control") : null;
        }
        if (first.equals("start") && !second.equals("transaction")) {
            return null;
        }
        if (first.equals("set") || first.equals("prepare")) {
            // SET x = (subquery) and PREPARE name AS <statement> do not change data themselves
            return new Analysis.Neutral(first);
        }
        if (NEUTRAL_WORDS.contains(first)) {
            return new Analysis.Neutral(first);
        }
        if (CURSOR_WORDS.contains(first)) {
            return new Analysis.NotUnderstood("cursor command", false);
        }
        return null;
    }
}
