package dev.cacheops.checker;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One step of a workload. Connection numbers: {@code 0} is connection A, {@code 1} is B, both
 * through the cache. Actions are plain data, so a workload can be replayed, shrunk and printed as
 * Java source. Immutable.
 */
public sealed interface Action {
    /** Connection names for printing. */
    String[] NAMES = {"a", "b", "bypass"};

    /** One line of SQL-ish text for the op log. */
    String describe();

    /** Java source that builds this action (for a regression test). */
    String javaSource();

    /**
     * A read through the cache, compared with the database.
     *
     * @param conn     the connection
     * @param tag      the query shape, for the over-invalidation report
     * @param sql      the statement
     * @param params   its parameters (empty when run as a plain {@code Statement})
     * @param prepared whether it runs as a {@code PreparedStatement}
     * @param ordered  whether the row order is total (else rows compare as multisets)
     * @param maxRows  {@code setMaxRows} (0: no limit), which must be part of the cache key
     */
    record Read(int conn, String tag, String sql, List<Param> params, boolean prepared, boolean ordered, int maxRows)
            implements Action {
        public Read {
            params = List.copyOf(params);
        }

        @Override
        public String describe() {
            return NAMES[conn] + " read[" + tag + "]" + (prepared ? " ps" : "") + (maxRows > 0 ? " maxRows=" + maxRows : "")
                    + ": " + sql
                    + (params.isEmpty() ? "" : "  -- params " + params);
        }

        @Override
        public String javaSource() {
            return "new Action.Read(" + conn + ", " + q(tag) + ", " + q(sql) + ", " + paramsSource(params) + ", "
                    + prepared + ", " + ordered + ", " + maxRows + ")";
        }
    }

    /** How a write is sent to the driver. */
    enum WriteMode {
        /** {@code Statement.executeUpdate}, {@code execute} or {@code executeLargeUpdate} (by the text's length). */
        STATEMENT,
        /** {@code PreparedStatement.executeUpdate}. */
        PREPARED,
        /** {@code Statement.addBatch} and {@code executeBatch}. */
        STATEMENT_BATCH,
        /** {@code PreparedStatement.addBatch} per parameter set and {@code executeBatch}. */
        PREPARED_BATCH,
        /** A write that returns rows ({@code RETURNING}, data-modifying CTE, H2's {@code FINAL TABLE}) by {@code executeQuery}. */
        QUERY,
        /**
         * An ORM-style rewrite, {@code update t set a = ?, b = ?, ... where id = <n>}: each
         * {@code ?} is bound to the row's current value of its column (read directly, in the
         * connection's transaction if it has one), then {@code PreparedStatement.executeUpdate}.
         */
        REWRITE
    }

    /**
     * A write through the cache.
     *
     * @param conn      the connection
     * @param tag       the kind of write
     * @param sqls      one statement, or several for a {@code Statement} batch
     * @param paramSets one parameter set per execution (a {@code PreparedStatement} batch has several)
     * @param mode      how it is executed
     */
    record Write(int conn, String tag, List<String> sqls, List<List<Param>> paramSets, WriteMode mode)
            implements Action {
        public Write {
            sqls = List.copyOf(sqls);
            paramSets = paramSets.stream().map(List::copyOf).toList();
        }

        @Override
        public String describe() {
            String body = mode == WriteMode.STATEMENT_BATCH ? String.join("; ", sqls)
                    : sqls.get(0) + (paramSets.isEmpty() || paramSets.get(0).isEmpty() ? ""
                    : "  -- params " + paramSets.stream().map(Object::toString).collect(Collectors.joining(" ")));
            return NAMES[conn] + " write[" + tag + "] " + mode.name().toLowerCase() + ": " + body;
        }

        @Override
        public String javaSource() {
            return "new Action.Write(" + conn + ", " + q(tag) + ", List.of("
                    + sqls.stream().map(Action::q).collect(Collectors.joining(", ")) + "), List.of("
                    + paramSets.stream().map(Action::paramsSource).collect(Collectors.joining(", "))
                    + "), Action.WriteMode." + mode + ")";
        }
    }

    /** {@code setAutoCommit(false)}. */
    record Begin(int conn) implements Action {
        @Override
        public String describe() {
            return NAMES[conn] + " begin (setAutoCommit(false))";
        }

        @Override
        public String javaSource() {
            return "new Action.Begin(" + conn + ")";
        }
    }

    /** {@code commit()} (or, with {@code viaAutoCommit}, {@code setAutoCommit(true)}), back to auto-commit. */
    record Commit(int conn, boolean viaAutoCommit) implements Action {
        @Override
        public String describe() {
            return NAMES[conn] + (viaAutoCommit ? " commit by setAutoCommit(true)" : " commit");
        }

        @Override
        public String javaSource() {
            return "new Action.Commit(" + conn + ", " + viaAutoCommit + ")";
        }
    }

    /** {@code rollback()}, back to auto-commit. */
    record Rollback(int conn) implements Action {
        @Override
        public String describe() {
            return NAMES[conn] + " rollback";
        }

        @Override
        public String javaSource() {
            return "new Action.Rollback(" + conn + ")";
        }
    }

    /** {@code setSavepoint(name)} when in a transaction. */
    record Savepoint(int conn, String name) implements Action {
        @Override
        public String describe() {
            return NAMES[conn] + " savepoint " + name;
        }

        @Override
        public String javaSource() {
            return "new Action.Savepoint(" + conn + ", " + q(name) + ")";
        }
    }

    /** {@code rollback(savepoint)} when that savepoint exists. */
    record RollbackTo(int conn, String name) implements Action {
        @Override
        public String describe() {
            return NAMES[conn] + " rollback to savepoint " + name;
        }

        @Override
        public String javaSource() {
            return "new Action.RollbackTo(" + conn + ", " + q(name) + ")";
        }
    }

    /** {@code cacheops.invalidateRow(table, values)}. */
    record InvalidateRow(String table, Map<String, Object> values) implements Action {
        @Override
        public String describe() {
            return "cacheops.invalidateRow(" + table + ", " + values + ")";
        }

        @Override
        public String javaSource() {
            return "new Action.InvalidateRow(" + q(table) + ", Map.of(" + values.entrySet().stream()
                    .map(e -> q(e.getKey()) + ", " + new Param(e.getValue(), ColType.INT).javaSource())
                    .collect(Collectors.joining(", ")) + "))";
        }
    }

    /** {@code cacheops.invalidateTable(table)}. */
    record InvalidateTable(String table) implements Action {
        @Override
        public String describe() {
            return "cacheops.invalidateTable(" + table + ")";
        }

        @Override
        public String javaSource() {
            return "new Action.InvalidateTable(" + q(table) + ")";
        }
    }

    private static String q(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String paramsSource(List<Param> ps) {
        return "List.of(" + ps.stream().map(Param::constructorSource).collect(Collectors.joining(", ")) + ")";
    }
}
