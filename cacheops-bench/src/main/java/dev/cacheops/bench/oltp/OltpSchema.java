package dev.cacheops.bench.oltp;

import dev.cacheops.bench.fixture.BenchSettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * The tables of the concurrent benchmark, in a schema of their own ({@code <bench.schema>_oltp}) so
 * that neither the blog fixtures nor other runs' tables are touched: {@value #USERS} users,
 * {@value #TWEETS_PER_USER} tweets each, about ten follows per user skewed towards low user ids
 * (popular users have many followers), {@value #KEYS} key-value rows and {@value #BLOBS} rows of
 * {@value #BLOB_BYTES} bytes for the transport comparison. {@link #create} drops and re-creates
 * everything; {@link #restore} undoes a run's inserts.
 */
final class OltpSchema {
    static final int USERS = 5_000;
    static final int TWEETS_PER_USER = 20;
    static final int TWEETS = USERS * TWEETS_PER_USER;
    static final int KEYS = 10_000;
    static final int BLOBS = 1_000;
    static final int BLOB_BYTES = 1024;
    static final String TABLES = "oltp_user, oltp_tweet, oltp_follow, oltp_kv, oltp_blob";

    private OltpSchema() {
    }

    /** The settings with the benchmark's own schema in place of the blog's. */
    static BenchSettings settings(BenchSettings s) {
        return new BenchSettings(s.jdbcUrl(), s.user(), s.password(), s.schema() + "_oltp", s.redisUri());
    }

    /** Drops and re-creates the schema and its data ({@code raw} must be on the oltp schema). */
    static void create(DataSource raw, String schema) throws SQLException {
        try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
            s.execute("drop schema if exists " + schema + " cascade");
            s.execute("create schema " + schema);
            s.execute("set search_path to " + schema);
            s.execute("select setseed(0.42)"); // the follow graph uses random(): same graph every time
            for (String sql : ddl()) {
                s.execute(sql);
            }
        }
    }

    /** Deletes the tweets a run inserted and vacuums, so every cell starts from the same data. */
    static void restore(DataSource raw) throws SQLException {
        try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
            s.execute("delete from oltp_tweet where id > " + TWEETS);
            s.execute("vacuum analyze " + TABLES);
        }
    }

    private static String[] ddl() {
        return new String[] {
            "create table oltp_user (id int primary key, name text not null, bio text not null,"
                    + " version int not null)",
            "create table oltp_tweet (id bigserial primary key, user_id int not null, body text not null,"
                    + " created timestamptz not null)",
            "create index oltp_tweet_user on oltp_tweet (user_id, id)",
            "create table oltp_follow (follower_id int not null, followee_id int not null,"
                    + " primary key (follower_id, followee_id))",
            "create index oltp_follow_followee on oltp_follow (followee_id, follower_id)",
            "create table oltp_kv (k text primary key, v text not null)",
            "create table oltp_blob (id int primary key, v text not null)",
            "insert into oltp_user select g, 'user' || g, 'bio of user ' || g, 0 from generate_series(1, "
                    + USERS + ") g",
            "insert into oltp_tweet select g, ((g - 1) % " + USERS + ") + 1, 'tweet number ' || g || ' '"
                    + " || repeat('x', 60), timestamptz '2026-01-01' + g * interval '1 minute'"
                    + " from generate_series(1, " + TWEETS + ") g",
            "select setval(pg_get_serial_sequence('oltp_tweet', 'id'), " + TWEETS + ")",
            "insert into oltp_follow select distinct f, 1 + floor(" + USERS + " * power(random(), 3))::int"
                    + " from generate_series(1, " + USERS + ") f, generate_series(1, 10) k",
            "insert into oltp_kv select 'key' || g, md5(g::text) || md5((g + 1)::text)"
                    + " from generate_series(1, " + KEYS + ") g",
            "insert into oltp_blob select g, repeat(chr(97 + g % 26), " + BLOB_BYTES + ")"
                    + " from generate_series(1, " + BLOBS + ") g",
            "analyze",
        };
    }
}
