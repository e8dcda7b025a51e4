/**
 * Statement analysis: pure functions from SQL text to what it reads and what it writes.
 *
 * <p>{@link dev.cacheops.sql.StatementAnalyzer} parses a statement with JSqlParser and returns an
 * {@link dev.cacheops.sql.Analysis}: for a read, per table, a disjunctive normal form of equality
 * terms (the conjunctions a cached result is registered under); for a write, the target table and
 * what is needed to compute the old and new row images. Nothing here talks to a database or to
 * Redis; the only outside knowledge is the optional {@link dev.cacheops.sql.SchemaLookup} used to
 * attribute unqualified columns to tables. Analysis never throws: what it does not understand
 * comes back as {@link dev.cacheops.sql.Analysis.NotUnderstood}.
 *
 * <p>The one rule behind every decision here: when unsure, widen. A dropped condition makes a
 * cached result depend on more rows (a few more invalidations); a wrong condition, a missed table
 * or a missed volatile function serves stale data. So terms are only kept when their column is
 * attributed with certainty, every {@code SELECT} block anywhere in the statement contributes its
 * tables, unknown functions make a read uncacheable, and unparsable text is assumed to write
 * unless it plainly is a query.
 *
 * <p>Package-private helpers, one job each: {@code SqlText} (linear lexical scan for the guard),
 * {@code StatementParser} (JSqlParser on the calling thread, end of input required),
 * {@code AstInventory} (every block, function and parameter), {@code SelectBlock},
 * {@code ConditionReader}, {@code Condition} and {@code Projection} (per-block DNFs with join
 * semantics), {@code ReadAnalyzer} and {@code ReadClassifier} (cacheability and {@code Op}),
 * {@code WriteAnalyzer}, {@code OtherStatements} (DDL, TRUNCATE, neutral commands),
 * {@code UnparsedStatement} (text-only fallback), {@code FunctionPolicy}, {@code ValueReader},
 * {@code Identifiers}.
 */
package dev.cacheops.sql;
