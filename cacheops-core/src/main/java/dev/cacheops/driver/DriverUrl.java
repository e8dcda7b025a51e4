package dev.cacheops.driver;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code jdbc:cacheops:} URL taken apart: the real driver's URL with the {@code cacheops.*}
 * query parameters removed, and those parameters URL-decoded (the first occurrence of a key wins).
 */
record DriverUrl(String realUrl, Map<String, String> settings) {
    static final String PREFIX = "jdbc:cacheops:";

    static boolean accepts(String url) {
        return url != null && url.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    /** Parses an accepted URL; {@code IllegalArgumentException} names a malformed parameter. */
    static DriverUrl parse(String url) {
        String rest = url.substring(PREFIX.length());
        if (rest.isEmpty() || rest.startsWith("jdbc:")) {
            throw new IllegalArgumentException("expected jdbc:cacheops:<the real URL without \"jdbc:\">, was '" + url + "'");
        }
        int q = rest.indexOf('?');
        if (q < 0) {
            return new DriverUrl("jdbc:" + rest, Map.of());
        }
        Map<String, String> settings = new LinkedHashMap<>();
        List<String> kept = new ArrayList<>();
        for (String param : rest.substring(q + 1).split("&")) {
            int eq = param.indexOf('=');
            String name = decode(eq < 0 ? param : param.substring(0, eq), param);
            if (name.startsWith("cacheops.")) {
                settings.putIfAbsent(name, eq < 0 ? "" : decode(param.substring(eq + 1), name));
            } else if (!param.isEmpty()) {
                kept.add(param);
            }
        }
        String base = rest.substring(0, q);
        String real = "jdbc:" + base + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
        return new DriverUrl(real, settings);
    }

    private static String decode(String text, String context) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(context + ": malformed URL encoding in '" + text + "'", e);
        }
    }
}
