package dev.cacheops.engine;

import dev.cacheops.Explanation;
import dev.cacheops.PassReason;
import dev.cacheops.protocol.BoundTable;
import dev.cacheops.sql.Analysis;
import dev.cacheops.sql.TableName;
import dev.cacheops.sql.ValueRef;
import dev.cacheops.store.Lookup;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Explains a statement the way the engine would treat it, without running it and without touching
 * the store: it plans the statement on a connection of its own (a {@link Database} that is not
 * attached to the engine, so nothing is remembered) and binds the given parameters. Stateless.
 */
public final class Explainer {
    /** Stands in for the entry hash: only the stamp keys of the lookup are reported. */
    private static final String NO_ENTRY = "explain";

    private final Engine engine;

    /** An explainer over the engine's analyser, profiles and key schema. */
    public Explainer(Engine engine) {
        this.engine = engine;
    }

    /**
     * Explains {@code sql} against {@code source}'s catalog.
     *
     * @param params the statement's parameters, in order ({@code ?1} is the first)
     * @throws SQLException when no connection can be had or the catalog cannot be read
     */
    public Explanation explain(DataSource source, String sql, List<?> params) throws SQLException {
        Database db = new Database(engine, source);
        try (Connection raw = source.getConnection()) {
            db.init(raw);
            if (!db.ready()) {
                throw new SQLException("cannot read the database's identity and catalog (see the log)");
            }
            Plan plan = db.plan(sql, raw);
            Analysis analysis = engine.analyzer().analyze(sql, t -> db.catalog().columnNames(raw, t));
            Params bound = bind(params);
            if (plan instanceof Plan.Read r) {
                return read(sql, r, analysis, bound);
            }
            if (plan instanceof Plan.Write w) {
                return write(sql, w.analysis(), db, raw, bound);
            }
            if (plan instanceof Plan.Unknown u) {
                String what = u.mayWrite() ? "may write: invalidates everything (the epoch) when it commits"
                        : "a read: passes through uncached";
                return new Explanation(sql, Explanation.Kind.NOT_UNDERSTOOD, null, false,
                        u.mayWrite() ? null : PassReason.NOT_UNDERSTOOD, u.reason() + "; " + what, null,
                        Duration.ZERO, List.of(), List.of(), List.of());
            }
            String what = analysis instanceof Analysis.Neutral n ? n.what() : "";
            return new Explanation(sql, Explanation.Kind.NEUTRAL, null, false, null, what, null, Duration.ZERO,
                    List.of(), List.of(), List.of());
        }
    }

    private static Params bind(List<?> values) {
        Params p = new Params();
        for (int i = 0; i < values.size(); i++) {
            Object v = values.get(i);
            p.set(i + 1, v, (ps, index) -> ps.setObject(index, v));
        }
        return p;
    }

    private Explanation read(String sql, Plan.Read r, Analysis analysis, Params params) {
        if (r.blocked() != null) {
            String detail = analysis instanceof Analysis.UncacheableRead u ? u.reason()
                    : analysis instanceof Analysis.NotUnderstood n ? n.reason() : "";
            return new Explanation(sql, Explanation.Kind.READ, null, false, r.blocked(), detail, null, Duration.ZERO,
                    List.of(), List.of(), List.of());
        }
        List<BoundTable> bound = Binder.bind(r, params, engine.settings().analyzer().inListLimit());
        List<Explanation.TableRead> reads = new ArrayList<>();
        for (int i = 0; i < r.tables().size(); i++) {
            Plan.PlannedTable planned = r.tables().get(i);
            BoundTable b = bound.get(i);
            Lookup one = engine.protocol().lookup(NO_ENTRY, List.of(b));
            List<String> schemes = one.schemes().stream().map(Lookup.SchemeRef::scheme).distinct().toList();
            reads.add(new Explanation.TableRead(planned.table().canonical(), conditions(planned),
                    b.conjunctions(), schemes, one.stampKeys().subList(1, one.stampKeys().size())));
        }
        List<String> stampKeys = engine.protocol().lookup(NO_ENTRY, bound).stampKeys();
        PassReason reason = r.auto() ? null : PassReason.NOT_ENABLED;
        String detail = r.auto() ? rows(r)
                : r.manual() ? "the profile of " + r.profileTable() + " does not cache " + r.op()
                        + " automatically; manual caching (cache(...) or /* cacheops:cache */) would"
                : "no profile matches " + r.profileTable() + "; not even manual caching applies";
        return new Explanation(sql, Explanation.Kind.READ, r.op(), r.auto(), reason, detail, r.profileTable(),
                Duration.ofMillis(r.ttlMillis()), reads, stampKeys, List.of());
    }

    /** What rows from results (DESIGN §3, "Rows of a result") does with a cacheable read, or "". */
    private String rows(Plan.Read r) {
        if (r.rows() == null || !engine.settings().rowsFromResults() || !engine.protocol().fillsDerived()) {
            return "";
        }
        String same = r.rows().columns() == null ? "every column (*)" : "the same columns";
        return r.rows().key() != null
                ? "a lookup by " + r.rows().key().name() + ": also stored from the rows of cached results of "
                        + r.profileTable() + " with " + same + ", once read here"
                : "its rows (up to " + RowTemplates.MAX_ROWS + ") also answer the lookups by key of "
                        + r.profileTable() + " with " + same + " read here";
    }

    private static List<List<String>> conditions(Plan.PlannedTable t) {
        List<List<String>> out = new ArrayList<>();
        for (List<Plan.PlannedTerm> conj : t.conjunctions()) {
            List<String> terms = new ArrayList<>();
            for (Plan.PlannedTerm term : conj) {
                terms.add(term.column().name() + " = " + text(term.value()));
            }
            out.add(terms);
        }
        return out;
    }

    private static String text(ValueRef v) {
        if (v instanceof ValueRef.Parameter p) {
            return "?" + p.index();
        }
        if (v instanceof ValueRef.ArrayParameter p) {
            return "any(?" + p.index() + ")";
        }
        if (v instanceof ValueRef.Literal l) {
            return l.text() == null ? "null"
                    : l.type() == ValueRef.LiteralType.STRING ? "'" + l.text() + "'" : l.text();
        }
        if (v instanceof ValueRef.Opaque o) {
            return o.sql();
        }
        return "default";
    }

    private Explanation write(String sql, Analysis.Write w, Database db, Connection raw, Params params)
            throws SQLException {
        List<Explanation.TableWrite> writes = new ArrayList<>();
        for (TableName name : w.tables()) {
            Optional<TableInfo> info = db.catalog().resolveForWrite(raw, name);
            if (info.isEmpty()) {
                writes.add(new Explanation.TableWrite(name.toString(), true,
                        "unknown table: a writer that cannot name its table invalidates everything", List.of()));
                continue;
            }
            TableInfo t = info.get();
            if (w.plainInsertSelect() && db.catalog().returnsInsertedRows()) {
                writes.add(new Explanation.TableWrite(t.canonical(), false, "the inserted rows, returned by the "
                        + "statement itself (the whole table in a batch, with generated keys asked for, or past "
                        + "bulkRows rows)", List.of()));
            } else if (w.wholeTable() != null) {
                writes.add(new Explanation.TableWrite(t.canonical(), true, w.wholeTable(), List.of()));
            } else {
                writes.add(rows(w, t, params));
            }
            for (TableInfo.ChildKey k : t.children()) {
                writes.add(new Explanation.TableWrite(k.childCanonical(), false,
                        "cascade: rows whose " + String.join(", ", k.childColumns()) + " reference the written "
                                + String.join(", ", k.parentColumns()) + " (other schemes as a whole)", List.of()));
            }
        }
        String detail = w.kind() + (w.reads().isEmpty() ? "" : "; also reads " + w.reads());
        return new Explanation(sql, Explanation.Kind.WRITE, null, false, null, detail, null, Duration.ZERO,
                List.of(), List.of(), writes);
    }

    /**
     * How a write gets the old images, in general: which way a given execution takes depends on
     * the database, the statement's form and the schemes registered when it runs (DESIGN §4).
     */
    private static final String LOCKED_IMAGES =
            "given by the condition when it fixes every column they need, else returned by the write statement"
                    + " itself where the database can, else read FOR UPDATE before it";

    private static Explanation.TableWrite rows(Analysis.Write w, TableInfo t, Params params) {
        return switch (w.kind()) {
            case INSERT, UPSERT -> {
                List<String> columns = w.columns() != null ? w.columns() : List.copyOf(t.columns().keySet());
                List<Map<String, String>> rows = new ArrayList<>();
                for (List<ValueRef> row : w.rows()) {
                    Map<String, String> image = new LinkedHashMap<>();
                    for (int i = 0; i < row.size() && i < columns.size(); i++) {
                        image.put(columns.get(i), value(row.get(i), params));
                    }
                    rows.add(image);
                }
                String how = "the inserted values (omitted, defaulted and generated columns read back)";
                String by = w.conflictColumns().isEmpty() ? "" : " by " + String.join(", ", w.conflictColumns());
                if (w.kind() == Analysis.WriteKind.UPSERT && w.assignments().isEmpty()) {
                    how += "; on conflict nothing: a conflicting row" + by + " is left as it was";
                } else if (w.kind() == Analysis.WriteKind.UPSERT) {
                    how += "; on conflict also the old and new images of the conflicting row" + by;
                }
                yield new Explanation.TableWrite(t.canonical(), false, how, rows);
            }
            case UPDATE -> new Explanation.TableWrite(t.canonical(), false,
                    "old images of the rows " + where(w, params) + " (" + LOCKED_IMAGES + ") and their new images"
                            + " with " + assignments(w, params), List.of());
            case DELETE -> new Explanation.TableWrite(t.canonical(), false,
                    "old images of the rows " + where(w, params) + " (" + LOCKED_IMAGES + ")", List.of());
            default -> new Explanation.TableWrite(t.canonical(), true, w.kind().toString(), List.of());
        };
    }

    private static String where(Analysis.Write w, Params params) {
        if (w.whereSql() == null) {
            return "of the whole table";
        }
        List<String> bound = new ArrayList<>();
        for (int index : w.whereParameters()) {
            bound.add("?" + index + " = " + value(new ValueRef.Parameter(index), params));
        }
        return "where " + w.whereSql() + (bound.isEmpty() ? "" : " [" + String.join(", ", bound) + "]");
    }

    private static String assignments(Analysis.Write w, Params params) {
        List<String> out = new ArrayList<>();
        w.assignments().forEach((c, v) -> out.add(c + " = " + value(v, params)));
        return String.join(", ", out);
    }

    /** A written value with its parameter substituted when one was given. */
    private static String value(ValueRef v, Params params) {
        if (v instanceof ValueRef.Parameter p) {
            Params.Param param = params.get(p.index());
            return param == null ? "?" + p.index() : String.valueOf(param.value());
        }
        return text(v);
    }
}
