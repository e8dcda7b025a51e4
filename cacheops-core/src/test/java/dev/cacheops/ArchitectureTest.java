package dev.cacheops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the package dependencies pointing one way (docs/DESIGN.md): {@code jdbc -> engine ->
 * protocol -> store}, {@code engine -> sql}, {@code jdbc -> result}, {@code engine -> result}; the engine never sees the
 * wrappers, the internals see only the root package's value types, and {@code sql}, {@code store}
 * and {@code result} see none of their siblings; {@code config} uses the public facade only.
 */
class ArchitectureTest {
    private static final Path SOURCES = Path.of("src/main/java/dev/cacheops");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?dev\\.cacheops\\.(\\w+)\\.", Pattern.MULTILINE);
    private static final Pattern ROOT_IMPORT = Pattern.compile("^import (?:static )?dev\\.cacheops\\.([A-Z]\\w*)", Pattern.MULTILINE);

    /** Which internal packages each package may import. */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "sql", Set.of(),
            "store", Set.of(),
            "result", Set.of(),
            "protocol", Set.of("store", "sql"),
            "engine", Set.of("protocol", "store", "sql", "result"),
            "jdbc", Set.of("engine", "protocol", "store", "sql", "result"),
            "function", Set.of("engine", "protocol"),
            "changes", Set.of("engine", "protocol"),
            "config", Set.of(),
            "driver", Set.of("config"));

    /** Packages that sit beside the facade and may use it (they configure or drive it), but no internals. */
    private static final Set<String> FACADE_USERS = Set.of("config", "driver");

    /** Root types the internals may use: values and the listener SPI, never the facade. */
    private static final Set<String> ROOT_VALUES =
            Set.of("Op", "Consistency", "FailureMode", "Profile", "PassReason", "CacheStats", "CacheopsListener",
                    "Serializer", "Explanation");

    @Test
    void internalPackagesDependOneWay() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Map.Entry<String, Set<String>> e : ALLOWED.entrySet()) {
            Path dir = SOURCES.resolve(e.getKey());
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    String src = Files.readString(f);
                    Matcher m = IMPORT.matcher(src);
                    while (m.find()) {
                        if (!e.getValue().contains(m.group(1)) && !m.group(1).equals(e.getKey())) {
                            violations.add(f.getFileName() + " imports dev.cacheops." + m.group(1));
                        }
                    }
                    Matcher r = ROOT_IMPORT.matcher(src);
                    while (r.find()) {
                        if (!ROOT_VALUES.contains(r.group(1)) && !FACADE_USERS.contains(e.getKey())) {
                            violations.add(f.getFileName() + " imports dev.cacheops." + r.group(1));
                        }
                    }
                }
            }
        }
        assertThat(violations).isEmpty();
    }
}
