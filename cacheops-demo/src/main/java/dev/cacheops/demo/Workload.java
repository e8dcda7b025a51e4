package dev.cacheops.demo;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

/**
 * The blog's operations and a deterministic generator of them. The sequence depends only on the
 * seed and the settings, never on what the database answers, so both runs execute exactly the
 * same statements with the same parameters. Not thread-safe (one generator per run).
 */
final class Workload {
    static final String INSERT_POST =
            "insert into post (id, category_id, title, body, views, published) values (?, ?, ?, ?, ?, ?)";
    static final String INSERT_POST_TAG = "insert into post_tag (post_id, tag_id) values (?, ?)";

    /** One kind of operation: its label in the report, whether it reads, and its SQL. */
    enum Kind {
        GET("post by id", true, "select id, category_id, title, body, views, published from post where id = ?"),
        FETCH("category page", true,
                "select id, title, views from post where category_id = ? order by id limit 10 offset ?"),
        COUNT("posts in category", true, "select count(*) from post where category_id = ?"),
        AGGREGATE("top categories", true, "select category_id, count(*) as posts from post"
                + " group by category_id order by posts desc, category_id limit 5"),
        JOIN("posts of a tag", true, "select p.id, p.title from post p join post_tag pt on pt.post_id = p.id"
                + " where pt.tag_id = ? order by p.id limit 20"),
        EXISTS("post has comments", true, "select exists(select 1 from comment where post_id = ?)"),
        INSERT("insert post + tags", false, INSERT_POST),
        RETITLE("update post title", false, "update post set title = ? where id = ?"),
        MOVE("move post", false, "update post set category_id = ? where id = ?"),
        DELETE("delete post (cascade)", false, "delete from post where id = ?");

        final String label;
        final boolean read;
        final String sql;

        Kind(String label, boolean read, String sql) {
            this.label = label;
            this.read = read;
            this.sql = sql;
        }
    }

    /** One statement with its parameters. */
    record Sql(String text, List<Object> params) {
    }

    /** One operation; a write with several statements runs as one transaction. */
    record Step(Kind kind, List<Sql> statements) {
        Step(Kind kind, Object... params) {
            this(kind, List.of(new Sql(kind.sql, List.of(params))));
        }
    }

    /** What the generator draws from. */
    record Settings(Seeder.Sizes sizes, double writeShare, double skew) {
        Settings {
            if (writeShare < 0 || writeShare > 1) {
                throw new IllegalArgumentException("write share must be between 0 and 1, was " + writeShare);
            }
        }
    }

    private final Settings settings;
    private final Random random;
    private final Zipf posts;
    private final Zipf categories;
    private final Zipf tags;
    private final Zipf pages = new Zipf(5, 1.0);
    private int nextPostId;

    Workload(Settings settings, long seed) {
        this.settings = settings;
        // a different stream from the seeder's, so the data and the traffic are not correlated
        this.random = new Random(seed * 31 + 7);
        Seeder.Sizes s = settings.sizes();
        this.posts = new Zipf(s.posts(), settings.skew());
        this.categories = new Zipf(s.categories(), settings.skew());
        this.tags = new Zipf(s.tags(), settings.skew());
        this.nextPostId = s.posts() + 1;
    }

    /** The next operation. */
    Step next() {
        return random.nextDouble() < settings.writeShare() ? nextWrite() : nextRead();
    }

    private Step nextRead() {
        double r = random.nextDouble();
        if (r < 0.40) {
            return new Step(Kind.GET, posts.next(random));
        } else if (r < 0.60) {
            return new Step(Kind.FETCH, categories.next(random), (pages.next(random) - 1) * 10);
        } else if (r < 0.72) {
            return new Step(Kind.COUNT, categories.next(random));
        } else if (r < 0.77) {
            return new Step(Kind.AGGREGATE);
        } else if (r < 0.90) {
            return new Step(Kind.JOIN, tags.next(random));
        }
        return new Step(Kind.EXISTS, posts.next(random));
    }

    private Step nextWrite() {
        double r = random.nextDouble();
        int categoryCount = settings.sizes().categories();
        if (r < 0.30) {
            int id = nextPostId++;
            List<Sql> sql = new ArrayList<>();
            sql.add(new Sql(INSERT_POST, postValues(id, categories.next(random), random)));
            for (int tag : distinctTags(random, settings.sizes().tags())) {
                sql.add(new Sql(INSERT_POST_TAG, List.of(id, tag)));
            }
            return new Step(Kind.INSERT, List.copyOf(sql));
        } else if (r < 0.65) {
            // hot posts are the ones edited most, which is what makes invalidation matter
            return new Step(Kind.RETITLE, "Edited " + random.nextInt(1_000_000), posts.next(random));
        } else if (r < 0.85) {
            return new Step(Kind.MOVE, 1 + random.nextInt(categoryCount), 1 + random.nextInt(nextPostId - 1));
        }
        return new Step(Kind.DELETE, 1 + random.nextInt(nextPostId - 1));
    }

    /** The values of a new post, in {@link #INSERT_POST}'s order. */
    static List<Object> postValues(int id, int categoryId, Random random) {
        return List.of(id, categoryId, "Post " + id, "Body of post " + id + ": " + "lorem ipsum ".repeat(1 + random.nextInt(8)),
                random.nextInt(10_000), random.nextInt(10) > 0);
    }

    /** One to three different tag ids. */
    static TreeSet<Integer> distinctTags(Random random, int tagCount) {
        TreeSet<Integer> ids = new TreeSet<>();
        int n = 1 + random.nextInt(3);
        while (ids.size() < Math.min(n, tagCount)) {
            ids.add(1 + random.nextInt(tagCount));
        }
        return ids;
    }

    /** Binds parameters in order, by their Java type. */
    static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            ps.setObject(i + 1, params.get(i));
        }
    }
}
