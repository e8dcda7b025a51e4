package dev.cacheops.demo;

import java.sql.SQLException;
import org.h2.tools.Server;

/**
 * An H2 TCP server on a free loopback port, holding the demo's in-memory database, so every
 * query crosses a socket as it would to a real database server. On embedded in-memory H2 a
 * primary-key lookup costs about a microsecond, less than any cache lookup, which made the
 * default demo's speedup meaningless; a loopback round trip is the smallest honest stand-in for
 * a database server. Stopped by {@link #close()}.
 */
final class H2Server implements AutoCloseable {
    private final Server server;

    private H2Server(Server server) {
        this.server = server;
    }

    /**
     * Starts the server on an ephemeral port. H2 listens on the loopback interface only when
     * {@code h2.bindAddress} is set before its classes load, which {@link Demo#main} does; without
     * {@code -tcpAllowOthers} it refuses remote clients either way.
     */
    static H2Server start() throws SQLException {
        // -ifNotExists: the in-memory database is created by the first remote connection.
        Server s = Server.createTcpServer("-tcpPort", "0", "-ifNotExists").start();
        return new H2Server(s);
    }

    /** The JDBC URL of the demo database on this server. */
    String url() {
        return "jdbc:h2:tcp://127.0.0.1:" + server.getPort() + "/mem:demo;DB_CLOSE_DELAY=-1";
    }

    @Override
    public void close() {
        server.stop();
    }
}
