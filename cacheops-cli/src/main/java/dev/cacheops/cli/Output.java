package dev.cacheops.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Option;

/**
 * The output options every command shares ({@code --json}, {@code --no-color}) and the writing
 * that follows from them. Colour uses picocli's {@code @|style text|@} markup and is on only when
 * the output is a terminal (picocli's {@code Ansi.AUTO}) and {@code --no-color} is absent.
 * Not thread-safe; one per command execution.
 */
final class Output {
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--json", description = "Print JSON (for scripts) instead of text.")
    boolean json;

    @Option(names = "--no-color", description = "No ANSI colour even on a terminal.")
    boolean noColor;

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    private CommandLine.Model.CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    private Ansi ansi() {
        return noColor ? Ansi.OFF : Ansi.AUTO;
    }

    /** {@code text} in a picocli style ({@code bold}, {@code green}, {@code fg(yellow)}, ...). */
    String style(String style, String text) {
        if (text.contains("|@") || !ansi().enabled()) {
            return text; // markup cannot quote "|@"; such text goes out plain
        }
        return ansi().string("@|" + style + " " + text + "|@");
    }

    String bold(String text) {
        return style("bold", text);
    }

    /** Prints a value as indented JSON. */
    void printJson(Object value) {
        try {
            out().println(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
        out().flush();
    }
}
