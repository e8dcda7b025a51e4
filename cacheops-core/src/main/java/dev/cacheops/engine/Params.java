package dev.cacheops.engine;

import dev.cacheops.protocol.Hashing;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.temporal.Temporal;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * The parameters bound to a prepared statement, remembered so that the cache can key the result,
 * bind the same values to old-image selects, and compute invalidations. Each parameter keeps the
 * exact setter call, replayed as is. Not thread-safe, like the statement.
 */
public final class Params {
    /** Replays one setter call on another statement. */
    @FunctionalInterface
    public interface Binder {
        /** Calls the setter on {@code ps} at {@code index}. */
        void bind(PreparedStatement ps, int index) throws SQLException;
    }

    /**
     * One bound parameter.
     *
     * @param value   the Java value (null for SQL NULL)
     * @param sqlType the SQL type given with it, or {@link Integer#MIN_VALUE}
     * @param binder  the setter call
     * @param keyable whether the value has a stable, complete string form for the cache key
     *                (streams, readers, LOBs and unknown objects do not)
     */
    record Param(Object value, int sqlType, Binder binder, boolean keyable) { }

    private Param[] values = new Param[8];
    private int max;

    /** No parameters set yet. */
    public Params() {
    }

    /** Records a parameter set without a SQL type. */
    public void set(int index, Object value, Binder binder) {
        put(index, new Param(value, Integer.MIN_VALUE, binder, keyable(value)));
    }

    /** Records a parameter set with a SQL type. */
    public void set(int index, Object value, int sqlType, Binder binder) {
        put(index, new Param(value, sqlType, binder, keyable(value)));
    }

    /** A parameter whose value cannot be keyed or inspected (a stream, a LOB). */
    public void opaque(int index, Binder binder) {
        put(index, new Param(null, Integer.MIN_VALUE, binder, false));
    }

    private void put(int index, Param p) {
        if (index < 1) {
            return; // the driver reports the bad index when the statement runs
        }
        if (index > values.length) {
            values = Arrays.copyOf(values, Math.max(index, values.length * 2));
        }
        values[index - 1] = p;
        max = Math.max(max, index);
    }

    /** Forgets every parameter ({@code clearParameters}). */
    public void clear() {
        Arrays.fill(values, null);
        max = 0;
    }

    /** A copy, for a batch entry. */
    public Params copy() {
        Params p = new Params();
        p.values = values.clone();
        p.max = max;
        return p;
    }

    /** The parameter at a 1-based index, or null when not set. */
    Param get(int index) {
        return index >= 1 && index <= max ? values[index - 1] : null;
    }

    /** True when every parameter set has a keyable value. */
    public boolean keyable() {
        for (int i = 0; i < max; i++) {
            if (values[i] != null && !values[i].keyable) {
                return false;
            }
        }
        return true;
    }

    /** Adds every parameter (index, type, class, value) to a cache key. */
    public void addTo(Hashing.KeyBuilder key) {
        key.add(max);
        for (int i = 0; i < max; i++) {
            Param p = values[i];
            if (p == null) {
                key.add("unset");
                continue;
            }
            key.add(p.sqlType);
            addValue(key, p.value);
        }
    }

    private static void addValue(Hashing.KeyBuilder key, Object v) {
        if (v == null) {
            key.add((String) null);
        } else if (v instanceof byte[] b) {
            key.add("byte[]").add(b);
        } else if (v instanceof Object[] a) {
            key.add("array").add(a.length);
            for (Object o : a) {
                addValue(key, o);
            }
        } else if (v instanceof Array a) {
            try {
                key.add("sql.Array").add(a.getBaseTypeName());
                addValue(key, a.getArray());
            } catch (SQLException e) {
                key.add("unreadable array " + System.identityHashCode(a));
            }
        } else if (v.getClass().isArray()) {
            // Primitive arrays (int[], long[] ...) as their boxed elements.
            int n = java.lang.reflect.Array.getLength(v);
            key.add(v.getClass().getName()).add(n);
            for (int i = 0; i < n; i++) {
                addValue(key, java.lang.reflect.Array.get(v, i));
            }
        } else {
            key.add(v.getClass().getName()).add(v.toString());
        }
    }

    /** Binds the parameters at {@code indexes} to {@code ps} as its parameters 1, 2, ... */
    void bindTo(PreparedStatement ps, List<Integer> indexes) throws SQLException {
        int to = 1;
        for (int from : indexes) {
            Param p = get(from);
            if (p == null) {
                throw new SQLException("parameter " + from + " is not set");
            }
            p.binder.bind(ps, to++);
        }
    }

    /**
     * Values whose string form is complete and stable: two values with the same class and string
     * form are the same value to the database.
     */
    static boolean keyable(Object v) {
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Character
                || v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte
                || v instanceof BigDecimal || v instanceof BigInteger || v instanceof Double
                || v instanceof Float || v instanceof byte[] || v instanceof UUID
                || v instanceof java.util.Date || v instanceof Temporal) {
            return true;
        }
        if (v instanceof Object[] a) {
            return Arrays.stream(a).allMatch(Params::keyable);
        }
        if (v instanceof Array a) {
            try {
                return keyable(a.getArray());
            } catch (SQLException e) {
                return false;
            }
        }
        return v.getClass().isArray() && v.getClass().getComponentType().isPrimitive();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < max; i++) {
            Object v = values[i] == null ? "unset" : values[i].value;
            b.append(i == 0 ? "" : ", ").append(v instanceof byte[] x ? HexFormat.of().formatHex(x) : v);
        }
        return b.append(']').toString();
    }
}
