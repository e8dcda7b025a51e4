package dev.cacheops.stress;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The tables of a stress run, in a schema of its own: {@code counter(id, version)} (the only table
 * the cache sees), {@code commit_log} (one row per committed row version, with a ticket from the
 * sequence {@code tick}), {@code barrier} (so JVMs can wait for each other) and {@code fence} (see
 * {@link StreamFence}); with {@link StressSettings#bypass()} also the run's replication slot and
 * publication. Also opens the raw,
 * uncached connections the harness uses for its own bookkeeping. Stateless; thread-safe.
 */
public final class StressSchema {
    private final StressSettings settings;

    public StressSchema(StressSettings settings) {
        this.settings = settings;
    }

    /** A data source confined to the run's schema, not wrapped: the workload wraps it. */
    public PGSimpleDataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(settings.jdbcUrl());
        ds.setUser(settings.user());
        ds.setPassword(settings.password());
        ds.setCurrentSchema(settings.schema());
        return ds;
    }

    /** A raw connection in the run's schema, auto-commit, for the harness's own statements. */
    public Connection raw() throws SQLException {
        return dataSource().getConnection();
    }

    /** Creates the schema, its tables and {@link StressSettings#rows()} counters at version 0. */
    public void create() throws SQLException {
        try (Connection c = DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password());
             Statement s = c.createStatement()) {
            s.execute("create schema " + settings.schema());
            s.execute("set search_path = " + settings.schema());
            s.execute("create table counter (id int primary key, version bigint not null)");
            // cache 1: values are handed out one by one in real-time order (the checker relies on it).
            s.execute("create sequence tick cache 1");
            s.execute("create table commit_log (id int not null, version bigint not null, ticket bigint not null,"
                    + " at_us bigint not null, jvm int not null)");
            s.execute("create table barrier (name text not null, jvm int not null, primary key (name, jvm))");
            s.execute("insert into counter select g, 0 from generate_series(1, " + settings.rows() + ") g");
            // A commit with a row change for StreamFence; in every run so that the layout does not vary.
            s.execute("create table fence (id int primary key, n bigint not null)");
            s.execute("insert into fence values (1, 0)");
            if (settings.bypass()) {
                // Created here rather than by the first JVM's change stream: the slot then exists before any
                // write, and no JVM replaces the epoch in the middle of another one's warm-up.
                // wal_level first: a publication for all tables left behind on a server that cannot
                // stream would make PostgreSQL refuse updates of every table without a key. Then the
                // publication before the slot: pgoutput looks the publication up as of each change it
                // decodes, so a write anywhere in the database between a slot and its publication (a
                // build beside the test) failed the stream for good ("publication ... does not exist").
                try (ResultSet rs = s.executeQuery("show wal_level")) {
                    if (rs.next() && !"logical".equals(rs.getString(1))) {
                        throw new SQLException("wal_level is " + rs.getString(1) + "; the bypass mode needs logical");
                    }
                }
                s.execute("create publication " + settings.slot() + " for all tables");
                s.execute("select pg_create_logical_replication_slot('" + settings.slot() + "', 'pgoutput')");
            }
        }
    }

    /**
     * Drops the run's slot and publication (a slot left behind would keep WAL forever). Waits,
     * bounded, for the last consumer's connection to end: an active slot cannot be dropped.
     */
    public void dropSlot() {
        if (!settings.bypass()) {
            return;
        }
        try (Connection c = DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password());
             Statement s = c.createStatement()) {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (true) {
                try {
                    s.execute("select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = '"
                            + settings.slot() + "'");
                    break;
                } catch (SQLException e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    sleep(200);
                }
            }
            s.execute("drop publication if exists " + settings.slot());
        } catch (SQLException e) {
            System.err.println("cannot drop replication slot " + settings.slot() + " (drop it by hand: it keeps WAL): "
                    + e);
        }
    }

    /** Drops the schema and everything in it. */
    public void drop() {
        try (Connection c = DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password());
             Statement s = c.createStatement()) {
            s.execute("drop schema if exists " + settings.schema() + " cascade");
        } catch (SQLException e) {
            System.err.println("cannot drop schema " + settings.schema() + ": " + e);
        }
    }

    /**
     * Says this JVM reached {@code name} and waits (bounded) until every JVM has.
     *
     * @return false when the others did not arrive within {@code timeout}
     */
    public boolean barrier(String name, Duration timeout) throws SQLException {
        try (Connection c = raw()) {
            try (PreparedStatement ps = c.prepareStatement("insert into barrier values (?, ?) on conflict do nothing")) {
                ps.setString(1, name);
                ps.setInt(2, settings.jvmIndex());
                ps.executeUpdate();
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            try (PreparedStatement ps = c.prepareStatement("select count(*) from barrier where name = ?")) {
                ps.setString(1, name);
                while (System.nanoTime() < deadline) {
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (rs.getInt(1) >= settings.jvms()) {
                            return true;
                        }
                    }
                    sleep(100);
                }
            }
            return false;
        }
    }

    /** The version of every counter as the database has it, by id (index 0 unused). */
    public long[] versions() throws SQLException {
        long[] v = new long[settings.rows() + 1];
        try (Connection c = raw(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select id, version from counter")) {
            while (rs.next()) {
                v[rs.getInt(1)] = rs.getLong(2);
            }
        }
        return v;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
