package dev.cacheops.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code cacheops} command: explains statements, shows what a Redis holds, invalidates.
 * {@code bin/cacheops} at the repository root runs it; {@code --help} on any command lists its
 * options. Exit codes: 0 done, 1 failed (a message on stderr), 2 bad usage.
 */
@Command(name = "cacheops", mixinStandardHelpOptions = true, versionProvider = CacheopsCli.Version.class,
        description = "Inspect and control Cacheops: explain a statement, show what a Redis holds, invalidate.",
        subcommands = {ExplainCommand.class, StatsCommand.class, InvalidateCommand.class})
public final class CacheopsCli implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Without a command: print the usage and fail. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: explain, stats or invalidate");
    }

    /** A command line ready to run, with the handlers this program uses; for tests too. */
    public static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new CacheopsCli());
        cmd.setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println(line.getColorScheme().errorText("cacheops: " + message(e)));
            return 1;
        });
        return cmd;
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.toString() : m;
    }

    /**
     * Runs the command line and exits with its code.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The version from the jar's manifest (the Maven project version). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = CacheopsCli.class.getPackage().getImplementationVersion();
            return new String[] {"cacheops " + (v == null ? "(development build)" : v)};
        }
    }
}
