package dev.cacheops.driver;

import dev.cacheops.config.CacheopsConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Merges the driver's configuration sources, the first to give a key winning: the URL's
 * {@code cacheops.*} parameters, the {@code cacheops.*} entries of the {@code Properties} passed to
 * {@code connect}, the file named by {@code cacheops.config} (URL parameter, connect property,
 * system property or {@code CACHEOPS_CONFIG} environment variable), and {@code cacheops.properties}
 * on the classpath. Files are read on every call (a pool connects rarely; edits take effect).
 */
final class ConfigSources {
    static final String CLASSPATH_FILE = "cacheops.properties";
    static final String ENV = "CACHEOPS_CONFIG";

    private ConfigSources() {
    }

    /**
     * The effective {@code cacheops.*} settings, sorted (so equal configurations are equal maps).
     *
     * @throws IOException naming {@code cacheops.config} when the named file cannot be read
     */
    static Map<String, String> resolve(Map<String, String> fromUrl, Properties info) throws IOException {
        Map<String, String> effective = new TreeMap<>();
        effective.putAll(fromUrl);
        if (info != null) {
            for (String name : info.stringPropertyNames()) {
                if (name.startsWith(CacheopsConfig.PREFIX)) {
                    effective.putIfAbsent(name, info.getProperty(name));
                }
            }
        }
        String file = effective.get(CacheopsConfig.CONFIG_KEY);
        if (file == null) {
            file = System.getProperty(CacheopsConfig.CONFIG_KEY);
        }
        if (file == null) {
            file = System.getenv(ENV);
        }
        if (file != null && !file.isBlank()) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(Path.of(file.trim()), StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException | RuntimeException e) {
                throw new IOException(CacheopsConfig.CONFIG_KEY + ": cannot read '" + file + "': " + e, e);
            }
            addCacheopsKeys(effective, p);
        }
        URL resource = classpathFile();
        if (resource != null) {
            Properties p = new Properties();
            try (InputStream in = resource.openStream()) {
                p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            }
            addCacheopsKeys(effective, p);
        }
        return effective;
    }

    private static void addCacheopsKeys(Map<String, String> effective, Properties p) {
        for (String name : p.stringPropertyNames()) {
            if (name.startsWith(CacheopsConfig.PREFIX)) {
                effective.putIfAbsent(name, p.getProperty(name).trim());
            }
        }
    }

    private static URL classpathFile() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        URL url = context == null ? null : context.getResource(CLASSPATH_FILE);
        return url != null ? url : ConfigSources.class.getClassLoader().getResource(CLASSPATH_FILE);
    }

    /** {@code info} without its {@code cacheops.*} entries: what the real driver receives. */
    static Properties realDriverProperties(Properties info) {
        Properties real = new Properties();
        if (info != null) {
            for (String name : info.stringPropertyNames()) {
                if (!name.startsWith(CacheopsConfig.PREFIX)) {
                    real.setProperty(name, info.getProperty(name));
                }
            }
        }
        return real;
    }
}
