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
 */
package dev.cacheops.sql;
