package dev.cacheops.spring.boot;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.springframework.core.env.Environment;

/**
 * Which Redis the cache uses: {@code cacheops.redis.url}; else Spring Boot's own
 * {@code spring.data.redis.url}; else {@code spring.data.redis.host}/{@code port}/{@code username}/
 * {@code password}/{@code database}/{@code ssl.enabled} when a host or port is set; else none (the
 * in-process store). Read from the {@link Environment} so Spring Data Redis need not be present.
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
        String url = env.getProperty("spring.data.redis.url");
        if (url != null && !url.isBlank()) {
            return url.trim();
        }
        String host = env.getProperty("spring.data.redis.host");
        String port = env.getProperty("spring.data.redis.port");
        if ((host == null || host.isBlank()) && (port == null || port.isBlank())) {
            return null;
        }
        boolean ssl = Boolean.parseBoolean(env.getProperty("spring.data.redis.ssl.enabled", "false"));
        String user = env.getProperty("spring.data.redis.username");
        String password = env.getProperty("spring.data.redis.password");
        StringBuilder uri = new StringBuilder(ssl ? "rediss://" : "redis://");
        if (password != null && !password.isEmpty()) {
            if (user != null && !user.isEmpty()) {
                uri.append(encode(user));
            }
            uri.append(':').append(encode(password)).append('@');
        }
        uri.append(host == null || host.isBlank() ? "localhost" : host.trim());
        uri.append(':').append(port == null || port.isBlank() ? "6379" : port.trim());
        uri.append('/').append(env.getProperty("spring.data.redis.database", "0").trim());
        return uri.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
