package dev.cacheops.jdbc;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ConnectionBuilder;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.ShardingKeyBuilder;
import java.util.Objects;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Pure delegation of a {@link DataSource}: every method, including the interface's default
 * methods, forwards to {@link #delegate}, so a subclass overrides only what it intercepts
 * (HikariCP's {@code ProxyStatement} keeps interception apart from boilerplate the same way).
 *
 * <p>{@code unwrap} and {@code isWrapperFor} answer for this object first (an interface or class it
 * implements), then ask the delegate. Thread safety is the delegate's.
 *
 * <p>The method bodies are generated from the Java 17 interfaces; the test
 * {@code DelegationTest} checks that none is missing or forwards elsewhere.
 */
public abstract class DelegatingDataSource implements DataSource {
    /** The wrapped object; never null. */
    protected final DataSource delegate;

    /**
     * @param delegate the object to forward to
     * @throws NullPointerException if {@code delegate} is null
     */
    protected DelegatingDataSource(DataSource delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public ConnectionBuilder createConnectionBuilder() throws SQLException {
        return delegate.createConnectionBuilder();
    }

    @Override
    public ShardingKeyBuilder createShardingKeyBuilder() throws SQLException {
        return delegate.createShardingKeyBuilder();
    }

    @Override
    public Connection getConnection() throws SQLException {
        return delegate.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return delegate.getConnection(username, password);
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || delegate.isWrapperFor(iface);
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        return delegate.unwrap(iface);
    }
}
