package dev.cacheops.driver;

import dev.cacheops.Cacheops;
import dev.cacheops.config.CacheopsConfig;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's shared state in this JVM: one {@link Cacheops} per distinct effective
 * configuration, and one wrapped data source per configuration, real URL and real driver
 * properties (so each database keeps one catalog and one set of remembered plans however many
 * connections are made). Everything built is closed by a shutdown hook. Thread-safe.
 */
final class Instances {
    private static final Logger LOG = LoggerFactory.getLogger(CacheopsDriver.class);
    private static final Map<Map<String, String>, Cacheops> INSTANCES = new ConcurrentHashMap<>();
    private static final Map<Target, DataSource> DATA_SOURCES = new ConcurrentHashMap<>();

    static {
        Thread hook = new Thread(Instances::closeAll, "cacheops-driver-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    private Instances() {
    }

    /**
     * The shared instance for {@code settings}, built on first use.
     *
     * @throws IllegalArgumentException naming the key of a bad setting
     */
    static Cacheops cacheops(Map<String, String> settings) {
        return INSTANCES.computeIfAbsent(Map.copyOf(settings), s -> {
            Cacheops.Builder builder = CacheopsConfig.fromProperties(s);
            Cacheops built = builder.build();
            LOG.info("cacheops driver: new instance, {}", builder);
            return built;
        });
    }

    /** The wrapped data source for a configuration and a real URL with its properties. */
    static DataSource dataSource(Map<String, String> settings, String realUrl, Properties real) {
        Cacheops cacheops = cacheops(settings);
        Target target = new Target(Map.copyOf(settings), realUrl, Map.copyOf(real));
        return DATA_SOURCES.computeIfAbsent(target, t -> cacheops.wrap(new RealDriverDataSource(realUrl, real)));
    }

    private static void closeAll() {
        for (Cacheops c : INSTANCES.values()) {
            try {
                c.close();
            } catch (RuntimeException e) {
                // the JVM is stopping; nothing more to do with it
            }
        }
    }

    private record Target(Map<String, String> settings, String realUrl, Map<Object, Object> properties) {
    }
}
