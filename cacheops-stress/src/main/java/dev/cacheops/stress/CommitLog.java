package dev.cacheops.stress;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * The clock of the checker, on one thread's own raw (uncached) connection: {@link #ticket()} for a
 * reader before it reads, {@link #committed} for a writer after its commit has returned. Both take
 * their ticket from the PostgreSQL sequence {@code tick}, which orders them in real time across
 * every JVM. Not thread-safe: one per thread; close it.
 */
public final class CommitLog implements AutoCloseable {
    private final Connection connection;
    private final int jvm;
    private final PreparedStatement ticket;
    private final PreparedStatement[] inserts = new PreparedStatement[8];

    public CommitLog(Connection raw, int jvm) throws SQLException {
        this.connection = raw;
        this.jvm = jvm;
        this.ticket = raw.prepareStatement("select nextval('tick')");
    }

    /** A ticket taken now: any commit recorded with a smaller ticket returned before this call. */
    public long ticket() throws SQLException {
        try (ResultSet rs = ticket.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Records rows whose commit has returned (call it only after {@code commit()} or an auto-commit
     * {@code executeUpdate} returned): each gets a ticket larger than that of any read which
     * started before this call.
     *
     * @param ids       the rows
     * @param versions  the version each row has in the committed transaction
     * @param atMicros  wall-clock micros when the commit returned, for reporting windows only
     */
    public void committed(int[] ids, long[] versions, long atMicros) throws SQLException {
        PreparedStatement ps = insert(ids.length);
        int p = 1;
        for (int i = 0; i < ids.length; i++) {
            ps.setInt(p++, ids[i]);
            ps.setLong(p++, versions[i]);
            ps.setLong(p++, atMicros);
            ps.setInt(p++, jvm);
        }
        ps.executeUpdate();
    }

    /** Wall-clock now in microseconds (the same clock in every JVM of one host). */
    public static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    private PreparedStatement insert(int rows) throws SQLException {
        if (rows < 1 || rows > inserts.length) {
            throw new IllegalArgumentException("1 to " + inserts.length + " rows per commit, was " + rows);
        }
        if (inserts[rows - 1] == null) {
            StringBuilder sql = new StringBuilder("insert into commit_log (id, version, at_us, jvm, ticket) values ");
            for (int i = 0; i < rows; i++) {
                sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, nextval('tick'))");
            }
            inserts[rows - 1] = connection.prepareStatement(sql.toString());
        }
        return inserts[rows - 1];
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
