package dev.cacheops.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cacheops.Cacheops;
import dev.cacheops.Consistency;
import dev.cacheops.FailureMode;
import dev.cacheops.Op;
import dev.cacheops.spring.boot.CacheopsProperties.ProfileOp;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.util.unit.DataSize;

/**
 * Binding of {@code cacheops.*}: defaults, every key, the bracket form of pattern keys, the Redis
 * fallback to {@code spring.data.redis.*}, and bad values failing start-up naming the property.
 * In-process store only: no server needed.
 */
class CacheopsPropertiesBindingTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CacheopsAutoConfiguration.class));

    @Test
    void defaultsMatchTheBuilders() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(Cacheops.class);
            CacheopsProperties p = context.getBean(CacheopsProperties.class);
            assertThat(p.isEnabled()).isTrue();
            assertThat(p.getPrefix()).isEqualTo("cacheops");
            assertThat(p.getConsistency()).isEqualTo(Consistency.STRICT);
            assertThat(p.getFailureMode()).isEqualTo(FailureMode.DEGRADE);
            assertThat(p.getRedis().getUrl()).isNull();
            assertThat(p.getRedis().getTimeout()).isEqualTo(Duration.ofMillis(100));
            assertThat(p.getRedis().getConnectTimeout()).isEqualTo(Duration.ofSeconds(1));
            assertThat(p.getLockTimeout()).isEqualTo(Duration.ofSeconds(10));
            assertThat(p.getDefaultTimeout()).isEqualTo(Duration.ofHours(1));
            assertThat(p.getMaxRows()).isEqualTo(10_000);
            assertThat(p.getMaxBytes()).isEqualTo(DataSize.ofMegabytes(8));
            assertThat(p.getBulkRows()).isEqualTo(1_000);
            assertThat(p.getInListLimit()).isEqualTo(16);
            assertThat(p.getLocal().getMaxBytes()).isEqualTo(DataSize.ofMegabytes(64));
        });
    }

    @Test
    void everyKeyBinds() {
        runner.withPropertyValues(
                "cacheops.prefix=shop", "cacheops.consistency=relaxed", "cacheops.failure-mode=degrade",
                "cacheops.redis.timeout=250ms", "cacheops.redis.connect-timeout=2s", "cacheops.redis.pool-size=8",
                "cacheops.redis.ssl.trusted-ca=/etc/redis/ca.pem", "cacheops.lock-timeout=20s",
                "cacheops.default-timeout=30m", "cacheops.max-rows=500", "cacheops.max-bytes=2MB",
                "cacheops.bulk-rows=50", "cacheops.in-list-limit=8", "cacheops.local.max-bytes=16MB",
                "cacheops.safe-functions=lower,upper", "cacheops.disabled=audit_log,tmp_*",
                "cacheops.profiles.post.ops=get,fetch", "cacheops.profiles.post.timeout=15m",
                "cacheops.profiles.post.lock-wait=200ms", "cacheops.profiles.category.ops=all",
                "cacheops.profiles.tag.ops=").run(context -> {
            assertThat(context).hasNotFailed();
            CacheopsProperties p = context.getBean(CacheopsProperties.class);
            assertThat(p.getPrefix()).isEqualTo("shop");
            assertThat(p.getConsistency()).isEqualTo(Consistency.RELAXED);
            assertThat(p.getRedis().getTimeout()).isEqualTo(Duration.ofMillis(250));
            assertThat(p.getRedis().getConnectTimeout()).isEqualTo(Duration.ofSeconds(2));
            assertThat(p.getRedis().getPoolSize()).isEqualTo(8);
            assertThat(p.getRedis().getSsl().getTrustedCa()).isEqualTo("/etc/redis/ca.pem");
            assertThat(p.getLockTimeout()).isEqualTo(Duration.ofSeconds(20));
            assertThat(p.getDefaultTimeout()).isEqualTo(Duration.ofMinutes(30));
            assertThat(p.getMaxRows()).isEqualTo(500);
            assertThat(p.getMaxBytes()).isEqualTo(DataSize.ofMegabytes(2));
            assertThat(p.getBulkRows()).isEqualTo(50);
            assertThat(p.getInListLimit()).isEqualTo(8);
            assertThat(p.getLocal().getMaxBytes()).isEqualTo(DataSize.ofMegabytes(16));
            assertThat(p.getSafeFunctions()).containsExactly("lower", "upper");
            assertThat(p.getDisabled()).containsExactly("audit_log", "tmp_*");
            assertThat(p.getProfiles().get("post").getOps()).containsExactly(ProfileOp.GET, ProfileOp.FETCH);
            assertThat(p.getProfiles().get("post").getTimeout()).isEqualTo(Duration.ofMinutes(15));
            assertThat(p.getProfiles().get("post").getLockWait()).isEqualTo(Duration.ofMillis(200));
            assertThat(CacheopsFactory.ops(p.getProfiles().get("category").getOps())).isEqualTo(Op.ALL);
            assertThat(CacheopsFactory.ops(p.getProfiles().get("tag").getOps())).isEmpty();
        });
    }

    @Test
    void bracketFormKeepsUnderscoresDotsAndStarsInPatterns() {
        runner.withPropertyValues("cacheops.profiles[auth_user].ops=get",
                "cacheops.profiles[public.blog_*].ops=count").run(context -> {
            assertThat(context).hasNotFailed();
            CacheopsProperties p = context.getBean(CacheopsProperties.class);
            assertThat(p.getProfiles()).containsOnlyKeys("auth_user", "public.blog_*");
            assertThat(CacheopsFactory.ops(p.getProfiles().get("auth_user").getOps())).isEqualTo(EnumSet.of(Op.GET));
            assertThat(CacheopsFactory.ops(p.getProfiles().get("public.blog_*").getOps())).isEqualTo(EnumSet.of(Op.COUNT));
        });
    }

    /** The pitfall the README warns about: without brackets, '*' is dropped and '.' splits the key. */
    @Test
    void plainKeysLoseStarsAndDots() {
        runner.withPropertyValues("cacheops.profiles.blog_*.ops=get", "cacheops.profiles.public.post.ops=get")
                .run(context -> assertThat(context.getBean(CacheopsProperties.class).getProfiles())
                        .containsOnlyKeys("blog_"));
    }

    @Test
    void badValuesFailStartUpNamingTheProperty() {
        expectFailure("cacheops.redis.timeout=soon", "cacheops.redis.timeout");
        expectFailure("cacheops.consistency=eventual", "cacheops.consistency");
        expectFailure("cacheops.failure-mode=explode", "cacheops.failure-mode");
        expectFailure("cacheops.max-bytes=lots", "cacheops.max-bytes");
        expectFailure("cacheops.profiles[post].ops=get,scan", "cacheops.profiles[post].ops");
        expectFailure("cacheops.max-rows=0", "cacheops.max-rows");
        expectFailure("cacheops.lock-timeout=0s", "cacheops.lock-timeout");
        expectFailure("cacheops.local.max-bytes=10B", "cacheops.local.max-bytes");
        expectFailure("cacheops.profiles[post].timeout=-5m", "cacheops.profiles[post]");
    }

    @Test
    void failWritesNeedsStrictConsistency() {
        runner.withPropertyValues("cacheops.failure-mode=fail-writes", "cacheops.consistency=relaxed")
                .run(context -> assertThat(context).getFailure().hasMessageContaining("cacheops.failure-mode"));
        runner.withPropertyValues("cacheops.failure-mode=fail-writes").run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void nearCacheAndChangeStreamProperties() {
        runner.withPropertyValues("cacheops.near-cache.max-bytes=16MB")
                .run(context -> assertThat(context).getFailure().hasMessageContaining("cacheops.near-cache.max-bytes")
                        .hasMessageContaining("needs a Redis store"));
        runner.withPropertyValues("cacheops.change-stream.url=jdbc:h2:mem:x")
                .run(context -> assertThat(context).getFailure().hasMessageContaining("cacheops.change-stream.url"));
    }

    @Test
    void disabledBuildsNothing() {
        runner.withPropertyValues("cacheops.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(Cacheops.class)
                        .doesNotHaveBean(CacheopsDataSourceWrapper.class));
    }

    @Test
    void redisFallsBackToSpringDataRedisThenToTheInProcessStore() {
        CacheopsProperties own = new CacheopsProperties();
        assertThat(RedisUrl.resolve(own, new StandardEnvironment())).isNull();
        MockEnvironment env = new MockEnvironment().withProperty("spring.data.redis.url", "redis://cache:6380/2");
        assertThat(RedisUrl.resolve(own, env)).isEqualTo("redis://cache:6380/2");
        env = new MockEnvironment().withProperty("spring.data.redis.host", "cache")
                .withProperty("spring.data.redis.username", "app").withProperty("spring.data.redis.password", "p@ss")
                .withProperty("spring.data.redis.database", "3").withProperty("spring.data.redis.ssl.enabled", "true");
        assertThat(RedisUrl.resolve(own, env)).isEqualTo("rediss://app:p%40ss@cache:6379/3");
        own.getRedis().setUrl("redis://mine:6379/1");
        assertThat(RedisUrl.resolve(own, env)).isEqualTo("redis://mine:6379/1");
    }

    @Test
    void sentinelThenClusterThenUrlAsSpringBootPrefersThem() {
        CacheopsProperties own = new CacheopsProperties();
        MockEnvironment env = new MockEnvironment().withProperty("spring.data.redis.url", "redis://cache:6380/2")
                .withProperty("spring.data.redis.cluster.nodes", "n1:7000, n2:7001,")
                .withProperty("spring.data.redis.username", "app").withProperty("spring.data.redis.password", "pw");
        assertThat(RedisUrl.resolve(own, env)).isEqualTo("redis-cluster://app:pw@n1:7000,n2:7001");
        env.setProperty("spring.data.redis.ssl.enabled", "true");
        assertThat(RedisUrl.resolve(own, env)).isEqualTo("rediss-cluster://app:pw@n1:7000,n2:7001");
        env.setProperty("spring.data.redis.sentinel.master", "mymaster");
        env.setProperty("spring.data.redis.sentinel.nodes", "s1:26379,s2:26379");
        env.setProperty("spring.data.redis.database", "4");
        assertThat(RedisUrl.resolve(own, env)).isEqualTo("rediss-sentinel://app:pw@s1:26379,s2:26379/4#mymaster");
        env.setProperty("spring.data.redis.sentinel.password", "other");
        assertThatThrownBy(() -> RedisUrl.resolve(own, env)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cacheops.redis.url");
        MockEnvironment bad = new MockEnvironment().withProperty("spring.data.redis.cluster.nodes", "n1");
        assertThatThrownBy(() -> RedisUrl.resolve(own, bad)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("host:port");
    }

    @Test
    void configurationMetadataIsGenerated() throws Exception {
        try (var in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).isNotNull();
            String json = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            for (String key : List.of("cacheops.enabled", "cacheops.prefix", "cacheops.consistency",
                    "cacheops.failure-mode", "cacheops.redis.url", "cacheops.redis.timeout",
                    "cacheops.redis.connect-timeout", "cacheops.redis.pool-size", "cacheops.redis.ssl.trusted-ca",
                    "cacheops.lock-timeout",
                    "cacheops.default-timeout",
                    "cacheops.max-rows", "cacheops.max-bytes", "cacheops.bulk-rows", "cacheops.in-list-limit",
                    "cacheops.local.max-bytes", "cacheops.safe-functions", "cacheops.profiles", "cacheops.disabled")) {
                assertThat(json).as(key).contains("\"name\": \"" + key + "\"");
            }
        }
        assertThat(Set.of()).isEmpty();
    }

    private void expectFailure(String property, String named) {
        runner.withPropertyValues(property).run(context -> {
            assertThat(context).hasFailed();
            StringBuilder messages = new StringBuilder();
            for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
                messages.append(t.getMessage()).append('\n');
            }
            assertThat(messages.toString()).as(property).contains(named);
        });
    }
}
