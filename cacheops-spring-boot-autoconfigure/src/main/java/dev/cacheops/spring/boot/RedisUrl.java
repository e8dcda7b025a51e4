package dev.cacheops.spring.boot;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.springframework.core.env.Environment;

/**
 * Which Redis the cache uses: {@code cacheops.redis.url}; else Spring Boot's own connection
 * properties, in the order Spring Boot itself prefers them: {@code spring.data.redis.sentinel.*}
 * (master and nodes), then {@code spring.data.redis.cluster.nodes}, then {@code
 * spring.data.redis.url}, then {@code host}/{@code port}; {@code username}, {@code password},
 * {@code database} and {@code ssl.enabled} apply to each; else none (the in-process store). Read
 * from the {@link Environment} so Spring Data Redis need not be present.
 */
final class RedisUrl {
    private RedisUrl() {
    }

    /** The Lettuce URI, or null for the in-process store. */
    static String resolve(CacheopsProperties properties, Environment env) {
        String own = properties.getRedis().getUrl();
        if (own != null && !own.isBlank()) {
            return own.trim();
        }
        boolean ssl = Boolean.parseBoolean(env.getProperty("spring.data.redis.ssl.enabled", "false"));
        String master = env.getProperty("spring.data.redis.sentinel.master");
        if (master != null && !master.isBlank()) {
            String sentinelPassword = env.getProperty("spring.data.redis.sentinel.password");
            if (sentinelPassword != null && !sentinelPassword.isEmpty()) {
                // A Lettuce URI carries one password for sentinels and data nodes alike.
                throw new IllegalStateException("spring.data.redis.sentinel.password cannot be expressed in the"
                        + " Redis URI Cacheops derives from spring.data.redis.*; set cacheops.redis.url to a"
                        + " redis-sentinel:// URI instead");
            }
            String nodes = nodes(env.getProperty("spring.data.redis.sentinel.nodes"), "spring.data.redis.sentinel.nodes");
            return (ssl ? "rediss-sentinel://" : "redis-sentinel://") + credentials(env) + nodes + "/"
                    + database(env) + "#" + master.trim();
        }
        String cluster = env.getProperty("spring.data.redis.cluster.nodes");
        if (cluster != null && !cluster.isBlank()) {
            // The cluster has no databases: Spring Boot ignores spring.data.redis.database there too.
            return (ssl ? "rediss-cluster://" : "redis-cluster://") + credentials(env)
                    + nodes(cluster, "spring.data.redis.cluster.nodes");
        }
        String url = env.getProperty("spring.data.redis.url");
        if (url != null && !url.isBlank()) {
            return url.trim();
        }
        String host = env.getProperty("spring.data.redis.host");
        String port = env.getProperty("spring.data.redis.port");
        if ((host == null || host.isBlank()) && (port == null || port.isBlank())) {
            return null;
        }
        return (ssl ? "rediss://" : "redis://") + credentials(env)
                + (host == null || host.isBlank() ? "localhost" : host.trim())
                + ':' + (port == null || port.isBlank() ? "6379" : port.trim())
                + '/' + database(env);
    }

    /** {@code user:password@}, {@code :password@} or nothing. */
    private static String credentials(Environment env) {
        String user = env.getProperty("spring.data.redis.username");
        String password = env.getProperty("spring.data.redis.password");
        if (password == null || password.isEmpty()) {
            return "";
        }
        return (user == null || user.isEmpty() ? "" : encode(user)) + ':' + encode(password) + '@';
    }

    private static String database(Environment env) {
        return env.getProperty("spring.data.redis.database", "0").trim();
    }

    /** Spring's comma-separated {@code host:port} list, checked and without blanks. */
    private static String nodes(String list, String property) {
        StringBuilder joined = new StringBuilder();
        for (String node : list == null ? new String[0] : list.split(",")) {
            String n = node.trim();
            if (n.isEmpty()) {
                continue;
            }
            int colon = n.lastIndexOf(':');
            if (colon <= 0 || colon == n.length() - 1 || !n.substring(colon + 1).chars().allMatch(Character::isDigit)) {
                throw new IllegalStateException(property + " must list host:port pairs, not '" + n + "'");
            }
            joined.append(joined.length() == 0 ? "" : ",").append(n);
        }
        if (joined.length() == 0) {
            throw new IllegalStateException(property + " is empty");
        }
        return joined.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
