/**
 * The {@code cacheops} command line: {@link dev.cacheops.cli.CacheopsCli} and its commands
 * ({@code explain}, {@code stats}, {@code invalidate}), their option parsing and their output
 * (text with ANSI colour on a terminal, or JSON with {@code --json}).
 */
package dev.cacheops.cli;
