package dev.cacheops.cli;

import dev.cacheops.Cacheops;
import dev.cacheops.Explanation;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cacheops explain}: what the cache makes of one statement on a database, through
 * {@link Cacheops#explain}. Runs only catalog queries; needs no Redis.
 */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = {"Explain what the cache makes of a statement.",
            "For a read: the tables it reads with their conditions, schemes and stamp keys, whether the profiles",
            "cache it and if not why; for a write, what it invalidates.",
            "Runs only catalog queries on the database, never the statement."})
final class ExplainCommand implements Callable<Integer> {
    @Mixin
    Output output;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    DatabaseOptions database;

    @Option(names = "--profile", paramLabel = "PATTERN=OPS:TIMEOUT",
            description = {"A profile, repeatable: post=all:15m, auth_*=get,fetch:1h, *=count:5m,",
                "tag=none:10m (manual only), audit_log=disabled. None given: nothing is cached automatically."})
    List<String> profiles = new ArrayList<>();

    @Option(names = "--prefix", defaultValue = "cacheops", description = "Key prefix shown in stamp keys (default: ${DEFAULT-VALUE}).")
    String prefix;

    @Parameters(index = "0", paramLabel = "SQL", description = "The statement, with ? parameters.")
    String sql;

    @Parameters(index = "1..*", paramLabel = "PARAM",
            description = "Parameter values in order; converted by the column's type. 'null' is SQL NULL.")
    List<String> params = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (database.url == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing required option: '--jdbc-url=URL'");
        }
        Cacheops.Builder builder = Cacheops.builder().prefix(prefix);
        for (String p : profiles) {
            ProfileSpec.parse(p).addTo(builder);
        }
        List<Object> values = new ArrayList<>();
        for (String p : params) {
            values.add(p.equals("null") ? null : p);
        }
        Explanation e;
        try (Cacheops cacheops = builder.build()) {
            e = cacheops.explain(database.dataSource(), sql, values);
        }
        if (output.json) {
            output.printJson(e);
        } else {
            print(e);
        }
        return 0;
    }

    private void print(Explanation e) {
        PrintWriter out = output.out();
        line(out, "statement", e.sql());
        switch (e.kind()) {
            case READ -> printRead(out, e);
            case WRITE -> printWrite(out, e);
            case NEUTRAL -> line(out, "kind", "NEUTRAL (no effect on the cache)" + detail(e));
            case NOT_UNDERSTOOD -> {
                line(out, "kind", output.style("yellow", "NOT UNDERSTOOD"));
                line(out, "effect", e.detail());
            }
        }
        out.flush();
    }

    private void printRead(PrintWriter out, Explanation e) {
        line(out, "kind", "READ" + (e.op() == null ? "" : " " + output.bold(e.op().toString())));
        if (e.cacheable()) {
            line(out, "cacheable", output.style("green,bold", "yes") + ", for " + human(e.timeout())
                    + " (profile of " + e.profileTable() + ")");
            if (!e.detail().isEmpty()) {
                line(out, "rows", e.detail());
            }
        } else {
            line(out, "cacheable", output.style("red,bold", "no") + ": " + output.bold(String.valueOf(e.passReason()))
                    + detail(e));
        }
        for (Explanation.TableRead t : e.reads()) {
            out.println();
            out.println("  " + output.style("cyan,bold", t.table()));
            sub(out, "conditions", t.conditions().stream().map(c -> c.isEmpty() ? "(any row)" : String.join(" and ", c))
                    .collect(Collectors.joining("  OR  ")));
            sub(out, "bound", t.conjunctions().stream().map(ExplainCommand::conjunction)
                    .collect(Collectors.joining("  OR  ")));
            sub(out, "schemes", t.schemes().stream().map(ExplainCommand::scheme)
                    .collect(Collectors.joining("  ")));
            for (int i = 0; i < t.stampKeys().size(); i++) {
                sub(out, i == 0 ? "stamp keys" : "", t.stampKeys().get(i));
            }
        }
        if (!e.stampKeys().isEmpty()) {
            out.println();
            line(out, "depends on", e.stampKeys().size() + " stamps, the epoch " + e.stampKeys().get(0) + " included");
        }
    }

    private void printWrite(PrintWriter out, Explanation e) {
        line(out, "kind", "WRITE " + output.bold(e.detail()));
        out.println(output.bold("invalidates"));
        for (Explanation.TableWrite w : e.writes()) {
            out.println("  " + output.style("cyan,bold", w.table()) + "  "
                    + (w.wholeTable() ? output.style("yellow", "whole table") + ": " : "rows: ") + w.reason());
            for (Map<String, String> row : w.rows()) {
                sub(out, "image", row.entrySet().stream().map(x -> x.getKey() + "=" + x.getValue())
                        .collect(Collectors.joining(" & ")));
            }
        }
    }

    /** A scheme as the keys spell it, with what its empty parts mean. */
    private static String scheme(String s) {
        if (s.isEmpty()) {
            return "\"\" (whole table)";
        }
        int colon = s.indexOf(':');
        if (colon < 0) {
            return s;
        }
        String conds = colon == 0 ? "(whole table)" : s.substring(0, colon);
        String cols = colon == s.length() - 1 ? "(no column)" : s.substring(colon + 1);
        return s + " [conditions " + conds + ", columns " + cols + "]";
    }

    private static String conjunction(Map<String, String> c) {
        return c.isEmpty() ? "(whole table)" : c.entrySet().stream().map(x -> x.getKey() + "=" + x.getValue())
                .collect(Collectors.joining(" & "));
    }

    private static String detail(Explanation e) {
        return e.detail().isEmpty() ? "" : " (" + e.detail() + ")";
    }

    private void line(PrintWriter out, String label, String value) {
        out.println(output.bold(String.format("%-11s", label)) + value);
    }

    private static void sub(PrintWriter out, String label, String value) {
        out.println(String.format("    %-12s%s", label, value));
    }

    static String human(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        if (d.toMillis() % 3_600_000 == 0) {
            return d.toHours() + "h";
        }
        if (d.toMillis() % 60_000 == 0) {
            return d.toMinutes() + "m";
        }
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
