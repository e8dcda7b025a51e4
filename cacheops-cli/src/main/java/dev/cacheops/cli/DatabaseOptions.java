package dev.cacheops.cli;

import javax.sql.DataSource;
import picocli.CommandLine.Option;

/** The database options of the commands that need one ({@code explain}, {@code invalidate}). */
final class DatabaseOptions {
    @Option(names = "--jdbc-url", paramLabel = "URL",
            description = "The database, e.g. jdbc:postgresql://127.0.0.1:5432/app.")
    String url;

    @Option(names = "--user", paramLabel = "U", description = "Database user.")
    String user;

    @Option(names = "--password", paramLabel = "P", description = "Database password.", interactive = false)
    String password;

    /** A data source on the options; {@code null} when no URL was given. */
    DataSource dataSource() {
        return url == null ? null : new UrlDataSource(url, user, password);
    }
}
