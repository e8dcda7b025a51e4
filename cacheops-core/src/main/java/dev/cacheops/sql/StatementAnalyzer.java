package dev.cacheops.sql;

import java.util.Map;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.statement.ExplainStatement;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.execute.Execute;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.merge.Merge;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.upsert.Upsert;

/**
 * Turns SQL text into an {@link Analysis}. Thread-safe and stateless apart from its settings; the
 * engine memoises results per database and SQL string, since parsing costs about as much as a
 * Redis round trip.
 *
 * <p>The steps, each in its own class: a linear lexical scan ({@link SqlText}) rejects statements
 * that are too long or nest too deeply before the parser sees them (JSqlParser has no depth guard
 * and can overflow the stack or take seconds); {@link StatementParser} parses on the calling
 * thread and insists on a single statement; {@link AstInventory} lists every select block,
 * function call and parameter; then {@link ReadAnalyzer}, {@link WriteAnalyzer} or
 * {@link OtherStatements} decide. Text that does not parse is classified by
 * {@link UnparsedStatement}, which assumes a write unless the text plainly is a query.
 */
public final class StatementAnalyzer {
    private final AnalyzerSettings settings;
    private final FunctionPolicy functions;
    private final ReadAnalyzer reads;

    /**
     * @param settings limits and function lists
     * @throws NullPointerException if settings is null
     */
    public StatementAnalyzer(AnalyzerSettings settings) {
        this.settings = java.util.Objects.requireNonNull(settings, "settings");
        this.functions = new FunctionPolicy(settings);
        this.reads = new ReadAnalyzer(settings, functions);
    }

    /**
     * Analyses one statement. Never throws (not even {@link StackOverflowError}): what it cannot
     * handle comes back as {@link Analysis.NotUnderstood}.
     *
     * @param sql    the statement text, exactly as the application sent it
     * @param lookup how to learn a table's columns, for unqualified column references; null means
     *               {@link SchemaLookup#NONE}
     */
    public Analysis analyze(String sql, SchemaLookup lookup) {
        if (sql == null) {
            return new Analysis.NotUnderstood("no statement", false);
        }
        try {
            return analyzeText(sql, lookup == null ? SchemaLookup.NONE : lookup);
        } catch (StackOverflowError e) {
            return new Analysis.NotUnderstood("statement nests too deeply", mayWrite(sql));
        } catch (Throwable e) { // a bug here must never fail the application's statement
            return new Analysis.NotUnderstood("analysis failed: " + e, mayWrite(sql));
        }
    }

    /** The settings this analyser was built with. */
    public AnalyzerSettings settings() {
        return settings;
    }

    private static boolean mayWrite(String sql) {
        try {
            return UnparsedStatement.mayWrite(SqlText.of(sql));
        } catch (Throwable e) {
            return true;
        }
    }

    private Analysis analyzeText(String sql, SchemaLookup lookup) {
        SqlText text = SqlText.of(sql);
        if (sql.length() > settings.maxLength()) {
            return UnparsedStatement.classify("longer than " + settings.maxLength() + " characters", sql, text);
        }
        if (text.maxDepth > settings.maxDepth()) {
            return UnparsedStatement.classify("brackets nest deeper than " + settings.maxDepth(), sql, text);
        }
        // NOTE: JSqlParser spends 10-50 microseconds per token on long lists and operator chains (a
        // 50,000-value IN list takes over two seconds), so a statement with more tokens than a
        // tenth of maxLength is not parsed either. Such statements are machine-made bulk lists;
        // simple single-table writes among them are still recognised from the text.
        if (text.tokens > settings.maxLength() / 10) {
            return UnparsedStatement.classify("more than " + settings.maxLength() / 10 + " tokens", sql, text);
        }
        if (text.code.isBlank()) {
            return new Analysis.NotUnderstood("empty statement", false);
        }
        StatementParser.Result parsed = StatementParser.parse(sql, text);
        if (parsed.statement() == null) {
            Analysis command = OtherStatements.fromText(text);
            return command != null ? command : UnparsedStatement.classify(parsed.failure(), sql, text);
        }
        return analyzeStatement(parsed.statement(), text, lookup);
    }

    private Analysis analyzeStatement(Statement statement, SqlText text, SchemaLookup lookup) {
        if (statement instanceof ExplainStatement explain) {
            boolean analyze = explain.getOption(ExplainStatement.OptionType.ANALYZE) != null
                    || text.containsWord("analyze") || text.containsWord("analyse");
            if (!analyze) {
                return new Analysis.Neutral("explain");
            }
            if (explain.getStatement() == null) {
                return new Analysis.NotUnderstood("explain analyze", true);
            }
            // EXPLAIN ANALYZE runs the statement: a write still writes, a read is not cached
            Analysis inner = analyzeStatement(explain.getStatement(), text, lookup);
            return inner instanceof Analysis.Read ? new Analysis.UncacheableRead("explain analyze") : inner;
        }
        if (statement instanceof Execute) {
            return new Analysis.NotUnderstood("procedure call", true);
        }
        AstInventory inventory = AstInventory.of(statement);
        Map<JdbcParameter, Integer> indexes = inventory.parameterIndexes(text);
        boolean isRead = statement instanceof Select;
        if (indexes == null) {
            return isRead ? new Analysis.UncacheableRead("cannot number the ? parameters reliably")
                    : new Analysis.NotUnderstood("cannot number the ? parameters reliably", true);
        }
        ValueReader values = new ValueReader(indexes);
        if (isRead) {
            return reads.analyze((Select) statement, inventory, values, lookup);
        }
        if (inventory.nestedWrite != null) {
            return new Analysis.NotUnderstood("a write with a data-modifying part", true);
        }
        Analysis write = analyzeWrite(statement, new WriteAnalyzer(inventory, values, indexes));
        if (write instanceof Analysis.Write w && inventory.functions.stream().anyMatch(functions::mayWrite)) {
            return w.callingFunctions();
        }
        return write;
    }

    private static Analysis analyzeWrite(Statement statement, WriteAnalyzer writes) {
        if (statement instanceof Insert insert) {
            return writes.insert(insert);
        }
        if (statement instanceof Update update) {
            return writes.update(update);
        }
        if (statement instanceof Delete delete) {
            return writes.delete(delete);
        }
        if (statement instanceof Merge merge) {
            return writes.merge(merge);
        }
        if (statement instanceof Upsert upsert) {
            return writes.upsert(upsert);
        }
        Analysis other = OtherStatements.classify(statement);
        return other != null ? other
                : new Analysis.NotUnderstood("unsupported statement " + statement.getClass().getSimpleName(), true);
    }
}
