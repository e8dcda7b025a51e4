package dev.cacheops.checker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates a whole workload from a seed: the seed rows, then a random mix of reads (about 60%),
 * writes, transactions on connection A (begin, savepoints, rollback to them, commit or rollback)
 * with connection B working in auto-commit meanwhile (and now and then a short transaction of its
 * own), and manual invalidations. The same seed and dialect always give the same actions.
 * Not thread-safe.
 */
public final class Workload {
    private final Random random;
    private final Dialect dialect;
    private final ValueSource values;
    private final ReadGenerator reads;
    private final WriteGenerator writes;
    private final TriggerGenerator triggered;
    private final boolean[] open = new boolean[2];
    /** The open transaction has written {@code note} (its trigger wrote {@code note_count}). */
    private final boolean[] fired = new boolean[2];
    private final int[] savepoints = new int[2];
    private static final int RECENT = 48;
    private final List<Action.Read> recent = new ArrayList<>();

    private boolean bypassing;

    /** A generator for {@code seed} on {@code dialect}. */
    public Workload(long seed, Dialect dialect) {
        this.random = new Random(seed);
        this.dialect = dialect;
        this.values = new ValueSource(random, dialect);
        ConditionGenerator conditions = new ConditionGenerator(values);
        this.reads = new ReadGenerator(values, conditions);
        this.writes = new WriteGenerator(values, conditions, dialect);
        this.triggered = new TriggerGenerator(random);
    }

    /**
     * Leaves out what triggers engine bugs already found (by name, see {@link #KNOWN_BUGS}), so a
     * run can look past them.
     */
    public Workload avoiding(java.util.Collection<String> knownBugs) {
        if (knownBugs.contains("upsert")) {
            writes.avoidUpserts();
        }
        if (knownBugs.contains("cte-shadow")) {
            reads.avoidShadowing();
        }
        return this;
    }

    /**
     * With {@code on}, about one auto-commit write in four goes around the cache (on the oracle
     * connection, {@link Executor#BYPASS}), as another application's would; only for a target
     * with the change stream, which must invalidate it.
     */
    public Workload bypassing(boolean on) {
        this.bypassing = on;
        return this;
    }

    /** Names of known engine bugs {@link #avoiding} can steer around. */
    public static final List<String> KNOWN_BUGS = List.of("upsert", "cte-shadow");

    /** The seed rows followed by {@code ops} random actions. */
    public List<Action> generate(int ops) {
        List<Action> out = new ArrayList<>(writes.seed(1));
        while (out.size() < ops) {
            out.add(next());
        }
        return out;
    }

    private Action next() {
        int r = random.nextInt(100);
        if (open[0] && r < 6) {
            return end(0);
        }
        if (open[1] && r < 20) {
            return end(1);
        }
        if (!open[0] && r < 8) {
            open[0] = true;
            return new Action.Begin(0);
        }
        if (!open[0] && !open[1] && r < 9) {
            open[1] = true;
            return new Action.Begin(1);
        }
        int conn = random.nextInt(100) < 55 ? 0 : 1;
        if (open[conn] && r < 12) {
            if (savepoints[conn] > 0 && random.nextBoolean()) {
                return new Action.RollbackTo(conn, "sp" + (1 + random.nextInt(savepoints[conn])));
            }
            savepoints[conn]++;
            return new Action.Savepoint(conn, "sp" + savepoints[conn]);
        }
        if (r < 14) {
            return manualInvalidation();
        }
        if (r < 74) {
            return read(conn);
        }
        if (conn == 1 && open[0] && random.nextInt(3) != 0) {
            // B's writes mostly wait for A's commit: each one that meets A's row locks costs a lock timeout
            return read(conn);
        }
        if (random.nextInt(10) == 0) {
            // a write whose trigger writes another table: dirties the whole transaction
            fired[conn] |= open[conn];
            return triggered.write(conn);
        }
        Action.Write w = writes.next(conn, open[conn]);
        // Drawn only when on, so that a workload without it is the same for a seed as before.
        int writer = bypassing && !open[conn] && random.nextInt(4) == 0 ? Executor.BYPASS : w.conn();
        return new Action.Write(writer, w.tag(), w.sqls().stream().map(sql -> Spelling.vary(sql, dialect, random)).toList(),
                w.paramSets(), w.mode());
    }

    /** Half the reads repeat a recent one (on this connection), so results get served from the cache. */
    private Action.Read read(int conn) {
        if (fired[conn] && random.nextInt(4) == 0) {
            // the table the trigger wrote, and one the transaction never wrote: both must bypass
            return random.nextBoolean() ? triggered.countRead(conn) : reads.next(conn);
        }
        if (!recent.isEmpty() && random.nextBoolean()) {
            Action.Read old = recent.get(random.nextInt(recent.size()));
            return new Action.Read(conn, old.tag(), old.sql(), old.params(), old.prepared(), old.ordered(), old.maxRows());
        }
        Action.Read made = random.nextInt(10) == 0 ? triggered.read(conn) : reads.next(conn);
        Action.Read fresh = new Action.Read(conn, made.tag(), Spelling.vary(made.sql(), dialect, random), made.params(),
                made.prepared(), made.ordered(), made.maxRows());
        if (recent.size() < RECENT) {
            recent.add(fresh);
        } else {
            recent.set(random.nextInt(RECENT), fresh);
        }
        return fresh;
    }

    private Action end(int conn) {
        open[conn] = false;
        fired[conn] = false;
        savepoints[conn] = 0;
        int r = random.nextInt(10);
        if (r < 3) {
            return new Action.Rollback(conn);
        }
        return new Action.Commit(conn, r == 9);
    }

    private Action manualInvalidation() {
        Schema.Table t = values.pick(Schema.TABLES);
        if (random.nextInt(4) == 0) {
            return new Action.InvalidateTable(t.name());
        }
        Map<String, Object> row = new HashMap<>();
        for (Schema.Column c : t.columns()) {
            if (random.nextInt(3) != 0) {
                Object v = values.nonNull(t, c);
                row.put(c.name(), v);
            }
        }
        return new Action.InvalidateRow(t.name(), Map.copyOf(row));
    }
}
