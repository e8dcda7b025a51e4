package dev.cacheops.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parsing of {@code redis-cluster://} URIs and the cluster key layout; no Redis needed. */
class ClusterUriTest {
    private static final Duration CONNECT = Duration.ofSeconds(1);

    @Test
    void seedsTlsAndCredentials() {
        ClusterUri u = ClusterUri.parse("rediss-cluster://app:s%40cret@10.0.0.1:7000,[::1]:7001/0", CONNECT, null, null);
        assertThat(u.tls()).isTrue();
        assertThat(u.seeds()).extracting(RedisURI::getHost).containsExactly("10.0.0.1", "::1");
        assertThat(u.seeds()).extracting(RedisURI::getPort).containsExactly(7000, 7001);
        assertThat(u.seeds()).allSatisfy(s -> assertThat(s.isSsl()).isTrue());
        RedisCredentials c = u.seeds().get(0).getCredentialsProvider().resolveCredentials().block();
        assertThat(c.getUsername()).isEqualTo("app");
        assertThat(new String(c.getPassword())).isEqualTo("s@cret");
        assertThat(u.where()).isEqualTo("rediss-cluster://10.0.0.1:7000,[::1]:7001").doesNotContain("cret");
    }

    @Test
    void builderCredentialsOverrideTheUris() {
        ClusterUri u = ClusterUri.parse("redis-cluster://x:y@h:1", CONNECT, "u", "p".toCharArray());
        RedisCredentials c = u.seeds().get(0).getCredentialsProvider().resolveCredentials().block();
        assertThat(c.getUsername()).isEqualTo("u");
        assertThat(new String(c.getPassword())).isEqualTo("p");
        assertThat(u.tls()).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "redis://h:1                       | redis-cluster://",
        "redis-cluster://h                 | host:port",
        "redis-cluster://h:1,              | host:port",
        "redis-cluster://h:x               | not a port",
        "redis-cluster://h:70000           | out of range",
        "redis-cluster://h:1/3             | database 0 only",
        "redis-cluster://:secret@h         | host:port",
    })
    void badUrisAreNamedWithoutTheirPassword(String uri, String message) {
        assertThatThrownBy(() -> ClusterUri.parse(uri, CONNECT, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("uri: ")
                .hasMessageContaining(message).hasMessageNotContaining("secret");
    }

    @Test
    void clusterSchemesAreRecognised() {
        assertThat(List.of("redis-cluster://h:1", "REDISS-CLUSTER://h:1", " redis-cluster://h:1"))
                .allMatch(ClusterStore::isClusterUri);
        assertThat(List.of("redis://h:1", "rediss://h:1", "redis-sentinel://h:1#m"))
                .noneMatch(ClusterStore::isClusterUri);
    }

    @Test
    void aNearCacheOnAClusterIsRefusedAtBuild() {
        assertThatThrownBy(() -> dev.cacheops.Cacheops.builder().redis("redis-cluster://u:secret@127.0.0.1:1")
                .consistency(dev.cacheops.Consistency.RELAXED).nearCache(1 << 20).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Redis Cluster")
                .hasMessageNotContaining("secret");
    }

    @Test
    void clusterKeysTagTheTableAndKeepTheTypeFirst() {
        Keys k = Keys.forCluster("app");
        assertThat(k.conj("public.post", List.of("a", "b"), List.of("1", "2"))).isEqualTo("app:conj:{public.post}:a=1&b=2");
        assertThat(k.schemeVersion("public.post", "a,b")).isEqualTo("app:sv:{public.post}:a,b");
        assertThat(k.schemes("public.post")).isEqualTo("app:schemes:{public.post}");
        assertThat(k.wip("public.post")).isEqualTo("app:wip:{public.post}");
        assertThat(k.entry("h")).isEqualTo("app:q:h");
        assertThat(k.epoch()).isEqualTo("app:epoch");
        Keys standalone = new Keys("app");
        assertThat(standalone.conj("public.post", List.of("a"), List.of("1"))).isEqualTo("app:conj:public.post:a=1");
        assertThat(standalone.tagsTables()).isFalse();
        assertThat(k.tagsTables()).isTrue();
    }
}
