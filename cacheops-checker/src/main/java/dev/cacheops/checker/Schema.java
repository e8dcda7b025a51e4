package dev.cacheops.checker;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The checker's schema: a small blog with foreign keys ({@code ON DELETE CASCADE} and
 * {@code ON DELETE SET NULL}, one of them self-referencing), a many-to-many link table and
 * nullable columns of every type the cache must canonicalise, a generated column that updates of
 * another column change; beside it {@code note}, whose
 * trigger writes {@code note_count} ({@link TriggerGenerator}). Immutable.
 */
public final class Schema {
    /**
     * A column: name, type, whether it may be null, and the expression of a generated column
     * (null for a column the writes set).
     */
    public record Column(String name, ColType type, boolean nullable, String generatedAs) {
        Column(String name, ColType type, boolean nullable) {
            this(name, type, nullable, null);
        }
    }

    /** A table: name, primary key columns, all columns in declaration order. */
    public record Table(String name, List<String> pk, List<Column> columns) {
        Column column(String name) {
            return columns.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
        }

        /** The columns a write sets: all but the generated ones, in declaration order. */
        List<Column> writable() {
            return columns.stream().filter(c -> c.generatedAs() == null).toList();
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
            new Column("joined", ColType.TS, true),
            new Column("score2", ColType.INT, true, "score * 2")));
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

    /** What the trigger on {@code note} runs for every row written. */
    static final String COUNT_NOTE = "update note_count set n = n + 1 where id = 1";

    /**
     * The tables written by a trigger the cache does not see, which the checker invalidates itself
     * after each commit that fired it (as an application must, README "Writes that bypass the
     * wrapper").
     */
    static final List<String> TRIGGER_TARGETS = List.of("note_count");

    /** The trigger: every row written to {@code note} adds one to {@code note_count.n}. */
    static List<String> triggerDdl(Dialect d) {
        return d == Dialect.POSTGRES
                ? List.of("create function note_counted() returns trigger language plpgsql as $$ begin "
                        + COUNT_NOTE + "; return null; end $$",
                "create trigger note_counted after insert or update or delete on note for each row "
                        + "execute function note_counted()")
                : List.of("create trigger note_counted after insert, update, delete on note for each row call '"
                        + NoteCounted.class.getName() + "'");
    }

    /** The DDL (and {@code note_count}'s one row), in creation order. */
    static List<String> ddl(Dialect d) {
        List<String> all = new java.util.ArrayList<>(blogDdl(d));
        all.add("create table note (id integer primary key, body varchar(40))");
        all.add("create table note_count (id integer primary key, n integer not null)");
        all.add("insert into note_count values (1, 0)");
        all.addAll(triggerDdl(d));
        return all;
    }

    private static List<String> blogDdl(Dialect d) {
        return List.of(
                "create table category (id integer primary key, name varchar(40) not null, "
                        + "parent_id integer references category(id) on delete set null, "
                        + "active boolean not null, created date)",
                "create table author (id integer primary key, name varchar(40) not null, email varchar(60), "
                        + "score integer, joined timestamp, score2 integer generated always as ("
                        + AUTHOR.column("score2").generatedAs() + ")" + (d == Dialect.POSTGRES ? " stored" : "") + ")",
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
