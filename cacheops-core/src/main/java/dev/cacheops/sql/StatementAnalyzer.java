package dev.cacheops.sql;

/**
 * Turns SQL text into an {@link Analysis}. Thread-safe and stateless apart from its settings; the
 * engine memoises results per database and SQL string, since parsing costs about as much as a
 * Redis round trip.
 */
public final class StatementAnalyzer {
    private final AnalyzerSettings settings;

    public StatementAnalyzer(AnalyzerSettings settings) {
        this.settings = settings;
    }

    /**
     * Analyses one statement. Never throws (not even {@link StackOverflowError}): what it cannot
     * handle comes back as {@link Analysis.NotUnderstood}.
     *
     * @param sql    the statement text, exactly as the application sent it
     * @param lookup how to learn a table's columns, for unqualified column references
     */
    public Analysis analyze(String sql, SchemaLookup lookup) {
        // Placeholder until the analyser lands: nothing is understood, so nothing is cached and
        // every write is treated as possibly touching everything.
        return new Analysis.NotUnderstood("analysis not implemented yet", true);
    }

    /** The settings this analyser was built with. */
    public AnalyzerSettings settings() {
        return settings;
    }
}
