package dev.cacheops.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheops.Cacheops;
import dev.cacheops.Op;
import dev.cacheops.testing.TestServices;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.io.ByteArrayResource;

/**
 * The complete {@code application.yml} of the README's "Spring Boot" section, read from the
 * README itself, binds and builds (the Redis URL and prefix replaced by the test's own), so the
 * documentation cannot drift from the properties.
 */
class ReadmeApplicationYamlIT {

    @Test
    void theReadmesApplicationYmlBindsAndBuilds() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        String section = readme.substring(readme.indexOf("## Spring Boot"));
        String yaml = section.substring(section.indexOf("```yaml") + 7, section.indexOf("```", section.indexOf("```yaml") + 7));
        var sources = new YamlPropertySourceLoader().load("readme", new ByteArrayResource(yaml.getBytes(StandardCharsets.UTF_8)));
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CacheopsAutoConfiguration.class))
                .withInitializer(context -> {
                    var env = context.getEnvironment().getPropertySources();
                    sources.forEach(env::addLast);
                    env.addFirst(new MapPropertySource("test", Map.of("cacheops.prefix", TestServices.uniquePrefix(),
                            "cacheops.redis.url", TestServices.redisUri())));
                })
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(Cacheops.class);
                    CacheopsProperties p = context.getBean(CacheopsProperties.class);
                    assertThat(p.getProfiles()).containsOnlyKeys("post", "auth_user", "public.blog_*", "category");
                    assertThat(CacheopsFactory.ops(p.getProfiles().get("post").getOps())).isEqualTo(Op.ALL);
                    assertThat(p.getProfiles().get("post").getLockWait()).isEqualTo(Duration.ofMillis(200));
                    assertThat(CacheopsFactory.ops(p.getProfiles().get("auth_user").getOps())).isEqualTo(EnumSet.of(Op.GET));
                    assertThat(CacheopsFactory.ops(p.getProfiles().get("category").getOps())).isEmpty();
                    assertThat(p.getDisabled()).containsExactly("audit_log");
                    assertThat(p.getSafeFunctions()).containsExactly("lower", "upper");
                });
    }
}
