package dev.cacheops.cli;

import dev.cacheops.CacheStats;
import dev.cacheops.Cacheops;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import javax.sql.DataSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code cacheops invalidate}: the public invalidation API ({@link Cacheops#invalidateTable},
 * {@link Cacheops#invalidateRow}, {@link Cacheops#invalidateAll}) on an instance built on the
 * given Redis and prefix. Tables and rows are resolved through the database, as the API does,
 * so {@code table} and {@code row} need {@code --jdbc-url}.
 */
@Command(name = "invalidate", mixinStandardHelpOptions = true,
        description = "Invalidate cached results: a table, a row's conditions, or everything under the prefix.",
        subcommands = {InvalidateCommand.Table.class, InvalidateCommand.Row.class, InvalidateCommand.All.class})
final class InvalidateCommand implements Runnable {
    @Option(names = "--redis", required = true, paramLabel = "URL", description = "Redis, e.g. redis://127.0.0.1:6379/0.")
    String redis;

    @Option(names = "--prefix", defaultValue = "cacheops", description = "Key prefix (default: ${DEFAULT-VALUE}).")
    String prefix;

    @Mixin
    DatabaseOptions database;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Without a subcommand: a usage error. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: table, row or all");
    }

    /** The result of one invalidation, also its JSON form. */
    record Result(String what, String table, Map<String, String> row, String prefix) { }

    /**
     * Builds an instance on the Redis and prefix, wraps the database if one is given (the
     * API resolves tables through wrapped data sources), runs {@code action}, and fails when the
     * store reported an error: the public API never throws on a store failure, a command must.
     */
    void run(Output output, boolean needsDatabase, Result result, Consumer<Cacheops> action) {
        DataSource ds = database.dataSource();
        if (needsDatabase && ds == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "Missing --jdbc-url: tables and rows are resolved through the database (schema, column types)");
        }
        try (Cacheops cacheops = Cacheops.builder().redis(redis).prefix(prefix)
                .redisTimeout(Duration.ofSeconds(5)).redisConnectTimeout(Duration.ofSeconds(5)).build()) {
            if (ds != null) {
                cacheops.wrap(ds);
            }
            action.accept(cacheops);
            CacheStats stats = cacheops.stats();
            if (stats.storeErrors() > 0) {
                throw new IllegalStateException("Redis at " + redis + " did not take the invalidation ("
                        + stats.storeErrors() + " store error(s)); nothing may have been invalidated");
            }
        }
        if (output.json) {
            output.printJson(result);
        } else {
            String target = result.table() == null ? "everything under prefix " + prefix : result.table()
                    + (result.row().isEmpty() ? "" : " " + result.row());
            output.out().println(output.style("green,bold", "invalidated") + " " + result.what() + ": " + target);
            output.out().flush();
        }
    }

    /** {@code invalidate table T}. */
    @Command(name = "table", mixinStandardHelpOptions = true,
            description = "Invalidate every cached result that reads the table.")
    static final class Table implements Callable<Integer> {
        @ParentCommand
        InvalidateCommand parent;

        @Mixin
        Output output;

        @Parameters(index = "0", paramLabel = "TABLE", description = "table or schema.table")
        String table;

        @Override
        public Integer call() {
            parent.run(output, true, new Result("table", table, Map.of(), parent.prefix),
                    c -> c.invalidateTable(table));
            return 0;
        }
    }

    /** {@code invalidate row T col=v ...}. */
    @Command(name = "row", mixinStandardHelpOptions = true,
            description = {"Invalidate the cached results a row with these values could belong to, as if it was written.",
                "Columns left out make the schemes that use them invalidated as a whole. 'null' is SQL NULL."})
    static final class Row implements Callable<Integer> {
        @ParentCommand
        InvalidateCommand parent;

        @Mixin
        Output output;

        @Parameters(index = "0", paramLabel = "TABLE", description = "table or schema.table")
        String table;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "COLUMN=VALUE", description = "the row's values")
        List<String> values;

        @Override
        public Integer call() {
            Map<String, String> row = new LinkedHashMap<>();
            for (String v : values) {
                int eq = v.indexOf('=');
                if (eq <= 0) {
                    throw new CommandLine.ParameterException(parent.spec.commandLine(),
                            "Expected COLUMN=VALUE, got '" + v + "'");
                }
                row.put(v.substring(0, eq), v.substring(eq + 1));
            }
            Map<String, Object> typed = new LinkedHashMap<>();
            row.forEach((c, v) -> typed.put(c, v.equals("null") ? null : v));
            parent.run(output, true, new Result("row", table, row, parent.prefix),
                    c -> c.invalidateRow(table, typed));
            return 0;
        }
    }

    /** {@code invalidate all}. */
    @Command(name = "all", mixinStandardHelpOptions = true,
            description = "Invalidate everything under the prefix (replaces the epoch; never FLUSHDB).")
    static final class All implements Callable<Integer> {
        @ParentCommand
        InvalidateCommand parent;

        @Mixin
        Output output;

        @Override
        public Integer call() {
            parent.run(output, false, new Result("all", null, Map.of(), parent.prefix), Cacheops::invalidateAll);
            return 0;
        }
    }
}
