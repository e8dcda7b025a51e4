package dev.cacheops.bench.oltp;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.SplittableRandom;
import javax.sql.DataSource;

/**
 * The operations of the concurrent workload, each a pooled connection borrowed, one prepared
 * statement, every column read, as an application does it with plain JDBC. Of the reads, 40% list
 * a user's latest 20 tweets, 20% a user's followers, 20% load a user by id and 20% get a key-value
 * row; writes are in equal parts a new tweet, a key-value update and a user update. Users and keys
 * are drawn from a Zipf distribution (exponent {@value #ZIPF_EXPONENT}). Thread-safe: the state is
 * the data source and the immutable samplers; each caller brings its own random source.
 */
final class OltpWorkload {
    static final double ZIPF_EXPONENT = 0.99;
    static final String TWEETS = "select id, body, created from oltp_tweet where user_id = ? order by id desc limit 20";
    static final String FOLLOWERS = "select follower_id from oltp_follow where followee_id = ?"
            + " order by follower_id limit 50";
    static final String USER = "select id, name, bio, version from oltp_user where id = ?";
    static final String KV = "select v from oltp_kv where k = ?";
    static final String INSERT_TWEET = "insert into oltp_tweet (user_id, body, created) values (?, ?, ?)";
    static final String UPDATE_KV = "update oltp_kv set v = ? where k = ?";
    static final String UPDATE_USER = "update oltp_user set bio = ?, version = version + 1 where id = ?";

    private final DataSource ds;
    private final double writeShare;
    private final Zipf users = new Zipf(OltpSchema.USERS, ZIPF_EXPONENT);
    private final Zipf keys = new Zipf(OltpSchema.KEYS, ZIPF_EXPONENT);

    OltpWorkload(DataSource ds, double writeShare) {
        this.ds = ds;
        this.writeShare = writeShare;
    }

    /** One operation drawn from {@code rnd}. */
    void step(SplittableRandom rnd) throws SQLException {
        double kind = rnd.nextDouble();
        if (rnd.nextDouble() < writeShare) {
            if (kind < 1 / 3.0) {
                insertTweet(users.next(rnd), "new tweet " + rnd.nextInt());
            } else if (kind < 2 / 3.0) {
                update(UPDATE_KV, "value " + rnd.nextInt(), "key" + keys.next(rnd));
            } else {
                update(UPDATE_USER, "bio " + rnd.nextInt(), users.next(rnd));
            }
        } else if (kind < 0.4) {
            read(TWEETS, users.next(rnd), 1);
        } else if (kind < 0.6) {
            read(FOLLOWERS, users.next(rnd), 0);
        } else if (kind < 0.8) {
            read(USER, users.next(rnd), 1);
        } else {
            read(KV, "key" + keys.next(rnd), 1);
        }
    }

    /** Runs a query and reads every column of every row; fails when fewer than {@code minRows} came back. */
    private void read(String sql, Object key, int minRows) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, key);
            int rows = 0;
            try (ResultSet rs = ps.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    for (int i = 1; i <= columns; i++) {
                        rs.getObject(i);
                    }
                    rows++;
                }
            }
            if (rows < minRows) {
                throw new IllegalStateException(sql + " with " + key + " returned " + rows + " rows");
            }
        }
    }

    private void insertTweet(int user, String body) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(INSERT_TWEET)) {
            ps.setInt(1, user);
            ps.setString(2, body);
            ps.setTimestamp(3, new Timestamp(System.currentTimeMillis()));
            ps.executeUpdate();
        }
    }

    /** {@code sql} sets a text column to {@code text} in the row whose key is {@code key}. */
    private void update(String sql, String text, Object key) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, text);
            ps.setObject(2, key);
            if (ps.executeUpdate() != 1) {
                throw new IllegalStateException(sql + " with " + key + " changed no row");
            }
        }
    }
}
