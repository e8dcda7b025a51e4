package dev.cacheops.store;

import io.lettuce.core.RedisURI;
import io.lettuce.core.StaticCredentialsProvider;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A parsed cluster URI, {@code redis-cluster://[user:password@]host:port[,host:port...]} or
 * {@code rediss-cluster://...} (TLS to every node). The hosts are seeds: any one that answers
 * is enough, the others are discovered. A database other than 0 is refused (a cluster has only
 * database 0). Messages never repeat the password.
 *
 * @param seeds one Lettuce URI per seed, each with the credentials, TLS and timeout
 * @param where the URI without credentials, for messages
 * @param tls   whether the nodes speak TLS
 */
record ClusterUri(List<RedisURI> seeds, String where, boolean tls) {
    private static final String PLAIN = "redis-cluster://";
    private static final String SECURE = "rediss-cluster://";

    static boolean isCluster(String uri) {
        String u = uri.trim().toLowerCase(Locale.ROOT);
        return u.startsWith(PLAIN) || u.startsWith(SECURE);
    }

    /**
     * @param connectTimeout the handshake budget of each connection
     * @param username       overrides the URI's user when {@code password} is given
     * @param password       overrides the URI's password; null to keep the URI's
     * @throws IllegalArgumentException naming {@code uri} when it cannot be parsed
     */
    static ClusterUri parse(String uri, Duration connectTimeout, String username, char[] password) {
        String u = uri.trim();
        String lower = u.toLowerCase(Locale.ROOT);
        boolean tls = lower.startsWith(SECURE);
        if (!tls && !lower.startsWith(PLAIN)) {
            throw new IllegalArgumentException("uri: a cluster URI starts with redis-cluster:// or rediss-cluster://");
        }
        String rest = u.substring(tls ? SECURE.length() : PLAIN.length());
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            String db = rest.substring(slash + 1);
            if (!db.isEmpty() && !db.equals("0")) {
                throw new IllegalArgumentException("uri: Redis Cluster has database 0 only, the URI names database "
                        + (db.length() > 10 ? db.substring(0, 10) + "..." : db));
            }
            rest = rest.substring(0, slash);
        }
        String user = null;
        char[] secret = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String info = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = info.indexOf(':');
            String name = colon >= 0 ? info.substring(0, colon) : "";
            String pass = colon >= 0 ? info.substring(colon + 1) : info;
            user = name.isEmpty() ? null : decode(name);
            secret = decode(pass).toCharArray();
        }
        if (password != null) {
            user = username;
            secret = password.clone();
        }
        List<RedisURI> seeds = new ArrayList<>();
        List<String> described = new ArrayList<>();
        for (String hostPort : rest.split(",", -1)) {
            String hp = hostPort.trim();
            int colon = hp.lastIndexOf(':');
            if (hp.isEmpty() || colon <= 0 || colon == hp.length() - 1) {
                throw new IllegalArgumentException("uri: every seed must be host:port, found '" + hp + "'");
            }
            String host = hp.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(hp.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("uri: not a port in seed '" + hp + "'");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("uri: port out of range in seed '" + hp + "'");
            }
            RedisURI.Builder b = RedisURI.builder().withHost(host).withPort(port).withSsl(tls)
                    // The handshake (HELLO/AUTH) is part of connecting: give it the connect budget.
                    .withTimeout(connectTimeout);
            if (secret != null) {
                b.withAuthentication(new StaticCredentialsProvider(user, secret.clone()));
            }
            seeds.add(b.build());
            described.add(hp);
        }
        return new ClusterUri(List.copyOf(seeds), (tls ? SECURE : PLAIN) + String.join(",", described), tls);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
