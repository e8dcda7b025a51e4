package dev.cacheops.stress;

import dev.cacheops.testing.RedisProcess;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Breaks a {@code redis-server} that the test started itself ({@link RedisProcess}); never the
 * shared one. Kill (SIGKILL), restart empty, pause (SIGSTOP/SIGCONT), and slow it down with
 * {@code CLIENT PAUSE} or {@code DEBUG SLEEP} through {@code redis-cli}. Not thread-safe.
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
     * {@code DEBUG SLEEP seconds}: the server blocks. Started in the background (redis-cli waits for
     * the sleep to end); returns at once.
     */
    Process debugSleep(double seconds) {
        try {
            return new ProcessBuilder("redis-cli", "-p", Integer.toString(redis.port()), "DEBUG", "SLEEP",
                    Double.toString(seconds)).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run redis-cli", e);
        }
    }

    /** Runs {@code redis-cli -p port args...} and returns its output (bounded wait). */
    static String cli(int port, long timeoutSeconds, String... args) {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("redis-cli " + String.join(" ", args) + " did not end");
            }
            return new String(p.getInputStream().readAllBytes()).trim();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run redis-cli", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
