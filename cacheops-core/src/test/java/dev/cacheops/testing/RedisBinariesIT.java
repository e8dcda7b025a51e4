package dev.cacheops.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The fallback of a machine without {@code redis-server}: the embedded Redis jar's binary for this
 * platform exists, starts, answers commands through {@link RedisCommand}, and runs as a Sentinel.
 * (Whether the PATH or the embedded binary is used by the other tests is RedisBinaries' choice;
 * this test always exercises the embedded one.)
 */
class RedisBinariesIT {

    @Test
    void theEmbeddedBinaryServesAndReplies() throws Exception {
        String bin = RedisBinaries.extractEmbeddedForTest();
        int port = RedisProcess.freePort();
        Process p = new ProcessBuilder(bin, "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            String pong = "";
            for (int i = 0; i < 100 && !pong.equals("PONG"); i++) {
                RedisProcess.sleep(50);
                try {
                    pong = RedisCommand.call(port, 1000, "PING");
                } catch (IllegalStateException notYet) {
                    // still starting
                }
            }
            assertThat(pong).isEqualTo("PONG");
            assertThat(RedisCommand.call(port, 1000, "SET", "k", "v w")).isEqualTo("OK");
            assertThat(RedisCommand.call(port, 1000, "GET", "k")).isEqualTo("v w");
            assertThat(RedisCommand.call(port, 1000, "RPUSH", "l", "a", "b")).isEqualTo("2");
            assertThat(RedisCommand.call(port, 1000, "LRANGE", "l", "0", "-1")).isEqualTo("a\nb");
            assertThat(RedisCommand.call(port, 1000, "NOSUCHCOMMAND")).startsWith("ERR");
            assertThat(RedisCommand.call(port, 1000, "INFO", "server")).contains("redis_version:6.2");
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theResourceOfThisPlatformIsInTheJar() {
        assertThat(redis.embedded.RedisServer.class.getResource("/" + RedisBinaries.resourceName())).isNotNull();
        assertThat(List.of("redis-server", RedisBinaries.server()))
                .as("the PATH's binary or an extracted absolute path").anyMatch(s -> s.equals(RedisBinaries.server()));
    }

    /**
     * The fault tests' {@code DEBUG SLEEP} works on whichever binary serves (the PATH's Redis 7 needs
     * {@code --enable-debug-command local}; the embedded 6.2 rejects that option and exits).
     */
    @Test
    void debugCommandArgsLetALocalClientSendDebugOnThisBinary() {
        try (RedisProcess redis = RedisProcess.start(RedisBinaries.debugCommandArgs())) {
            assertThat(RedisCommand.call(redis.port(), 5000, "DEBUG", "SLEEP", "0")).isEqualTo("OK");
        }
    }
}
