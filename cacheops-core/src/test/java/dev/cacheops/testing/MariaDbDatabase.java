package dev.cacheops.testing;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;

/**
 * A database of its own on the optional MariaDB ({@link TestServices#mariaDbUrl}), created for one
 * test class and dropped by {@link #close()}. Every connection it hands out is set to READ
 * COMMITTED first, as a pool's {@code transactionIsolation} would (MariaDB defaults to REPEATABLE
 * READ, at which the cache does not serve reads). When MariaDB is not reachable the calling test
 * is reported as skipped ({@link Assumptions#abort}), never silently passed.
 */
public final class MariaDbDatabase implements DataSource, AutoCloseable {
    private final String name;

    private MariaDbDatabase(String name) {
        this.name = name;
    }

    /** Creates a database named {@code prefix} and a random suffix, or aborts the test. */
    public static MariaDbDatabase create(String prefix) {
        String name = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(TestServices.mariaDbUrl("test"), "root", "");
             Statement s = c.createStatement()) {
            s.execute("create database " + name);
        } catch (SQLException e) {
            Assumptions.abort("MariaDB not reachable at " + TestServices.mariaDbUrl("test") + " as root: "
                    + e.getMessage());
        }
        return new MariaDbDatabase(name);
    }

    /** Drops the database. */
    @Override
    public void close() throws SQLException {
        try (Connection c = DriverManager.getConnection(TestServices.mariaDbUrl("test"), "root", "");
             Statement s = c.createStatement()) {
            s.execute("drop database " + name);
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection c = DriverManager.getConnection(TestServices.mariaDbUrl(name), "root", "");
        c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        return c;
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
    }

    @Override
    public void setLoginTimeout(int seconds) {
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return false;
    }
}
