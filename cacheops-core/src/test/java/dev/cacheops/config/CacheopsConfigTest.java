package dev.cacheops.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@code cacheops.*} keys, their value formats, and the errors that name a bad key. */
class CacheopsConfigTest {

    @ParameterizedTest(name = "{0} -> {1} ms")
    @CsvSource({
            "100ms, 100",
            "250, 250",
            "15s, 15000",
            "15m, 900000",
            "1h, 3600000",
            "2d, 172800000",
            "PT15M, 900000",
            "pt1.5s, 1500",
            "' 3 s ', 3000",
            "2000us, 2",
    })
    void durations(String text, long millis) {
        assertThat(Values.duration("k", text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "8388608, 8388608",
            "1024B, 1024",
            "512KB, 524288",
            "8MB, 8388608",
            "8mb, 8388608",
            "1GB, 1073741824",
    })
    void dataSizes(String text, long bytes) {
        assertThat(Values.dataSize("k", text)).isEqualTo(bytes);
    }

    /** Every scalar key, the value given, and what the builder then says about it. */
    static Stream<Arguments> settings() {
        return Stream.of(
                Arguments.of("cacheops.prefix", "blog", "prefix=blog"),
                Arguments.of("cacheops.consistency", "relaxed", "consistency=RELAXED"),
                Arguments.of("cacheops.failure-mode", "fail-writes", "failureMode=FAIL_WRITES"),
                Arguments.of("cacheops.redis.url", "redis://127.0.0.1:6379/2", "store=redis://127.0.0.1:6379/2"),
                Arguments.of("cacheops.redis.url", "redis://u:secret@h:6379", "store=redis://***@h:6379"),
                Arguments.of("cacheops.redis.url", "", "store=in-process"),
                Arguments.of("cacheops.redis.timeout", "250ms", "redisTimeout=PT0.25S"),
                Arguments.of("cacheops.redis.connect-timeout", "PT3S", "redisConnectTimeout=PT3S"),
                Arguments.of("cacheops.redis.pool-size", "8", "redisPoolSize=8"),
                Arguments.of("cacheops.redis.ssl.trusted-ca", "/etc/redis/ca.pem", "redisTrustedCa=/etc/redis/ca.pem"),
                Arguments.of("cacheops.lock-timeout", "30s", "lockTimeout=PT30S"),
                Arguments.of("cacheops.default-timeout", "2h", "defaultTimeout=PT2H"),
                Arguments.of("cacheops.max-rows", "500", "maxRows=500"),
                Arguments.of("cacheops.max-bytes", "1MB", "maxBytes=1048576"),
                Arguments.of("cacheops.bulk-rows", "50", "bulkRows=50"),
                Arguments.of("cacheops.rows-from-results", "false", "rowsFromResults=false"),
                Arguments.of("cacheops.in-list-limit", "8", "inListLimit=8"),
                Arguments.of("cacheops.local.max-bytes", "16MB", "localMaxBytes=16777216"),
                Arguments.of("cacheops.safe-functions", "f1, My_F2", "safeFunctions=[f1, my_f2]"),
                Arguments.of("cacheops.disabled", "audit_log,tmp_*",
                        "Profile[pattern=audit_log, ops=[], timeout=PT0S, disabled=true"),
                Arguments.of("cacheops.enabled", "false", "prefix=cacheops"),
                Arguments.of("cacheops.stats-log-interval", "1m", "statsLogInterval=PT1M"),
                Arguments.of("cacheops.repeatable-read", "serve-committed", "serveCommittedInRepeatableRead=true"),
                Arguments.of("cacheops.repeatable-read", "pass", "serveCommittedInRepeatableRead=false"),
                Arguments.of("other.key", "anything", "prefix=cacheops"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("settings")
    void eachKeyReachesTheBuilder(String key, String value, String expected) {
        assertThat(CacheopsConfig.fromProperties(Map.of(key, value)).toString()).contains(expected);
    }

    @Test
    void profilesWithDotsBracketsAndDefaults() {
        String built = CacheopsConfig.fromProperties(Map.of(
                "cacheops.profiles.post.ops", "all",
                "cacheops.profiles.post.timeout", "15m",
                "cacheops.profiles.post.lock-wait", "200ms",
                "cacheops.profiles.public.category.ops", "get",
                "cacheops.profiles.[*].ops", "count",
                "cacheops.profiles.[*].timeout", "5m",
                "cacheops.profiles.manual.ops", "",
                "cacheops.default-timeout", "2h")).toString();
        assertThat(built)
                .contains("pattern=post, ops=[")
                .containsPattern("pattern=post, ops=\\[(\\w+(, )?){5}], timeout=PT15M, disabled=false, lockWait=PT0.2S")
                .contains("pattern=public.category, ops=[GET], timeout=PT2H")
                .contains("pattern=*, ops=[COUNT], timeout=PT5M")
                .contains("pattern=manual, ops=[], timeout=PT2H");
    }

    @Test
    void nearCacheAndChangeStreamKeys() {
        String built = CacheopsConfig.fromProperties(Map.of(
                "cacheops.near-cache.max-bytes", "64MB",
                "cacheops.change-stream.url", "jdbc:postgresql://db/app",
                "cacheops.change-stream.slot", "app_cache")).toString();
        assertThat(built).contains("nearCache=67108864").contains("changeStream=app_cache");
        assertThat(CacheopsConfig.fromProperties(Map.of("cacheops.change-stream.url", "jdbc:postgresql://db/app"))
                .toString()).as("the default slot and lag bound").contains("changeStream=cacheops")
                .contains("changeStreamMaxLag=PT1M");
        assertThat(CacheopsConfig.fromProperties(Map.of("cacheops.change-stream.url", "jdbc:postgresql://db/app",
                "cacheops.change-stream.max-lag", "5s")).toString()).contains("changeStreamMaxLag=PT5S");
    }

    @Test
    void enabledDefaultsToTrue() {
        assertThat(CacheopsConfig.enabled(Map.of())).isTrue();
        assertThat(CacheopsConfig.enabled(Map.of("cacheops.enabled", "FALSE"))).isFalse();
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "cacheops.redis.timeout|fast|cacheops.redis.timeout: expected a duration",
            "cacheops.lock-timeout|0s|cacheops.lock-timeout: expected a positive duration, was '0s'",
            "cacheops.max-rows|many|cacheops.max-rows: expected a whole number, was 'many'",
            "cacheops.max-rows|0|cacheops.max-rows: expected a whole number of at least 1, was '0'",
            "cacheops.redis.pool-size|0|cacheops.redis.pool-size: expected a whole number of at least 1, was '0'",
            "cacheops.max-bytes|8 parsecs|cacheops.max-bytes: expected a data size",
            "cacheops.max-bytes|10|cacheops.max-bytes: expected a data size of at least 1024 bytes",
            "cacheops.consistency|eventual|cacheops.consistency: expected one of strict, relaxed, was 'eventual'",
            "cacheops.failure-mode|panic|cacheops.failure-mode: expected one of degrade, fail-writes",
            "cacheops.enabled|yes|cacheops.enabled: expected true or false, was 'yes'",
            "cacheops.profiles.post.ops|get,list|cacheops.profiles.post.ops: expected a comma list",
            "cacheops.profiles.post.timeout|-5s|cacheops.profiles.post.timeout: expected a positive duration",
            "cacheops.profiles.post.ttl|5s|unknown key cacheops.profiles.post.ttl",
            "cacheops.profiles.ops|all|unknown key cacheops.profiles.ops",
            "cacheops.repeatable-read|true|cacheops.repeatable-read: expected pass or serve-committed, was 'true'",
            "cacheops.stats-log-interval|0|cacheops.stats-log-interval: expected a positive duration",
            "cacheops.prefix|' '|cacheops.prefix: expected a non-empty key prefix",
            "cacheops.redis-url|redis://x|unknown key cacheops.redis-url (value 'redis://x')",
            "cacheops.near-cache.max-bytes|10|cacheops.near-cache.max-bytes: expected 0 (no near cache) or a data size",
            "cacheops.change-stream.slot|s|cacheops.change-stream.slot: expected set together with cacheops.change-stream.url",
            "cacheops.change-stream.max-lag|soon|cacheops.change-stream.max-lag: expected",
    })
    void badInputNamesTheKeyAndValue(String key, String value, String message) {
        assertThatThrownBy(() -> CacheopsConfig.fromProperties(Map.of(key, value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

}
