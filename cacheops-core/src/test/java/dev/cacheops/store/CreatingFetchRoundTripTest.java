package dev.cacheops.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;

/**
 * The creating fetch ({@link BlockingReads#createAndRead}) is one round trip: against a server that
 * answers nothing before the {@code EXEC} has arrived, it still completes. Jedis' own
 * {@code Transaction.exec()} waits for the {@code QUEUED} replies before it sends {@code EXEC},
 * and so would wait here until its socket timed out.
 */
class CreatingFetchRoundTripTest {

    @Test
    void creatingFetchSendsExecBeforeReadingAnyReply() throws Exception {
        Lookup lookup = new Lookup("p:q:1", List.of("p:epoch", "p:conj:t:id=1"),
                List.of(new Lookup.SchemeRef("p:schemes:t", "id")), List.of("p:wip:t"));
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<List<String>> received = CompletableFuture.supplyAsync(() -> answerAfterExec(server));
            DefaultJedisClientConfig config = DefaultJedisClientConfig.builder().socketTimeoutMillis(5_000)
                    .protocol(RedisProtocol.RESP2).clientSetInfoConfig(ClientSetInfoConfig.DISABLED).build();
            try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", server.getLocalPort()), config)) {
                long start = System.nanoTime();
                Fetched f = BlockingReads.createAndRead(jedis, new Keys("p"), lookup, "base", 60_000);
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(4_000);
                assertThat(new String(f.entry(), StandardCharsets.UTF_8)).isEqualTo("entry");
                assertThat(f.stamps()).extracting(v -> new String(v, StandardCharsets.UTF_8))
                        .containsExactly("e:1", "c:2");
                assertThat(f.locked()).isFalse();
                assertThat(f.quiet()).isNotNull();
                assertThat(f.quiet().stampTtls()).containsExactly(1_000L, 2_000L);
            }
            assertThat(received.get(5, TimeUnit.SECONDS)).containsExactly("MULTI", "SADD", "SET", "SET", "MGET",
                    "ZCARD", "HVALS", "PTTL", "PTTL", "EXEC");
        }
    }

    /**
     * Reads commands until {@code EXEC} (answering only the handshake's {@code HELLO} at once), then
     * answers all of them: the stamps existed, no writer is
     * in progress. Returns the command names in the order they came.
     */
    private static List<String> answerAfterExec(ServerSocket server) {
        try (Socket s = server.accept(); InputStream in = new BufferedInputStream(s.getInputStream());
             OutputStream out = s.getOutputStream()) {
            List<String> names = new ArrayList<>();
            while (names.isEmpty() || !names.get(names.size() - 1).equals("EXEC")) {
                String name = readCommand(in).toUpperCase(java.util.Locale.ROOT);
                if (name.equals("HELLO")) { // the connection's handshake, answered at once
                    out.write("*2\r\n$5\r\nproto\r\n:2\r\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                } else {
                    names.add(name);
                }
            }
            StringBuilder reply = new StringBuilder("+OK\r\n");
            reply.append("+QUEUED\r\n".repeat(names.size() - 2));
            reply.append("*8\r\n")
                    .append(":0\r\n") // SADD: known already
                    .append("$-1\r\n$-1\r\n") // SET NX twice: both stamps existed
                    .append("*3\r\n$5\r\nentry\r\n$3\r\ne:1\r\n$3\r\nc:2\r\n") // MGET
                    .append(":0\r\n") // ZCARD
                    .append("*0\r\n") // HVALS
                    .append(":1000\r\n:2000\r\n"); // PTTL twice
            out.write(reply.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return names;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One RESP array of bulk strings; returns its first element, the command's name. */
    private static String readCommand(InputStream in) throws IOException {
        int n = Integer.parseInt(line(in).substring(1));
        String name = null;
        for (int i = 0; i < n; i++) {
            int len = Integer.parseInt(line(in).substring(1));
            byte[] arg = in.readNBytes(len + 2);
            if (i == 0) {
                name = new String(arg, 0, len, StandardCharsets.UTF_8);
            }
        }
        return name;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("closed");
            }
            b.append((char) c);
        }
        in.read(); // '\n'
        return b.toString();
    }
}
