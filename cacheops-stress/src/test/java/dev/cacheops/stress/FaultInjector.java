package dev.cacheops.stress;

import dev.cacheops.testing.RedisCommand;
import dev.cacheops.testing.RedisProcess;

/**
 * Breaks a {@code redis-server} that the test started itself ({@link RedisProcess}); never the
 * shared one. Kill (SIGKILL), restart empty, pause (SIGSTOP/SIGCONT), and slow it down with
 * {@code CLIENT PAUSE} or {@code DEBUG SLEEP}. Not thread-safe.
 */
final class FaultInjector {
    private final RedisProcess redis;

    FaultInjector(RedisProcess redis) {
        this.redis = redis;
    }

    void kill() {
        redis.kill();
    }

    /** Starts it again on the same port, empty (no persistence). */
    void restart() {
        redis.restart();
    }

    void pause() {
        redis.pause();
    }

    void resume() {
        redis.resume();
    }

    /** {@code CLIENT PAUSE millis ALL}: every client's commands wait that long. */
    void clientPause(long millis) {
        cli(redis.port(), 10, "CLIENT", "PAUSE", Long.toString(millis), "ALL");
    }

    /**
     * {@code DEBUG SLEEP seconds}: the server blocks. Sent in the background (the reply comes
     * only when the sleep ends); returns at once.
     */
    void debugSleep(double seconds) {
        RedisCommand.send(redis.port(), "DEBUG", "SLEEP", Double.toString(seconds));
    }

    /**
     * One command on {@code port}, its reply as {@code redis-cli} would print it (bounded wait), or
     * a line saying it could not connect.
     * Through a socket, not {@code redis-cli}, which a machine with only the embedded Redis lacks.
     */
    static String cli(int port, long timeoutSeconds, String... args) {
        try {
            return RedisCommand.call(port, timeoutSeconds * 1000, args);
        } catch (IllegalStateException e) {
            // Like redis-cli, which printed "Could not connect ..." and returned: callers poll a
            // server that is still starting.
            return "could not reach port " + port + ": " + e.getMessage();
        }
    }
}
