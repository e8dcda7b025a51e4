package dev.cacheops.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Taking a {@code jdbc:cacheops:} URL apart, and the order of the configuration sources. */
class DriverUrlTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "jdbc:cacheops:postgresql://h:5432/db|jdbc:postgresql://h:5432/db|{}",
            "jdbc:cacheops:postgresql://h/db?cacheops.prefix=p|jdbc:postgresql://h/db|{cacheops.prefix=p}",
            "jdbc:cacheops:postgresql://h/db?ssl=true&cacheops.prefix=p&currentSchema=s|jdbc:postgresql://h/db?ssl=true&currentSchema=s|{cacheops.prefix=p}",
            "jdbc:cacheops:postgresql://h/db?cacheops.redis.url=redis%3A%2F%2Fu%3Ap%40r%3A6379%2F1&a=b|jdbc:postgresql://h/db?a=b|{cacheops.redis.url=redis://u:p@r:6379/1}",
            "jdbc:cacheops:h2:mem:x;DB_CLOSE_DELAY=-1?cacheops.profiles.[*].ops=count|jdbc:h2:mem:x;DB_CLOSE_DELAY=-1|{cacheops.profiles.[*].ops=count}",
            "jdbc:cacheops:mysql://h/db?cacheops.safe-functions=f%2Cg&cacheops.prefix=a&cacheops.prefix=b|jdbc:mysql://h/db|{cacheops.safe-functions=f,g, cacheops.prefix=a}",
            "JDBC:CACHEOPS:postgresql://h/db?cacheops.enabled|jdbc:postgresql://h/db|{cacheops.enabled=}",
    })
    void stripsTheCacheopsParameters(String url, String real, String settings) {
        DriverUrl parsed = DriverUrl.parse(url);
        assertThat(parsed.realUrl()).isEqualTo(real);
        assertThat(parsed.settings()).hasToString(settings);
    }

    @Test
    void rejectsADoubledJdbcPrefixAndBadEncoding() {
        assertThatThrownBy(() -> DriverUrl.parse("jdbc:cacheops:jdbc:postgresql://h/db"))
                .hasMessageContaining("without \"jdbc:\"");
        assertThatThrownBy(() -> DriverUrl.parse("jdbc:cacheops:postgresql://h/db?cacheops.prefix=%zz"))
                .hasMessageContaining("cacheops.prefix");
        assertThat(DriverUrl.accepts("jdbc:postgresql://h/db")).isFalse();
        assertThat(DriverUrl.accepts(null)).isFalse();
    }

    @Test
    void firstSourceWinsPerKey(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("app.properties");
        Files.writeString(file, "cacheops.prefix=from-file\ncacheops.max-rows=7\ncacheops.bulk-rows=9\nother=x\n");
        Properties info = new Properties();
        info.setProperty("cacheops.max-rows", "5");
        info.setProperty("cacheops.bulk-rows", "8");
        info.setProperty("cacheops.config", file.toString());
        info.setProperty("user", "postgres");
        Map<String, String> effective = ConfigSources.resolve(Map.of("cacheops.bulk-rows", "3"), info);
        assertThat(effective)
                .containsEntry("cacheops.bulk-rows", "3")          // URL over properties and file
                .containsEntry("cacheops.max-rows", "5")           // properties over file
                .containsEntry("cacheops.prefix", "from-file")     // the file fills the rest
                .doesNotContainKeys("user", "other");
        // The test classpath's cacheops.properties comes last.
        assertThat(effective).containsEntry("cacheops.in-list-limit", "16");
        assertThat(ConfigSources.realDriverProperties(info)).containsOnlyKeys("user");
    }

    @Test
    void aMissingConfigFileNamesTheKey() {
        Properties info = new Properties();
        info.setProperty("cacheops.config", "/nonexistent/cacheops.properties");
        assertThatThrownBy(() -> ConfigSources.resolve(Map.of(), info))
                .hasMessageContaining("cacheops.config: cannot read '/nonexistent/cacheops.properties'");
    }
}
