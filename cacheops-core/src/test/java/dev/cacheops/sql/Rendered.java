package dev.cacheops.sql;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A compact text form of an {@link Analysis}, so that table-driven tests read as SQL in, one line
 * out: {@code FETCH post: post{category_id=?1 & visible=true | id=5} category{*}}.
 */
final class Rendered {
    private Rendered() {
    }

    static String of(Analysis analysis) {
        if (analysis instanceof Analysis.Read read) {
            return read.op() + " " + read.firstTable() + ": " + read.reads().stream()
                    .map(r -> r.table() + "{" + dnf(r.dnf()) + "}")
                    .collect(Collectors.joining(" "));
        }
        if (analysis instanceof Analysis.UncacheableRead) {
            return "UNCACHEABLE";
        }
        if (analysis instanceof Analysis.NotUnderstood n) {
            return n.mayWrite() ? "NOT UNDERSTOOD (may write)" : "NOT UNDERSTOOD";
        }
        if (analysis instanceof Analysis.Neutral) {
            return "NEUTRAL";
        }
        Analysis.Write w = (Analysis.Write) analysis;
        return w.kind() + " " + w.tables() + (w.wholeTable() == null ? "" : " whole table");
    }

    static String dnf(Dnf dnf) {
        if (dnf.matchesAll()) {
            return "*";
        }
        return dnf.conjunctions().stream()
                .map(c -> c.stream().map(t -> t.column() + "=" + value(t.value())).collect(Collectors.joining(" & ")))
                .collect(Collectors.joining(" | "));
    }

    static String value(ValueRef v) {
        if (v instanceof ValueRef.Parameter p) {
            return "?" + p.index();
        }
        if (v instanceof ValueRef.ArrayParameter p) {
            return "any(?" + p.index() + ")";
        }
        if (v instanceof ValueRef.Default) {
            return "DEFAULT";
        }
        if (v instanceof ValueRef.Opaque o) {
            return "<" + o.sql() + ">";
        }
        ValueRef.Literal lit = (ValueRef.Literal) v;
        return switch (lit.type()) {
            case NULL -> "NULL";
            case NUMBER, BOOLEAN -> lit.text();
            case STRING -> "'" + lit.text() + "'";
            default -> lit.type() + "'" + lit.text() + "'";
        };
    }

    static String values(List<ValueRef> row) {
        return row.stream().map(Rendered::value).collect(Collectors.joining(", "));
    }
}
