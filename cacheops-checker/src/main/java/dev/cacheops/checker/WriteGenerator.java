package dev.cacheops.checker;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates random writes: single and multi-row {@code INSERT}, {@code INSERT ... SELECT},
 * upserts ({@code ON CONFLICT} on PostgreSQL, {@code MERGE} on H2), {@code UPDATE} and
 * {@code DELETE} by key, by condition, with expressions and with subqueries, deletes that cascade
 * or set null, and (rarely) {@code TRUNCATE}; sent as {@code Statement} or
 * {@code PreparedStatement}, single or batched. Not thread-safe.
 */
final class WriteGenerator {
    private final ValueSource values;
    private final ConditionGenerator conditions;
    private final Random random;
    private final Dialect dialect;
    private boolean inTransaction;
    private boolean upserts = true;

    WriteGenerator(ValueSource values, ConditionGenerator conditions, Dialect dialect) {
        this.values = values;
        this.conditions = conditions;
        this.random = values.random();
        this.dialect = dialect;
    }

    /**
     * A random write on connection {@code conn}; never a {@code TRUNCATE} inside a transaction (it
     * locks the table against every reader, including the checker's own direct reads, and on H2 it
     * commits the transaction).
     */
    Action.Write next(int conn, boolean inTransaction) {
        this.inTransaction = inTransaction;
        int r = random.nextInt(100);
        if (r < 6) {
            return preparedBatch(conn);
        }
        if (r < 10) {
            List<String> sqls = new ArrayList<>();
            int n = 2 + random.nextInt(2);
            String tag = null;
            for (int i = 0; i < n; i++) {
                Tagged t = one(false, false);
                sqls.add(t.frag.text());
                tag = tag == null ? t.tag : tag;
            }
            return new Action.Write(conn, "batch:" + tag, sqls, List.of(), Action.WriteMode.STATEMENT_BATCH);
        }
        if (r < 14) {
            boolean prepared = random.nextBoolean();
            Tagged t = returning(prepared);
            return new Action.Write(conn, t.tag, List.of(t.frag.text()), List.of(t.frag.params()), Action.WriteMode.QUERY);
        }
        boolean prepared = random.nextInt(3) != 0;
        Tagged t = one(prepared, true);
        if (t.tag.startsWith("rewrite")) {
            return new Action.Write(conn, t.tag, List.of(t.frag.text()), List.of(), Action.WriteMode.REWRITE);
        }
        return new Action.Write(conn, t.tag, List.of(t.frag.text()), List.of(t.frag.params()),
                prepared ? Action.WriteMode.PREPARED : Action.WriteMode.STATEMENT);
    }

    /** Stops generating upserts (to look past a known engine bug). */
    void avoidUpserts() {
        upserts = false;
    }

    /** Multi-row inserts that fill the empty schema at the start of a workload. */
    List<Action> seed(int conn) {
        List<Action> out = new ArrayList<>();
        out.add(insert(conn, Schema.CATEGORY, 6));
        out.add(insert(conn, Schema.AUTHOR, 8));
        out.add(insert(conn, Schema.POST, 30));
        out.add(insert(conn, Schema.TAG, 6));
        out.add(insert(conn, Schema.POST_TAG, 25));
        return out;
    }

    private Action insert(int conn, Schema.Table t, int rows) {
        Frag f = insertRows(t, rows, false, true);
        return new Action.Write(conn, "seed", List.of(f.text()), List.of(f.params()), Action.WriteMode.STATEMENT);
    }

    private record Tagged(String tag, Frag frag) {
    }

    /** @param rewrites whether an ORM-style rewrite may be chosen (not in a {@code Statement} batch) */
    private Tagged one(boolean prepared, boolean rewrites) {
        int r = random.nextInt(100);
        Schema.Table t = values.pick(Schema.TABLES);
        if (random.nextInt(100) < 14) {
            // Writes that change few or no values (DESIGN §4, "Changed columns"): a result that
            // references none of the changed columns must survive them, and only such a one.
            return switch (rewrites ? random.nextInt(3) : 0) {
                case 0 -> new Tagged("counter", counter(prepared));
                case 1 -> new Tagged("rewrite", Frag.of(rewrite(false)));
                default -> new Tagged("rewrite_dirty", Frag.of(rewrite(true)));
            };
        }
        if (r < 14) {
            return new Tagged("insert", insertRows(t, 1, prepared, false));
        }
        if (r < 20) {
            return new Tagged("insert_multi", insertRows(t, 2 + random.nextInt(3), prepared, false));
        }
        if (r < 25) {
            return new Tagged("insert_select", insertSelect(prepared));
        }
        if (r < 32 && upserts) {
            return new Tagged("upsert", upsert(prepared));
        }
        if (r < 44) {
            return new Tagged("update_key", updateKey(t, prepared));
        }
        if (r < 47) {
            return new Tagged("update_expr", updateExpression(prepared));
        }
        if (r < 50) {
            Schema.Table p = values.pick(List.of(Schema.TAG, Schema.CATEGORY, Schema.AUTHOR));
            return new Tagged("update_pk", Frag.cat("update ", p.name(), " set id = ", values.freshId(p.name()),
                    " where id = ", values.render(values.someId(p.name()), ColType.INT, prepared)));
        }
        if (r < 62) {
            return new Tagged("update_cond", updateCondition(prepared));
        }
        if (r < 68) {
            return new Tagged("update_sub", updateSubquery(prepared));
        }
        if (r < 80) {
            return new Tagged("delete_key", deleteKey(t, prepared));
        }
        if (r < 90) {
            return new Tagged("delete_cond", Frag.cat("delete from ", t.name(), " where ",
                    conditions.condition(t, "", 1, prepared)));
        }
        if (r < 99 || inTransaction) {
            return new Tagged("delete_sub", random.nextBoolean()
                    ? Frag.cat("delete from post where category_id in (select id from category where ",
                    conditions.condition(Schema.CATEGORY, "", 1, prepared), ")")
                    : Frag.cat("delete from post_tag where post_id in (select id from post where ",
                    conditions.condition(Schema.POST, "", 1, prepared), ")"));
        }
        return new Tagged("truncate", Frag.of("truncate table post_tag"));
    }

    /** Writes that return rows: {@code RETURNING} and data-modifying CTEs, or H2's data change delta tables. */
    private Tagged returning(boolean prepared) {
        Frag postCond = conditions.condition(Schema.POST, "", 1, prepared);
        if (dialect == Dialect.H2) {
            return switch (random.nextInt(3)) {
                case 0 -> new Tagged("returning_update", Frag.cat(
                        "select id, views from final table (update post set views = views + 1 where ", postCond, ")"));
                case 1 -> new Tagged("returning_delete", Frag.cat(
                        "select count(*) from old table (delete from post_tag where ",
                        conditions.condition(Schema.POST_TAG, "", 1, prepared), ")"));
                default -> new Tagged("returning_insert", Frag.cat("select id from final table (",
                        insertRows(Schema.TAG, 1, prepared, false), ")"));
            };
        }
        return switch (random.nextInt(5)) {
            case 0 -> new Tagged("returning_update", Frag.cat("update post set views = views + 1 where ", postCond,
                    " returning id, views"));
            case 1 -> new Tagged("returning_delete", Frag.cat("delete from post_tag where ",
                    conditions.condition(Schema.POST_TAG, "", 1, prepared), " returning post_id, tag_id"));
            case 2 -> new Tagged("cte_delete", Frag.cat("with d as (delete from post_tag where ",
                    conditions.condition(Schema.POST_TAG, "", 1, prepared), " returning post_id) select count(*) from d"));
            case 3 -> new Tagged("cte_update", Frag.cat("with u as (update post set views = views + 1 where ", postCond,
                    " returning id) select id from u order by id"));
            default -> new Tagged("returning_insert", Frag.cat(insertRows(Schema.TAG, 1, prepared, false), " returning id"));
        };
    }

    private Frag insertRows(Schema.Table t, int rows, boolean prepared, boolean seed) {
        List<Frag> tuples = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            tuples.add(Frag.cat("(", Frag.join(", ", rowValues(t, prepared, seed)), ")"));
        }
        return Frag.cat("insert into ", t.name(), " (", columnList(t), ") values ", Frag.join(", ", tuples));
    }

    private List<Frag> rowValues(Schema.Table t, boolean prepared, boolean seed) {
        List<Frag> vals = new ArrayList<>();
        int id = t == Schema.POST_TAG ? 0 : values.freshId(t.name());
        for (Schema.Column c : t.writable()) {
            Object v;
            if (c.name().equals("id")) {
                v = id;
            } else if (seed && c.name().equals("parent_id")) {
                v = id > 1 && random.nextBoolean() ? 1 + random.nextInt(id - 1) : null;
            } else {
                v = values.value(t, c);
            }
            vals.add(values.render(v, c.type(), prepared));
        }
        return vals;
    }

    private static String columnList(Schema.Table t) {
        return String.join(", ", t.writable().stream().map(Schema.Column::name).toList());
    }

    private Frag insertSelect(boolean prepared) {
        if (random.nextBoolean()) {
            Frag tag = values.render(values.someId("tag"), ColType.INT, prepared);
            Frag same = tag.params().isEmpty() ? tag : values.render(tag.params().get(0).value(), ColType.INT, prepared);
            return Frag.cat("insert into post_tag (post_id, tag_id) select p.id, ", tag, " from post p where ",
                    conditions.condition(Schema.POST, "p", 1, prepared),
                    " and not exists (select 1 from post_tag x where x.post_id = p.id and x.tag_id = ", same, ")");
        }
        // fresh tag ids: author.id + offset, beyond every tag id handed out so far
        int authors = values.freshId("author");
        int base = values.freshId("tag");
        for (int i = 0; i < authors; i++) {
            values.freshId("tag");
        }
        return Frag.cat("insert into tag (id, label) select id + ", base, ", name from author where ",
                conditions.condition(Schema.AUTHOR, "", 1, prepared));
    }

    private Frag upsert(boolean prepared) {
        boolean post = random.nextBoolean();
        Schema.Table t = post ? Schema.POST : Schema.TAG;
        List<Frag> vals = new ArrayList<>();
        int id = random.nextInt(4) == 0 ? values.freshId(t.name()) : values.someId(t.name());
        for (Schema.Column c : t.writable()) {
            vals.add(values.render(c.name().equals("id") ? id : values.value(t, c), c.type(), prepared));
        }
        Frag row = Frag.cat("(", Frag.join(", ", vals), ")");
        if (dialect == Dialect.H2) {
            return Frag.cat("merge into ", t.name(), " (", columnList(t), ") key (id) values ", row);
        }
        String action = random.nextInt(4) == 0 ? "do nothing"
                : post ? "do update set views = post.views + 1, title = excluded.title, category_id = excluded.category_id"
                : "do update set label = excluded.label";
        return Frag.cat("insert into ", t.name(), " (", columnList(t), ") values ", row, " on conflict (id) ", action);
    }

    private Frag updateKey(Schema.Table t, boolean prepared) {
        if (t == Schema.POST_TAG) {
            t = Schema.POST;
        }
        List<Frag> sets = new ArrayList<>();
        List<Schema.Column> settable = new ArrayList<>(t.writable().subList(1, t.writable().size()));
        java.util.Collections.shuffle(settable, random);
        int n = Math.min(settable.size(), 1 + random.nextInt(2));
        for (Schema.Column c : settable.subList(0, n)) {
            sets.add(Frag.cat(c.name(), " = ", values.render(values.value(t, c), c.type(), prepared)));
        }
        return Frag.cat("update ", t.name(), " set ", Frag.join(", ", sets), " where id = ",
                values.render(values.someId(t.name()), ColType.INT, prepared));
    }

    /** A counter bumped by key: only the counter changes. */
    private Frag counter(boolean prepared) {
        if (random.nextInt(3) == 0) {
            return Frag.cat("update author set score = coalesce(score, 0) + 1 where id = ",
                    values.render(values.someId("author"), ColType.INT, prepared));
        }
        return Frag.cat("update post set views = views + 1 where id = ",
                values.render(values.someId("post"), ColType.INT, prepared));
    }

    /**
     * What an ORM sends for an entity it loaded: every column but the key, by key. Each {@code ?}
     * of the set list is bound by the executor to the row's current value ({@link
     * Action.WriteMode#REWRITE}); with {@code dirty}, one column gets a new literal instead. The
     * last {@code ?} is the key.
     */
    private String rewrite(boolean dirty) {
        Schema.Table t = values.pick(List.of(Schema.POST, Schema.POST, Schema.AUTHOR, Schema.CATEGORY));
        List<Schema.Column> cols = t.writable().subList(1, t.writable().size());
        Schema.Column changed = dirty ? cols.get(random.nextInt(cols.size())) : null;
        List<String> sets = new ArrayList<>();
        for (Schema.Column c : cols) {
            sets.add(c == changed ? c.name() + " = " + values.render(values.value(t, c), c.type(), false).text()
                    : c.name() + " = ?");
        }
        return "update " + t.name() + " set " + String.join(", ", sets) + " where id = "
                + values.someId(t.name());
    }

    private Frag updateCondition(boolean prepared) {
        return switch (random.nextInt(4)) {
            case 0 -> Frag.cat("update post set views = views + 1 where ", conditions.condition(Schema.POST, "", 2, prepared));
            case 1 -> Frag.cat("update post set category_id = ", values.render(values.value(Schema.POST,
                    Schema.POST.column("category_id")), ColType.INT, prepared), ", visible = not visible where ",
                    conditions.condition(Schema.POST, "", 1, prepared));
            case 2 -> Frag.cat("update author set score = coalesce(score, 0) + 1, email = ",
                    values.render(values.value(Schema.AUTHOR, Schema.AUTHOR.column("email")), ColType.VARCHAR, prepared),
                    " where ", conditions.condition(Schema.AUTHOR, "", 1, prepared));
            default -> Frag.cat("update category set active = ", values.render(random.nextBoolean(), ColType.BOOL, prepared),
                    ", parent_id = null where ", conditions.condition(Schema.CATEGORY, "", 1, prepared));
        };
    }

    /** New values the statement does not spell out: the engine has to re-read them. */
    private Frag updateExpression(boolean prepared) {
        return switch (random.nextInt(4)) {
            case 0 -> Frag.cat("update post set category_id = author_id where ", conditions.condition(Schema.POST, "", 1, prepared));
            case 1 -> Frag.cat("update author set score = score * 2, name = upper(name) where ",
                    conditions.condition(Schema.AUTHOR, "", 1, prepared));
            case 2 -> Frag.cat("update post set author_id = (select max(id) from author) where ",
                    conditions.condition(Schema.POST, "", 1, prepared));
            default -> Frag.cat("update post set published_at = null, uid = ",
                    values.render(values.value(Schema.POST, Schema.POST.column("uid")), ColType.UUID, prepared),
                    ", rating = rating + 1 where ", conditions.condition(Schema.POST, "", 1, prepared));
        };
    }

    private Frag updateSubquery(boolean prepared) {
        if (random.nextBoolean()) {
            return Frag.cat("update post set category_id = (select min(id) from category where ",
                    conditions.condition(Schema.CATEGORY, "", 1, prepared), ") where author_id = ",
                    values.render(values.someId("author"), ColType.INT, prepared));
        }
        return Frag.cat("update post set visible = not visible, rating = ",
                values.render(values.value(Schema.POST, Schema.POST.column("rating")), ColType.NUM, prepared),
                " where author_id in (select id from author where ", conditions.condition(Schema.AUTHOR, "", 1, prepared), ")");
    }

    private Frag deleteKey(Schema.Table t, boolean prepared) {
        if (t == Schema.POST_TAG) {
            return Frag.cat("delete from post_tag where post_id = ", values.render(values.someId("post"), ColType.INT, prepared),
                    " and tag_id = ", values.render(values.someId("tag"), ColType.INT, prepared));
        }
        return Frag.cat("delete from ", t.name(), " where id = ", values.render(values.someId(t.name()), ColType.INT, prepared));
    }

    private Action.Write preparedBatch(int conn) {
        List<List<Param>> sets = new ArrayList<>();
        int n = 2 + random.nextInt(3);
        if (random.nextBoolean()) {
            String sql = "update post set views = ?, title = ?, category_id = ? where id = ?";
            for (int i = 0; i < n; i++) {
                sets.add(List.of(new Param(random.nextInt(12), ColType.INT),
                        new Param(values.nonNull(Schema.POST, Schema.POST.column("title")), ColType.VARCHAR),
                        new Param(values.value(Schema.POST, Schema.POST.column("category_id")), ColType.INT),
                        new Param(values.someId("post"), ColType.INT)));
            }
            return new Action.Write(conn, "batch:update_key", List.of(sql), sets, Action.WriteMode.PREPARED_BATCH);
        }
        String sql = "insert into author (id, name, email, score, joined) values (?, ?, ?, ?, ?)";
        for (int i = 0; i < n; i++) {
            List<Param> set = new ArrayList<>();
            set.add(new Param(values.freshId("author"), ColType.INT));
            for (Schema.Column c : Schema.AUTHOR.columns().subList(1, 5)) {
                set.add(new Param(values.value(Schema.AUTHOR, c), c.type()));
            }
            sets.add(set);
        }
        return new Action.Write(conn, "batch:insert", List.of(sql), sets, Action.WriteMode.PREPARED_BATCH);
    }
}
