package dev.cacheops.checker;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The checker's schema: a small blog with foreign keys ({@code ON DELETE CASCADE} and
 * {@code ON DELETE SET NULL}, one of them self-referencing), a many-to-many link table and
 * nullable columns of every type the cache must canonicalise. Immutable.
 */
public final class Schema {
    /** A column: name, type, whether it may be null. */
    public record Column(String name, ColType type, boolean nullable) {
    }

    /** A table: name, primary key columns, all columns in declaration order. */
    public record Table(String name, List<String> pk, List<Column> columns) {
        Column column(String name) {
            return columns.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
        }

        String pkList(String alias) {
            return pk.stream().map(c -> alias.isEmpty() ? c : alias + "." + c).collect(Collectors.joining(", "));
        }
    }

    static final Table CATEGORY = new Table("category", List.of("id"), List.of(
            new Column("id", ColType.INT, false),
            new Column("name", ColType.VARCHAR, false),
            new Column("parent_id", ColType.INT, true),
            new Column("active", ColType.BOOL, false),
            new Column("created", ColType.DATE, true)));
    static final Table AUTHOR = new Table("author", List.of("id"), List.of(
            new Column("id", ColType.INT, false),
            new Column("name", ColType.VARCHAR, false),
            new Column("email", ColType.VARCHAR, true),
            new Column("score", ColType.INT, true),
            new Column("joined", ColType.TS, true)));
    static final Table POST = new Table("post", List.of("id"), List.of(
            new Column("id", ColType.INT, false),
            new Column("author_id", ColType.INT, false),
            new Column("category_id", ColType.INT, true),
            new Column("title", ColType.VARCHAR, false),
            new Column("body", ColType.TEXT, true),
            new Column("visible", ColType.BOOL, false),
            new Column("rating", ColType.NUM, true),
            new Column("views", ColType.INT, false),
            new Column("published_at", ColType.TSTZ, true),
            new Column("uid", ColType.UUID, true)));
    static final Table TAG = new Table("tag", List.of("id"), List.of(
            new Column("id", ColType.INT, false),
            new Column("label", ColType.VARCHAR, false)));
    static final Table POST_TAG = new Table("post_tag", List.of("post_id", "tag_id"), List.of(
            new Column("post_id", ColType.INT, false),
            new Column("tag_id", ColType.INT, false)));

    /** All tables, parents before children. */
    static final List<Table> TABLES = List.of(CATEGORY, AUTHOR, POST, TAG, POST_TAG);

    /** Which table a foreign-key column points at. */
    static final Map<String, Table> REFERENCES = Map.of(
            "category.parent_id", CATEGORY, "post.author_id", AUTHOR, "post.category_id", CATEGORY,
            "post_tag.post_id", POST, "post_tag.tag_id", TAG);

    private Schema() {
    }

    /** The DDL, in creation order. */
    static List<String> ddl(Dialect d) {
        return List.of(
                "create table category (id integer primary key, name varchar(40) not null, "
                        + "parent_id integer references category(id) on delete set null, "
                        + "active boolean not null, created date)",
                "create table author (id integer primary key, name varchar(40) not null, email varchar(60), "
                        + "score integer, joined timestamp)",
                "create table post (id integer primary key, "
                        + "author_id integer not null references author(id) on delete cascade, "
                        + "category_id integer references category(id) on delete set null, "
                        + "title varchar(60) not null, body " + d.textType() + ", visible boolean not null, "
                        + "rating numeric(10,2), views integer not null default 0, "
                        + "published_at timestamp with time zone, uid uuid)",
                "create table tag (id integer primary key, label varchar(30) not null)",
                "create table post_tag (post_id integer not null references post(id) on delete cascade, "
                        + "tag_id integer not null references tag(id) on delete cascade, primary key (post_id, tag_id))");
    }
}
