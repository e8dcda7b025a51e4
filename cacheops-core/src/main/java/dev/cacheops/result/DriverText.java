package dev.cacheops.result;

import java.util.Arrays;
import java.util.Objects;

/**
 * A value together with the text the driver's {@code getString} returned for it, kept only when
 * that text differs from what {@link Texts#text(Object)} would derive (PostgreSQL's
 * {@code t}/{@code f} booleans are derived; H2's {@code TRUE}, an interval's server text or a
 * {@code timestamptz} printed in the session zone are not). So {@code getString} replays exactly
 * what the driver said while the common case costs no bytes.
 */
record DriverText(Object value, String text) {
    DriverText {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(text, "text");
    }

    static Object unwrap(Object v) {
        return v instanceof DriverText t ? t.value : v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DriverText other && text.equals(other.text)
                && Arrays.deepEquals(new Object[] {value}, new Object[] {other.value});
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(new Object[] {value, text});
    }
}
