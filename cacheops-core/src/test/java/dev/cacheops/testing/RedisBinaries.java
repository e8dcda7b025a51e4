package dev.cacheops.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the tests find a {@code redis-server} to start: the one on the {@code PATH} if there is
 * one, else the binary that the embedded Redis jar ({@code com.github.codemonstur:embedded-redis},
 * already a test dependency) ships for this platform, extracted once per JVM into a temporary
 * directory and made executable. That binary is Redis 6.2 (Linux and macOS, amd64 and arm64); it
 * runs {@code --sentinel} and cluster mode. So {@code ./mvnw verify} needs no Redis installed.
 * Thread-safe.
 */
public final class RedisBinaries {
    private static String server;
    private static Integer majorVersion;

    private RedisBinaries() {
    }

    /** The {@code redis-server} command to run: a name on the PATH or an absolute path. */
    public static synchronized String server() {
        if (server == null) {
            server = onPath("redis-server") ? "redis-server" : extractEmbedded();
        }
        return server;
    }

    /** Whether the embedded copy is used (nothing on the PATH). */
    public static boolean embedded() {
        return !server().equals("redis-server");
    }

    /**
     * The options a server needs so that local clients may send {@code DEBUG} (the fault tests'
     * {@code DEBUG SLEEP}): {@code --enable-debug-command local} on Redis 7 and later, which turned
     * {@code DEBUG} off by default; none on 6.2 (the embedded binary), which allows it and rejects
     * the option as a bad directive.
     */
    public static String[] debugCommandArgs() {
        return majorVersion() >= 7 ? new String[] {"--enable-debug-command", "local"} : new String[0];
    }

    /** The major version of {@link #server()}, from {@code redis-server --version} ({@code v=7.0.15}). */
    static synchronized int majorVersion() {
        if (majorVersion == null) {
            String out;
            try {
                Process p = new ProcessBuilder(server(), "--version").redirectErrorStream(true).start();
                out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (IOException e) {
                throw new IllegalStateException("cannot run " + server() + " --version", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted running " + server() + " --version", e);
            }
            Matcher m = Pattern.compile("v=(\\d+)\\.").matcher(out);
            if (!m.find()) {
                throw new IllegalStateException("no version in '" + out.strip() + "' from " + server() + " --version");
            }
            majorVersion = Integer.parseInt(m.group(1));
        }
        return majorVersion;
    }

    /** Extracts the embedded binary even when the PATH has one (for the test of the fallback). */
    static String extractEmbeddedForTest() {
        return extractEmbedded();
    }

    static boolean onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return true;
            }
        }
        return false;
    }

    private static String extractEmbedded() {
        String resource = resourceName();
        try (InputStream in = redis.embedded.RedisServer.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("no redis-server on the PATH and the embedded Redis jar has no "
                        + resource + "; install redis-server (6.2+)");
            }
            Path dir = Files.createTempDirectory("cacheops-redis-bin");
            Path bin = dir.resolve("redis-server");
            Files.copy(in, bin, StandardCopyOption.REPLACE_EXISTING);
            if (!bin.toFile().setExecutable(true, true)) {
                throw new IllegalStateException("cannot make " + bin + " executable");
            }
            bin.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            return bin.toString();
        } catch (IOException e) {
            throw new IllegalStateException("no redis-server on the PATH and the embedded one cannot be extracted", e);
        }
    }

    /** The binary the embedded Redis jar (1.4.x) ships for this OS and architecture. */
    static String resourceName() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        boolean arm = arch.equals("aarch64") || arch.equals("arm64");
        boolean x86 = arch.equals("x86") || arch.equals("i386") || arch.equals("i686");
        if (os.contains("linux")) {
            return arm ? "redis-server-6.2.7-linux-arm64" : x86 ? "redis-server-6.2.7-linux-386"
                    : "redis-server-6.2.6-v5-linux-amd64";
        }
        if (os.contains("mac")) {
            return arm ? "redis-server-6.2.6-v5-darwin-arm64" : "redis-server-6.2.6-v5-darwin-amd64";
        }
        throw new IllegalStateException("no embedded redis-server for " + os + "/" + arch + "; install redis-server");
    }
}
