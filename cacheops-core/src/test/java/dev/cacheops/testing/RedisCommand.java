package dev.cacheops.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One Redis command on a loopback port over a plain socket, in place of {@code redis-cli} (which
 * the embedded Redis jar does not ship). The reply is rendered like {@code redis-cli}'s raw
 * output: a status, number or bulk string as its text, an error as its message, arrays one
 * element per line (nested arrays flattened). Stateless; thread-safe.
 */
public final class RedisCommand {
    private RedisCommand() {
    }

    /**
     * Sends {@code args} as one command to 127.0.0.1:{@code port} and returns the reply as text.
     *
     * @throws IllegalStateException when the server does not answer within {@code timeoutMillis}
     */
    public static String call(int port, long timeoutMillis, String... args) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), (int) Math.min(timeoutMillis, 2000));
            s.setSoTimeout((int) timeoutMillis);
            OutputStream out = s.getOutputStream();
            StringBuilder b = new StringBuilder().append('*').append(args.length).append("\r\n");
            for (String a : args) {
                byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
                b.append('$').append(bytes.length).append("\r\n").append(a).append("\r\n");
            }
            out.write(b.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            List<String> lines = new ArrayList<>();
            read(new BufferedInputStream(s.getInputStream()), lines);
            return String.join("\n", lines).trim();
        } catch (IOException e) {
            throw new IllegalStateException("redis " + String.join(" ", args) + " on port " + port + ": " + e, e);
        }
    }

    /**
     * Sends a command without waiting for its reply, from a daemon thread (for commands that
     * block the server, like {@code DEBUG SLEEP}); returns at once.
     */
    public static void send(int port, String... args) {
        Thread t = new Thread(() -> {
            try {
                call(port, 60_000, args);
            } catch (IllegalStateException e) {
                // the caller does not wait for the answer
            }
        }, "redis-command");
        t.setDaemon(true);
        t.start();
    }

    private static void read(InputStream in, List<String> lines) throws IOException {
        int type = in.read();
        String line = line(in);
        switch (type) {
            case '+', '-', ':' -> lines.add(line);
            case '$' -> {
                int n = Integer.parseInt(line);
                if (n >= 0) {
                    byte[] data = in.readNBytes(n);
                    in.readNBytes(2);
                    lines.add(new String(data, StandardCharsets.UTF_8));
                }
            }
            case '*' -> {
                int n = Integer.parseInt(line);
                for (int i = 0; i < n; i++) {
                    read(in, lines);
                }
            }
            default -> throw new IOException("unexpected reply type " + type);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\r') {
            b.append((char) c);
        }
        in.read(); // '\n'
        return b.toString();
    }
}
