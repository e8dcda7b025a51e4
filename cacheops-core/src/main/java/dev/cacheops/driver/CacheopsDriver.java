package dev.cacheops.driver;

import dev.cacheops.Cacheops;
import dev.cacheops.config.CacheopsConfig;
import java.io.IOException;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * The {@code jdbc:cacheops:} driver: {@code jdbc:cacheops:<the real URL without "jdbc:">}, e.g.
 * {@code jdbc:cacheops:postgresql://127.0.0.1:5432/test?cacheops.redis.url=redis://127.0.0.1:6379&cacheops.profiles.post.ops=all}.
 *
 * <p>Configuration comes from the {@link CacheopsConfig} keys, the first source to give a key
 * winning: {@code cacheops.*} URL parameters (URL-decoded, and removed before the real driver
 * sees the URL), {@code cacheops.*} connect properties (the others go to the real driver), the
 * file named by {@code cacheops.config} (URL parameter, property, system property or the
 * {@code CACHEOPS_CONFIG} environment variable) and {@code cacheops.properties} on the classpath.
 * Every connection with the same effective configuration shares one {@link Cacheops}, closed at
 * JVM shutdown; connections are those of {@link Cacheops#wrap}, so they behave exactly as the
 * wrapper's. {@code cacheops.enabled=false} hands out the real driver's connections.
 *
 * <p>Registered through {@code META-INF/services/java.sql.Driver} and when this class loads.
 * Thread-safe.
 */
public final class CacheopsDriver implements Driver {
    static {
        try {
            DriverManager.registerDriver(new CacheopsDriver());
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** For {@link java.util.ServiceLoader}; applications use {@link DriverManager}. */
    public CacheopsDriver() {
    }

    /**
     * Connects through the cache, or returns null for a URL that is not {@code jdbc:cacheops:}.
     *
     * @throws SQLException when the configuration is bad (the message names the key), or the real
     *                      driver fails
     */
    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        Resolved r = resolve(url, info);
        if (!CacheopsConfig.enabled(r.settings)) {
            return DriverManager.getDriver(r.realUrl).connect(r.realUrl, r.real);
        }
        try {
            return Instances.dataSource(r.settings, r.realUrl, r.real).getConnection();
        } catch (IllegalArgumentException e) {
            throw configError(e);
        }
    }

    /**
     * The shared {@link Cacheops} a connection with this URL and these properties uses (for
     * statistics and the invalidation API), built if no connection has been made yet.
     *
     * @throws SQLException when the URL is not {@code jdbc:cacheops:}, the cache is disabled, or
     *                      the configuration is bad
     */
    public static Cacheops cacheops(String url, Properties info) throws SQLException {
        if (!DriverUrl.accepts(url)) {
            throw new SQLException("not a jdbc:cacheops: URL: " + url, "08001");
        }
        Resolved r = resolve(url, info);
        if (!CacheopsConfig.enabled(r.settings)) {
            throw new SQLException(CacheopsConfig.ENABLED_KEY + " is false for " + url, "08001");
        }
        try {
            return Instances.cacheops(r.settings);
        } catch (IllegalArgumentException e) {
            throw configError(e);
        }
    }

    private static Resolved resolve(String url, Properties info) throws SQLException {
        try {
            DriverUrl parsed = DriverUrl.parse(url);
            Map<String, String> settings = ConfigSources.resolve(parsed.settings(), info);
            CacheopsConfig.enabled(settings); // a bad cacheops.enabled fails here, naming the key
            return new Resolved(parsed.realUrl(), settings, ConfigSources.realDriverProperties(info));
        } catch (IllegalArgumentException | IOException e) {
            throw configError(e);
        }
    }

    private static SQLException configError(Exception e) {
        return new SQLException("cacheops configuration: " + e.getMessage(), "08001", e);
    }

    @Override
    public boolean acceptsURL(String url) {
        return DriverUrl.accepts(url);
    }

    /** The {@code cacheops.*} keys, then the real driver's properties when it is on the classpath. */
    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
        List<DriverPropertyInfo> all = new ArrayList<>();
        for (String key : CacheopsConfig.keys()) {
            DriverPropertyInfo p = new DriverPropertyInfo(key, info == null ? null : info.getProperty(key));
            p.description = "see the README's configuration keys";
            all.add(p);
        }
        if (acceptsURL(url)) {
            try {
                DriverUrl parsed = DriverUrl.parse(url);
                Driver real = DriverManager.getDriver(parsed.realUrl());
                all.addAll(List.of(real.getPropertyInfo(parsed.realUrl(), ConfigSources.realDriverProperties(info))));
            } catch (IllegalArgumentException | SQLException e) {
                // no real driver (yet): the cacheops keys alone
            }
        }
        return all.toArray(DriverPropertyInfo[]::new);
    }

    /** 0: the version of this driver, not of the database's. */
    @Override
    public int getMajorVersion() {
        return 0;
    }

    @Override
    public int getMinorVersion() {
        return 1;
    }

    /** False: compliance is the real driver's, and cached results are read-only. */
    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("cacheops logs through SLF4J");
    }

    private record Resolved(String realUrl, Map<String, String> settings, Properties real) {
    }
}
