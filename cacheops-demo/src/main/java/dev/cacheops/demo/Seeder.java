package dev.cacheops.demo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Random;
import javax.sql.DataSource;

/**
 * Fills the blog tables with data that depends only on the seed and the sizes, so the run without
 * the cache and the run with it start from identical databases.
 */
final class Seeder {
    /** How much data to create. */
    record Sizes(int categories, int posts, int tags) {
        Sizes {
            if (categories < 1 || posts < 1 || tags < 1) {
                throw new IllegalArgumentException("sizes must be positive, were " + categories + ", " + posts
                        + ", " + tags);
            }
        }
    }

    /** What was created, for the report. */
    record Seeded(int categories, int posts, int tags, int postTags, int comments) {
    }

    private Seeder() {
    }

    /** Recreates the tables and seeds them; everything in one transaction, in batches. */
    static Seeded seed(DataSource dataSource, Sizes sizes, long seed) throws SQLException {
        BlogSchema.recreate(dataSource);
        Random random = new Random(seed);
        int postTags = 0;
        int comments = 0;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("insert into category (id, name) values (?, ?)")) {
                for (int id = 1; id <= sizes.categories(); id++) {
                    ps.setInt(1, id);
                    ps.setString(2, "Category " + id);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("insert into tag (id, name) values (?, ?)")) {
                for (int id = 1; id <= sizes.tags(); id++) {
                    ps.setInt(1, id);
                    ps.setString(2, "tag-" + id);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement post = c.prepareStatement(Workload.INSERT_POST);
                 PreparedStatement tag = c.prepareStatement(Workload.INSERT_POST_TAG);
                 PreparedStatement comment = c.prepareStatement(
                         "insert into comment (id, post_id, author, body) values (?, ?, ?, ?)")) {
                for (int id = 1; id <= sizes.posts(); id++) {
                    Workload.bind(post, Workload.postValues(id, 1 + random.nextInt(sizes.categories()), random));
                    post.addBatch();
                    for (int tagId : Workload.distinctTags(random, sizes.tags())) {
                        tag.setInt(1, id);
                        tag.setInt(2, tagId);
                        tag.addBatch();
                        postTags++;
                    }
                    int n = random.nextInt(5); // 0..4 comments: some posts have none, so EXISTS varies
                    for (int i = 0; i < n; i++) {
                        comment.setInt(1, ++comments);
                        comment.setInt(2, id);
                        comment.setString(3, "reader" + random.nextInt(100));
                        comment.setString(4, "Comment " + comments + " on post " + id);
                        comment.addBatch();
                    }
                    if (id % 500 == 0) {
                        post.executeBatch();
                        tag.executeBatch();
                        comment.executeBatch();
                    }
                }
                post.executeBatch();
                tag.executeBatch();
                comment.executeBatch();
            }
            c.commit();
        }
        return new Seeded(sizes.categories(), sizes.posts(), sizes.tags(), postTags, comments);
    }
}
