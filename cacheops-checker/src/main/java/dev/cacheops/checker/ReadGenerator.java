package dev.cacheops.checker;

import java.util.List;
import java.util.Random;

/**
 * Generates random reads, each of a named shape (its tag): key lookups, filtered selects with
 * {@code ORDER BY ... , pk} and {@code LIMIT/OFFSET}, counts, aggregates with {@code GROUP BY/HAVING},
 * inner, left and self joins, the many-to-many join, subqueries in {@code IN}, {@code EXISTS} and
 * the select list, derived tables, CTEs, {@code UNION [ALL]}, {@code DISTINCT} and
 * {@code SELECT EXISTS}. Every ordered read has a total order; the others are compared as
 * multisets. Not thread-safe.
 */
final class ReadGenerator {
    private static final List<String> SHAPES = List.of("get", "filter", "filter", "count", "agg", "join",
            "leftjoin", "selfjoin", "m2m", "in_sub", "exists", "scalar_sub", "derived", "cte", "union",
            "distinct", "exists_top", "limit1", "join_carry", "join_carry", "correlated", "shadow");

    private final ValueSource values;
    private final ConditionGenerator conditions;
    private final Random random;

    ReadGenerator(ValueSource values, ConditionGenerator conditions) {
        this.values = values;
        this.conditions = conditions;
        this.random = values.random();
    }

    private boolean shadowing = true;

    /** Stops generating CTEs named like real tables (to look past a known engine bug on H2). */
    void avoidShadowing() {
        shadowing = false;
    }

    /** A random read on connection {@code conn}. */
    Action.Read next(int conn) {
        boolean prepared = random.nextInt(4) != 0;
        String shape = values.pick(SHAPES);
        if (!shadowing && shape.equals("shadow")) {
            shape = "cte";
        }
        Frag f;
        boolean ordered = true;
        switch (shape) {
            case "get" -> f = get(prepared);
            case "filter" -> f = filter(prepared);
            case "count" -> f = count(prepared);
            case "agg" -> f = aggregate(prepared);
            case "join" -> f = Frag.cat("select p.id, p.title, a.name from post p join author a on a.id = p.author_id where ",
                    cond(Schema.POST, "p", prepared), " and ", cond(Schema.AUTHOR, "a", prepared), " order by p.id");
            case "leftjoin" -> f = Frag.cat("select p.id, p.category_id, c.name, c.active from post p left join category c "
                    + "on c.id = p.category_id", random.nextBoolean() ? Frag.cat(" and c.active = ", values.render(random.nextBoolean(), ColType.BOOL, prepared)) : "",
                    " where ", cond(Schema.POST, "p", prepared), " order by p.id");
            case "selfjoin" -> f = random.nextBoolean()
                    ? Frag.cat("select c1.id, c1.name, c2.id as parent, c2.name as parent_name from category c1 "
                    + "left join category c2 on c2.id = c1.parent_id where ", cond(Schema.CATEGORY, "c1", prepared), " order by c1.id")
                    : Frag.cat("select p1.id, p2.id as other from post p1 join post p2 on p1.author_id = p2.author_id "
                    + "and p1.id < p2.id where ", cond(Schema.POST, "p1", prepared), " order by p1.id, p2.id");
            case "m2m" -> f = Frag.cat("select p.id, t.id as tag_id, t.label from post p join post_tag pt on pt.post_id = p.id "
                    + "join tag t on t.id = pt.tag_id where ", cond(Schema.TAG, "t", prepared), " and ",
                    cond(Schema.POST, "p", prepared), " order by p.id, t.id");
            case "in_sub" -> f = Frag.cat("select id, title, author_id from post where author_id ",
                    random.nextInt(4) == 0 ? "not in" : "in", " (select id from author where ",
                    cond(Schema.AUTHOR, "", prepared), ") and ", cond(Schema.POST, "", prepared), " order by id");
            case "exists" -> f = Frag.cat("select a.id, a.name from author a where ", random.nextBoolean() ? "" : "not ",
                    "exists (select 1 from post p where p.author_id = a.id and ", cond(Schema.POST, "p", prepared),
                    ") order by a.id");
            case "scalar_sub" -> f = Frag.cat("select a.id, (select count(*) from post p where p.author_id = a.id and ",
                    cond(Schema.POST, "p", prepared), ") as n from author a where ", cond(Schema.AUTHOR, "a", prepared),
                    " order by a.id");
            case "derived" -> f = Frag.cat("select d.k, d.n from (select author_id as k, count(*) as n from post where ",
                    cond(Schema.POST, "", prepared), " group by author_id) d where d.n >= ", random.nextInt(3),
                    " order by d.k");
            case "cte" -> f = Frag.cat("with v as (select id, author_id, title from post where ", cond(Schema.POST, "", prepared),
                    ") select v.id, v.title, a.name from v join author a on a.id = v.author_id where ",
                    cond(Schema.AUTHOR, "a", prepared), " order by v.id");
            case "union" -> {
                f = Frag.cat("select id, name from author where ", cond(Schema.AUTHOR, "", prepared),
                        random.nextBoolean() ? " union all " : " union ", "select id, label from tag where ",
                        cond(Schema.TAG, "", prepared));
                ordered = false;
            }
            case "distinct" -> {
                boolean sort = random.nextBoolean();
                f = Frag.cat("select distinct author_id, visible from post where ", cond(Schema.POST, "", prepared),
                        sort ? " order by author_id, visible" : "");
                ordered = sort;
            }
            case "exists_top" -> f = Frag.cat("select exists (select 1 from post where ", cond(Schema.POST, "", prepared), ")");
            case "limit1" -> {
                Schema.Table t = table();
                f = Frag.cat("select * from ", t.name(), " where ", cond(t, "", prepared), " order by ", t.pkList(""), " limit 1");
            }
            case "join_carry" -> f = joinCarry(prepared);
            case "correlated" -> f = correlated(prepared);
            case "shadow" -> f = shadow(prepared);
            default -> throw new IllegalStateException(shape);
        }
        int maxRows = ordered && random.nextInt(8) == 0 ? 1 + random.nextInt(3) : 0;
        return new Action.Read(conn, shape, f.text(), f.params(), prepared, ordered, maxRows);
    }

    /** Equalities between columns that carry a constant from one table to another (or must not). */
    private Frag joinCarry(boolean prepared) {
        Frag cat = id("category", prepared);
        return switch (random.nextInt(5)) {
            case 0 -> Frag.cat("select p.id, p.title, c.name from post p join category c on c.id = p.category_id where c.id = ",
                    cat, " order by p.id");
            case 1 -> Frag.cat("select c.id, p.id as post_id from category c left join post p on p.category_id = c.id and p.visible = ",
                    values.render(random.nextBoolean(), ColType.BOOL, prepared), " where c.id in (", cat, ", ",
                    id("category", prepared), ") order by c.id, p.id");
            case 2 -> Frag.cat("select a.id, p.id as post_id from author a left join post p on p.author_id = a.id where p.category_id = ",
                    cat, " order by a.id, p.id");
            case 3 -> Frag.cat("select c1.id, c2.id as child from category c1 join category c2 on c2.parent_id = c1.id where c1.id = ",
                    cat, " order by c2.id");
            default -> Frag.cat("select p.id, c.id as cid from post p, category c where p.category_id = c.id and c.parent_id = ",
                    cat, " order by p.id");
        };
    }

    /** Conditions whose right side is not a constant: the cache must not take it for one. */
    private Frag correlated(boolean prepared) {
        return switch (random.nextInt(4)) {
            case 0 -> Frag.cat("select id, category_id from post where category_id = (select parent_id from category where id = ",
                    id("category", prepared), ") order by id");
            case 1 -> Frag.cat("select p.id from post p where p.author_id in (select a.id from author a where a.id = p.author_id and a.score = ",
                    values.render(random.nextInt(8), ColType.INT, prepared), ") order by p.id");
            case 2 -> Frag.cat("select id, author_id, category_id from post where author_id = category_id or views = author_id order by id");
            default -> Frag.cat("select id from post where author_id = ", id("author", prepared), " and author_id = ",
                    id("author", prepared), " order by id");
        };
    }

    /** A CTE or derived table named like a real table: its conditions belong to the table it reads. */
    private Frag shadow(boolean prepared) {
        return switch (random.nextInt(3)) {
            case 0 -> Frag.cat("with post as (select * from post where ", cond(Schema.POST, "", prepared),
                    ") select id, author_id, views from post where id = ", id("post", prepared), " order by id");
            case 1 -> Frag.cat("with author as (select id, author_id as score from post where ", cond(Schema.POST, "", prepared),
                    ") select a.id, a.score from author a where a.score = ", id("author", prepared), " order by a.id");
            default -> Frag.cat("select author.id, author.author_id from (select id, author_id from post where ",
                    cond(Schema.POST, "", prepared), ") author where author.id = ", id("author", prepared), " order by author.id");
        };
    }

    private Frag id(String table, boolean prepared) {
        return values.render(values.someId(table), ColType.INT, prepared);
    }

    private Schema.Table table() {
        return values.pick(Schema.TABLES);
    }

    private Frag cond(Schema.Table t, String alias, boolean prepared) {
        return conditions.condition(t, alias, random.nextInt(3), prepared);
    }

    private Frag get(boolean prepared) {
        Schema.Table t = table();
        if (t == Schema.POST_TAG) {
            return Frag.cat("select * from post_tag where post_id = ", values.render(values.someId("post"), ColType.INT, prepared),
                    " and tag_id = ", values.render(values.someId("tag"), ColType.INT, prepared));
        }
        if (random.nextBoolean()) {
            // An ORM's find: the entity's columns by id, which the rows of an entity listing answer.
            return Frag.cat("select ", entityColumns(t), " from ", t.name(), " e where e.id = ",
                    values.render(values.someId(t.name()), ColType.INT, prepared));
        }
        return Frag.cat("select * from ", t.name(), " where id = ", values.render(values.someId(t.name()), ColType.INT, prepared));
    }

    /** Every column of {@code t}, named one by one and qualified by the alias {@code e}, as an ORM lists them. */
    private static String entityColumns(Schema.Table t) {
        return t.columns().stream().map(c -> "e." + c.name()).collect(java.util.stream.Collectors.joining(", "));
    }

    private Frag filter(boolean prepared) {
        Schema.Table t = table();
        Schema.Column sortBy = values.pick(t.columns());
        String limit = switch (random.nextInt(4)) {
            case 0 -> " limit " + (1 + random.nextInt(5));
            case 1 -> " limit " + (1 + random.nextInt(5)) + " offset " + random.nextInt(4);
            default -> "";
        };
        if (t != Schema.POST_TAG && random.nextBoolean()) {
            // An ORM's listing of entities, whose rows answer its finds (the "get" shape above).
            return Frag.cat("select ", entityColumns(t), " from ", t.name(), " e where ", cond(t, "e", prepared),
                    " order by e.", sortBy.name(), random.nextBoolean() ? " desc, " : ", ", t.pkList("e"), limit);
        }
        return Frag.cat("select * from ", t.name(), " where ", cond(t, "", prepared), " order by ", sortBy.name(),
                random.nextBoolean() ? " desc, " : ", ", t.pkList(""), limit);
    }

    private Frag count(boolean prepared) {
        Schema.Table t = table();
        String what = random.nextInt(4) == 0 ? "count(distinct " + values.pick(t.columns()).name() + ")" : "count(*)";
        return Frag.cat("select ", what, " from ", t.name(), " where ", cond(t, "", prepared));
    }

    private Frag aggregate(boolean prepared) {
        if (random.nextBoolean()) {
            String g = values.pick(List.of("author_id", "category_id", "visible"));
            return Frag.cat("select ", g, ", count(*), sum(views), max(rating), min(title) from post where ",
                    cond(Schema.POST, "", prepared), " group by ", g,
                    random.nextBoolean() ? " having count(*) > " + random.nextInt(3) : "", " order by ", g);
        }
        return Frag.cat("select score, count(*), min(name), max(joined) from author where ", cond(Schema.AUTHOR, "", prepared),
                " group by score order by score");
    }
}
