package dev.cacheops.stress;

import dev.cacheops.testing.RedisBinaries;
import dev.cacheops.testing.RedisProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A Redis Sentinel on a free loopback port, monitoring one master as {@code mymaster} with a quorum
 * of one and short timeouts, started by the test ({@code redis-server <conf> --sentinel}; Sentinel
 * rewrites its config file, so it gets a temporary one). Always {@link #close()} it.
 */
final class SentinelProcess implements AutoCloseable {
    static final String MASTER = "mymaster";
    private final int port;
    private final Process process;
    private final Path dir;

    private SentinelProcess(int port, Process process, Path dir) {
        this.port = port;
        this.process = process;
        this.dir = dir;
    }

    static SentinelProcess start(int masterPort) throws IOException {
        int port = RedisProcess.freePort();
        Path dir = Files.createTempDirectory("cacheops-sentinel");
        Path conf = dir.resolve("sentinel.conf");
        Files.writeString(conf, String.join("\n",
                "port " + port,
                "bind 127.0.0.1",
                "dir " + dir,
                "sentinel monitor " + MASTER + " 127.0.0.1 " + masterPort + " 1",
                "sentinel down-after-milliseconds " + MASTER + " 1000",
                "sentinel failover-timeout " + MASTER + " 5000",
                "sentinel parallel-syncs " + MASTER + " 1", ""));
        Process p = new ProcessBuilder(RedisBinaries.server(), conf.toString(), "--sentinel")
                .redirectErrorStream(true).redirectOutput(dir.resolve("sentinel.log").toFile()).start();
        SentinelProcess s = new SentinelProcess(port, p, dir);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (masterPort(s) == masterPort) {
                return s;
            }
            RedisProcess.sleep(100);
        }
        s.close();
        throw new IllegalStateException("sentinel did not come up on port " + port);
    }

    int port() {
        return port;
    }

    /** The Lettuce URI that finds the master through this Sentinel. */
    String uri() {
        return "redis-sentinel://127.0.0.1:" + port + "#" + MASTER;
    }

    /** The port of the master this Sentinel currently names, or -1. */
    int masterPort() {
        return masterPort(this);
    }

    private static int masterPort(SentinelProcess s) {
        String out = FaultInjector.cli(s.port, 5, "SENTINEL", "get-master-addr-by-name", MASTER);
        String[] lines = out.split("\\s+");
        try {
            return lines.length >= 2 ? Integer.parseInt(lines[1]) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Waits (bounded) until Sentinel has discovered a replica of the master (it polls INFO every 10 s). */
    boolean awaitReplicaKnown(int replicaPort, long timeoutMillis) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (System.nanoTime() < deadline) {
            String out = FaultInjector.cli(port, 5, "SENTINEL", "replicas", MASTER);
            if (out.contains(Integer.toString(replicaPort))) {
                return true;
            }
            RedisProcess.sleep(200);
        }
        return false;
    }

    /** Waits (bounded) until Sentinel names {@code port} as the master; returns the milliseconds waited or -1. */
    long awaitMaster(int port, long timeoutMillis) {
        long start = System.nanoTime();
        while (System.nanoTime() - start < timeoutMillis * 1_000_000L) {
            if (masterPort() == port) {
                return (System.nanoTime() - start) / 1_000_000;
            }
            RedisProcess.sleep(50);
        }
        return -1;
    }

    /** Sentinel's log, for a failure message. */
    String log() throws IOException {
        return Files.readString(dir.resolve("sentinel.log"));
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
