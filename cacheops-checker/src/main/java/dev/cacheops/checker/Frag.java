package dev.cacheops.checker;

import java.util.ArrayList;
import java.util.List;

/**
 * A piece of SQL text with the parameters its {@code ?} marks stand for, in text order, so
 * fragments can be concatenated without losing track of which value binds where. Immutable.
 */
public final class Frag {
    private final String text;
    private final List<Param> params;

    private Frag(String text, List<Param> params) {
        this.text = text;
        this.params = List.copyOf(params);
    }

    static Frag of(String text) {
        return new Frag(text, List.of());
    }

    static Frag param(Param p) {
        return new Frag("?", List.of(p));
    }

    /** Concatenates, each part either a {@link Frag} or anything whose {@code toString} is plain text. */
    static Frag cat(Object... parts) {
        StringBuilder sb = new StringBuilder();
        List<Param> ps = new ArrayList<>();
        for (Object o : parts) {
            if (o instanceof Frag f) {
                sb.append(f.text);
                ps.addAll(f.params);
            } else {
                sb.append(o);
            }
        }
        return new Frag(sb.toString(), ps);
    }

    /** Joins fragments with a separator. */
    static Frag join(String sep, List<Frag> frags) {
        List<Object> parts = new ArrayList<>();
        for (int i = 0; i < frags.size(); i++) {
            if (i > 0) {
                parts.add(sep);
            }
            parts.add(frags.get(i));
        }
        return cat(parts.toArray());
    }

    /** The SQL text. */
    public String text() {
        return text;
    }

    /** The parameters, in the order of their marks. */
    public List<Param> params() {
        return params;
    }

    @Override
    public String toString() {
        return params.isEmpty() ? text : text + "  -- params " + params;
    }
}
