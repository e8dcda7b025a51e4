package dev.cacheops.store;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import redis.clients.jedis.JedisSocketFactory;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * Opens one pooled connection's socket over a blocking {@link SocketChannel}, so that once the
 * connection reads with no socket timeout, each read is one blocking system call; and closes it
 * from another thread when a call overruns ({@link #abort}).
 *
 * <p>Why not Jedis' own sockets: a JDK {@link Socket} connected or read with a timeout is switched
 * to non-blocking mode for good, and every read is then a {@code read} that finds nothing, a
 * {@code poll} and a {@code read} again. On the benchmark machine that was a fifth of the JVM CPU
 * of a pooled {@code GET} (docs/PERFORMANCE.md, "Reads without a socket timeout"). A channel's
 * socket goes back to blocking mode after a timed connect or read, so the handshake keeps its
 * timeout and the reads after it need none; {@link CallDeadlines} bounds each call instead.
 *
 * <p>Socket options as Jedis sets them (keep-alive, no Nagle delay, a reset on close). With TLS the
 * channel's socket is wrapped in an {@link SSLSocket} that verifies the host name. One instance per
 * connection: it remembers the channel it opened.
 */
final class ChannelSocket implements JedisSocketFactory {
    private final String host;
    private final int port;
    private final int timeoutMillis;
    private final SSLSocketFactory tls;
    private volatile SocketChannel channel;

    /**
     * @param timeoutMillis the longest the TCP connect to one address may take, and the socket
     *                      timeout until the connection turns it off (the handshake's)
     * @param tls           null for plain TCP
     */
    ChannelSocket(String host, int port, int timeoutMillis, SSLSocketFactory tls) {
        this.host = host;
        this.port = port;
        this.timeoutMillis = timeoutMillis;
        this.tls = tls;
    }

    /** Connects to the first of the host's addresses that accepts, as Jedis does. */
    @Override
    public Socket createSocket() {
        IOException last = null;
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (IOException e) {
            throw new JedisConnectionException("cannot resolve " + host + ": " + e, e);
        }
        for (InetAddress address : addresses) {
            SocketChannel c = null;
            try {
                c = SocketChannel.open();
                Socket s = c.socket();
                s.setReuseAddress(true);
                s.setKeepAlive(true);
                s.setTcpNoDelay(true);
                s.setSoLinger(true, 0);
                s.connect(new InetSocketAddress(address, port), timeoutMillis);
                s.setSoTimeout(timeoutMillis);
                channel = c;
                return tls == null ? s : secure(s);
            } catch (IOException e) {
                closeQuietly(c);
                last = e;
            }
        }
        throw new JedisConnectionException("cannot connect to " + host + ":" + port + ": " + last, last);
    }

    private Socket secure(Socket plain) throws IOException {
        SSLSocket s = (SSLSocket) tls.createSocket(plain, host, port, true);
        s.setSSLParameters(RedisTls.sslParameters());
        s.startHandshake();
        return s;
    }

    /**
     * Closes the channel, from any thread: a read or write blocked on it fails at once. Beneath
     * TLS, not through it: closing the {@link SSLSocket} would first wait to write its close
     * notice, behind the very write that may be stuck.
     */
    void abort() {
        closeQuietly(channel);
    }

    private static void closeQuietly(SocketChannel c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing for good: nothing is lost with it
            }
        }
    }
}
