package dev.cacheops.bench.report;

import dev.cacheops.bench.fixture.BenchSettings;
import dev.cacheops.bench.fixture.Pools;
import dev.cacheops.bench.fixture.RedisKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the numbers were measured on, read from the JVM, /proc and the services themselves. */
public final class Machine {
    private Machine() {
    }

    /** Field name to value, in report order. Never throws: an unreadable field says why. */
    public static Map<String, String> describe(BenchSettings s) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("date (UTC)", OffsetDateTime.now(ZoneOffset.UTC).withNano(0).toString());
        m.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        m.put("memory", proc("/proc/meminfo", "MemTotal:"));
        m.put("CPU", proc("/proc/cpuinfo", "model name"));
        m.put("load average at start", proc("/proc/loadavg", ""));
        m.put("OS", System.getProperty("os.name") + " " + System.getProperty("os.version")
                + " " + System.getProperty("os.arch"));
        m.put("Java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("PostgreSQL", postgres(s));
        m.put("Redis", redis(s));
        return m;
    }

    private static String proc(String file, String field) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                if (line.startsWith(field)) {
                    String v = line.substring(field.length()).trim();
                    return v.startsWith(":") ? v.substring(1).trim() : v;
                }
            }
            return "?";
        } catch (Exception e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static String postgres(BenchSettings s) {
        try (Connection c = Pools.postgres(s).getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("show server_version")) {
            rs.next();
            return rs.getString(1);
        } catch (Exception e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static String redis(BenchSettings s) {
        try (RedisKeys r = new RedisKeys(s.redisUri())) {
            return r.serverInfo("redis_version");
        } catch (Exception e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
