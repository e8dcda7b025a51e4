package dev.cacheops.demo;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source for a JDBC URL, without a pool: every {@code getConnection} opens a new one. The
 * driver is found with this class's own class loader rather than through {@code DriverManager},
 * which checks the caller's loader and fails under {@code mvn exec:java}'s isolated class loader.
 * Thread-safe.
 */
final class UrlDataSource implements DataSource {
    private final String url;
    private final Driver driver;
    private final Properties properties = new Properties();

    /** @throws IllegalArgumentException when no driver on the class path accepts the URL */
    UrlDataSource(String url, String user, String password) {
        this.url = url;
        this.driver = ServiceLoader.load(Driver.class, UrlDataSource.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get)
                .filter(d -> accepts(d, url))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("--jdbc-url: no JDBC driver on the class path"
                        + " accepts '" + url + "' (the demo ships H2 and PostgreSQL)"));
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
    }

    private static boolean accepts(Driver d, String url) {
        try {
            return d.acceptsURL(url);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection c = driver.connect(url, properties);
        if (c == null) {
            throw new SQLException("the driver refused " + url);
        }
        return c;
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        return driver.connect(url, p);
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // no logging of its own
    }

    @Override
    public void setLoginTimeout(int seconds) {
        // the driver's default applies
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
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("not a wrapper of " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
