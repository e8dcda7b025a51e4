package dev.cacheops.function;

import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A stable text for function arguments: the same arguments give the same text in every JVM and
 * on every machine (no identity hash codes, no iteration order of hash-based collections).
 * Values that cannot be keyed stably are refused with a message saying what to pass instead.
 */
final class ArgumentKeys {
    private ArgumentKeys() {
    }

    /**
     * @throws IllegalArgumentException for a value with no stable text
     */
    static String of(Object value) {
        StringBuilder b = new StringBuilder();
        append(b, value, 0);
        return b.toString();
    }

    private static void append(StringBuilder b, Object v, int depth) {
        if (depth > 32) {
            throw new IllegalArgumentException("function argument nested too deeply to key");
        }
        if (v == null) {
            b.append('N');
        } else if (v instanceof String || v instanceof Character) {
            String s = v.toString();
            b.append('S').append(s.length()).append(':').append(s);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte
                || v instanceof BigInteger) {
            b.append('I').append(v).append(';');
        } else if (v instanceof BigDecimal d) {
            b.append('D').append(d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString()).append(';');
        } else if (v instanceof Double || v instanceof Float) {
            b.append('F').append(((Number) v).doubleValue()).append(';');
        } else if (v instanceof Boolean x) {
            b.append(x ? 'T' : 'F');
        } else if (v instanceof Enum<?> e) {
            b.append('E').append(e.getDeclaringClass().getName()).append('.').append(e.name()).append(';');
        } else if (v instanceof UUID || v instanceof TemporalAccessor) {
            String s = v.toString();
            b.append('t').append(v.getClass().getName()).append(':').append(s.length()).append(':').append(s);
        } else if (v instanceof java.util.Date d) {
            b.append('d').append(v.getClass().getName()).append(':').append(d.getTime()).append(';');
        } else if (v instanceof Set<?> set) {
            List<String> items = new ArrayList<>();
            for (Object o : set) {
                items.add(of(o));
            }
            items.sort(null);
            b.append("Z").append(items.size()).append('[');
            items.forEach(b::append);
            b.append(']');
        } else if (v instanceof Map<?, ?> map) {
            List<String> entries = new ArrayList<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                entries.add(of(e.getKey()) + "=" + of(e.getValue()));
            }
            entries.sort(null);
            b.append("M").append(entries.size()).append('{');
            entries.forEach(b::append);
            b.append('}');
        } else if (v instanceof Collection<?> list) {
            b.append("L").append(list.size()).append('[');
            for (Object o : list) {
                append(b, o, depth + 1);
            }
            b.append(']');
        } else if (v.getClass().isArray()) {
            int n = Array.getLength(v);
            b.append("L").append(n).append('[');
            for (int i = 0; i < n; i++) {
                append(b, Array.get(v, i), depth + 1);
            }
            b.append(']');
        } else if (v instanceof Record r) {
            b.append('R').append(r.getClass().getName()).append('(');
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                try {
                    append(b, c.getAccessor().invoke(r), depth + 1);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalArgumentException("cannot read record component " + c.getName(), e);
                }
            }
            b.append(')');
        } else {
            throw new IllegalArgumentException("a function argument of type " + v.getClass().getName()
                    + " cannot be keyed stably across JVMs; pass strings, numbers, booleans, enums, UUIDs,"
                    + " java.time values, records, or collections/arrays/maps of those, or key the call"
                    + " with explicit key parts");
        }
    }
}
