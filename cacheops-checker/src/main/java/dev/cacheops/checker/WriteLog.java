package dev.cacheops.checker;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The committed writes of one run, in commit order, so that an unnecessary invalidation can be
 * attributed to the write that most likely caused it. Single-threaded.
 *
 * <p>An approximation, made in the checker alone (the engine is not asked): a write's tables are
 * the schema's table names its SQL mentions ("direct"; for {@code INSERT ... SELECT} and
 * subqueries that includes tables only read), plus, for deletes and key updates, the tables its
 * foreign keys cascade to ("cascade"); a write to {@code note} also reaches {@code note_count}
 * through the trigger ("trigger"). Writes of a transaction are logged at its commit and dropped
 * at its rollback (a rollback to a savepoint keeps them: a slight over-count). The cause of a
 * re-read is the last logged write, after the result was last seen stored, that reaches one of
 * the tables the read's SQL mentions; there may have been earlier ones that invalidated it too.
 */
final class WriteLog {
    /** Every table name of the schema, for matching SQL words. */
    private static final Set<String> TABLES = new HashSet<>();

    static {
        Schema.TABLES.forEach(t -> TABLES.add(t.name()));
        TABLES.add("note");
        TABLES.add("note_count");
    }

    /** One committed write: its label and the tables it reaches, directly or otherwise. */
    private record Entry(String label, Set<String> direct, Set<String> cascade, Set<String> trigger) {
    }

    private final List<Entry> entries = new ArrayList<>();
    private final List<List<Entry>> pending = List.of(new ArrayList<>(), new ArrayList<>());
    private final boolean[] inTransaction = new boolean[2];

    void clear() {
        entries.clear();
        pending.forEach(List::clear);
        inTransaction[0] = inTransaction[1] = false;
    }

    /** The position after the last logged write. */
    int position() {
        return entries.size();
    }

    /** Follows one executed action. */
    void record(Outcome o) {
        Action a = o.action();
        boolean skipped = o.note() != null && o.note().startsWith("skipped");
        if (a instanceof Action.Begin b && !skipped) {
            inTransaction[b.conn()] = true;
        } else if (a instanceof Action.Commit c && !skipped) {
            entries.addAll(pending.get(c.conn()));
            end(c.conn());
        } else if (a instanceof Action.Rollback r && !skipped) {
            end(r.conn());
        } else if (a instanceof Action.InvalidateRow r) {
            entries.add(new Entry("manual invalidateRow " + r.table(), Set.of(r.table()), Set.of(), Set.of()));
        } else if (a instanceof Action.InvalidateTable t) {
            entries.add(new Entry("manual invalidateTable " + t.table(), Set.of(t.table()), Set.of(), Set.of()));
        } else if (a instanceof Action.Write w) {
            boolean tx = w.conn() < 2 && inTransaction[w.conn()];
            if (o.note() != null && o.note().startsWith("write failed")) {
                if (tx && o.note().contains("transaction rolled back")) {
                    end(w.conn());
                }
                return;
            }
            Entry e = entry(w);
            if (tx) {
                pending.get(w.conn()).add(e);
            } else {
                entries.add(e);
            }
        } else if (a instanceof Action.Read r && o.note() != null && o.note().contains("transaction rolled back")) {
            end(r.conn());
        }
    }

    private void end(int conn) {
        pending.get(conn).clear();
        inTransaction[conn] = false;
    }

    /**
     * The cause of a re-read of {@code sql} whose result was last seen stored at {@code since}:
     * "shape table (how)", or "none logged" when no later write reaches its tables (its own
     * transaction's uncommitted write, a lost store, an eviction).
     */
    String cause(String sql, int since) {
        Set<String> read = tables(sql);
        for (int i = entries.size() - 1; i >= since; i--) {
            Entry e = entries.get(i);
            if (intersects(e.direct, read)) {
                return e.label + " (direct)";
            }
            if (intersects(e.cascade, read)) {
                return e.label + " (cascade)";
            }
            if (intersects(e.trigger, read)) {
                return e.label + " (trigger)";
            }
        }
        return "none logged";
    }

    private static boolean intersects(Set<String> a, Set<String> b) {
        for (String s : a) {
            if (b.contains(s)) {
                return true;
            }
        }
        return false;
    }

    private static Entry entry(Action.Write w) {
        Set<String> direct = new HashSet<>();
        String target = null;
        for (String sql : w.sqls()) {
            for (String word : words(sql)) {
                if (TABLES.contains(word)) {
                    direct.add(word);
                    if (target == null) {
                        target = word;
                    }
                }
            }
        }
        Set<String> cascade = new HashSet<>();
        String tag = w.tag();
        if (tag.contains("delete") || tag.equals("update_pk") || tag.equals("truncate")) {
            for (String t : direct) {
                children(t, cascade);
            }
            cascade.removeAll(direct);
        }
        Set<String> trigger = direct.contains("note") ? Set.of("note_count") : Set.of();
        return new Entry(tag + " " + target, direct, cascade, trigger);
    }

    /** The tables whose rows a delete or key update of {@code parent} may change, recursively. */
    private static void children(String parent, Set<String> out) {
        Schema.REFERENCES.forEach((column, referenced) -> {
            String child = column.substring(0, column.indexOf('.'));
            if (referenced.name().equals(parent) && out.add(child)) {
                children(child, out);
            }
        });
    }

    private static Set<String> tables(String sql) {
        Set<String> out = new HashSet<>();
        for (String word : words(sql)) {
            if (TABLES.contains(word)) {
                out.add(word);
            }
        }
        return out;
    }

    private static String[] words(String sql) {
        return sql.toLowerCase(Locale.ROOT).split("[^a-z0-9_]+");
    }
}
