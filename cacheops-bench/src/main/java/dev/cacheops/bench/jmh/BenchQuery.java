package dev.cacheops.bench.jmh;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The queries of the microbenchmarks, on the blog fixture. Each has a hit form (fixed parameters,
 * so one cache entry) and a miss form: the same read with one more always-true condition on a
 * never-repeating parameter ({@code > -n}), so that every execution has a cache key of its own
 * and misses, while the database does the same work as for the hit form.
 */
public enum BenchQuery {
    /** A primary-key lookup: one post. */
    PK("select id, category_id, title, body, views, version from post where id = ?",
            "select id, category_id, title, body, views, version from post where id = ? and version > ?",
            4242),
    /** A 20-row page of a category, joined with the category. */
    PAGE("select p.id, p.title, p.views, c.name from post p join category c on c.id = p.category_id"
            + " where p.category_id = ? order by p.id limit 20",
            "select p.id, p.title, p.views, c.name from post p join category c on c.id = p.category_id"
            + " where p.category_id = ? and p.id > ? order by p.id limit 20",
            7),
    /** A count of a category's posts. */
    COUNT("select count(*) from post where category_id = ?",
            "select count(*) from post where category_id = ? and id > ?",
            7),
    /** An aggregate over the 100,000 comments. */
    AGGREGATE("select count(*), sum(length(body)), max(post_id) from comment where id > ?",
            "select count(*), sum(length(body)), max(post_id) from comment where id > ? and post_id > ?",
            0);

    private final String hitSql;
    private final String missSql;
    private final long param;

    BenchQuery(String hitSql, String missSql, long param) {
        this.hitSql = hitSql;
        this.missSql = missSql;
        this.param = param;
    }

    /** The SQL of the hit form (one parameter). */
    public String hitSql() {
        return hitSql;
    }

    /** Runs the hit form and reads every column of every row; returns a checksum of the values. */
    public long runHit(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(hitSql)) {
            ps.setLong(1, param);
            return consume(ps);
        }
    }

    /** Runs the miss form with {@code unique} (any value, never repeated, greater than zero). */
    public long runMiss(Connection c, long unique) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(missSql)) {
            ps.setLong(1, param);
            ps.setLong(2, -unique);
            return consume(ps);
        }
    }

    private static long consume(PreparedStatement ps) throws SQLException {
        long sum = 0;
        try (ResultSet rs = ps.executeQuery()) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= columns; i++) {
                    Object v = rs.getObject(i);
                    sum += v == null ? 0 : v.hashCode();
                }
            }
        }
        return sum;
    }
}
