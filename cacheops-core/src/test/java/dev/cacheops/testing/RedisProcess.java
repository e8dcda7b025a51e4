package dev.cacheops.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} that a test starts, kills and restarts on a port of its own, so that
 * failure tests never disturb the shared Redis. The binary is the one on the PATH, else the
 * embedded Redis jar's ({@link RedisBinaries}). Always {@link #close()} it (in {@code @AfterAll}).
 */
public final class RedisProcess implements AutoCloseable {
    private final int port;
    private final List<String> extraArgs;
    private Process process;
    private Path log;

    private RedisProcess(int port, List<String> extraArgs) {
        this.port = port;
        this.extraArgs = List.copyOf(extraArgs);
    }

    /** Starts a server on a free loopback port, with extra command line options if any. */
    public static RedisProcess start(String... extraArgs) {
        return startOn(freePort(), extraArgs);
    }

    /**
     * Starts a server that speaks TLS only, on a free loopback port, with the given server
     * certificate, key and CA (client certificates not asked for); connect to {@link #tlsUri()}.
     */
    public static RedisProcess startTls(TestCertificates certs, String... extraArgs) {
        int port = freePort();
        List<String> args = new ArrayList<>(List.of("--port", "0", "--tls-port", Integer.toString(port),
                "--tls-cert-file", certs.serverCert().toString(), "--tls-key-file", certs.serverKey().toString(),
                "--tls-ca-cert-file", certs.caCert().toString(), "--tls-auth-clients", "no"));
        args.addAll(List.of(extraArgs));
        return startOn(port, args.toArray(String[]::new));
    }

    /** Starts a server on the given port. */
    public static RedisProcess startOn(int port, String... extraArgs) {
        RedisProcess p = new RedisProcess(port, List.of(extraArgs));
        p.restart();
        return p;
    }

    /** A loopback port with nothing listening (at the time of the call). */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** The URI of a server started by {@link #startTls}. */
    public String tlsUri() {
        return "rediss://127.0.0.1:" + port;
    }

    private boolean tls() {
        return extraArgs.contains("--tls-port");
    }

    public boolean running() {
        return process != null && process.isAlive();
    }

    /** (Re)starts the server on the same port and waits until it answers PING. */
    public synchronized void restart() {
        if (running()) {
            return;
        }
        // A directory of its own: started in the module directory, a server would load any
        // dump.rdb lying there (an older embedded binary exits on a newer RDB format).
        Path dir;
        try {
            dir = Files.createTempDirectory("cacheops-redis-" + port);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        log = dir.resolve("redis.log");
        List<String> command = new ArrayList<>(List.of(RedisBinaries.server(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no",
                "--dir", dir.toString()));
        command.addAll(extraArgs);
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + command.get(0), e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (pong()) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + process.exitValue() + " on port " + port
                        + ": " + tail(log));
            }
            sleep(20);
        }
        kill();
        throw new IllegalStateException("redis-server did not answer on port " + port);
    }

    /** Kills the server at once (SIGKILL), the way a crash would. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /** Freezes the server (SIGSTOP): connections stay open but nothing answers. */
    public synchronized void pause() {
        signal("-STOP");
    }

    /** Thaws a paused server (SIGCONT). */
    public synchronized void resume() {
        signal("-CONT");
    }

    private void signal(String sig) {
        if (process == null) {
            return;
        }
        try {
            new ProcessBuilder("kill", sig, Long.toString(process.pid())).start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new IllegalStateException("cannot signal redis-server", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process != null) {
            resume(); // a stopped process would ignore nothing, but be explicit before killing
        }
        kill();
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private boolean pong() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            s.setSoTimeout(500);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            if (tls()) {
                return true; // a TLS port would not answer a plain PING: accepting is enough
            }
            InputStream in = s.getInputStream();
            // +PONG, or -NOAUTH from a server with a password: either way it is up.
            int first = in.read();
            return first == '+' || first == '-';
        } catch (IOException e) {
            return false;
        }
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
