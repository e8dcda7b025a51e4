package dev.cacheops.result;

import java.lang.reflect.Method;
import java.sql.SQLException;
import java.util.Objects;

/**
 * A PostgreSQL {@code PGobject} (json, jsonb, interval, inet, ...) as its class, type name and
 * value text. The driver is not a compile dependency of the library, so the object is read and
 * rebuilt by reflection; rebuilding is limited to {@code org.postgresql} classes that extend
 * {@code PGobject}, because the class name comes from the cache and must not choose what gets
 * loaded.
 */
record PgValue(String className, String type, String value) {
    static final String PG_OBJECT = "org.postgresql.util.PGobject";

    PgValue {
        Objects.requireNonNull(className, "className");
    }

    /** True when {@code o} is a {@code PGobject} (of any subclass). */
    static boolean isPgObject(Object o) {
        for (Class<?> c = o.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals(PG_OBJECT)) {
                return true;
            }
        }
        return false;
    }

    /** Reads type and value of a {@code PGobject}; {@code o} must satisfy {@link #isPgObject}. */
    static PgValue of(Object o) throws ReflectiveOperationException {
        Class<?> base = baseClass(o.getClass());
        String type = (String) base.getMethod("getType").invoke(o);
        String value = (String) base.getMethod("getValue").invoke(o);
        return new PgValue(o.getClass().getName(), type, value);
    }

    private static Class<?> baseClass(Class<?> c) {
        while (!c.getName().equals(PG_OBJECT)) {
            c = c.getSuperclass();
        }
        return c;
    }

    /** A fresh {@code PGobject} of the recorded class (callers may mutate it, so never shared). */
    Object rebuild() throws SQLException {
        if (!className.startsWith("org.postgresql.")) {
            throw new SQLException("refusing to rebuild PGobject of class " + className);
        }
        try {
            ClassLoader loader = PgValue.class.getClassLoader();
            Class<?> base = Class.forName(PG_OBJECT, false, loader);
            Class<?> c = Class.forName(className, false, loader);
            if (!base.isAssignableFrom(c)) {
                throw new SQLException(className + " is not a PGobject");
            }
            Object o = c.getConstructor().newInstance();
            Method setType = base.getMethod("setType", String.class);
            Method setValue = base.getMethod("setValue", String.class);
            setType.invoke(o, type);
            setValue.invoke(o, value);
            return o;
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new SQLException("cannot rebuild " + className + " (is the PostgreSQL driver on the "
                    + "class path?)", e);
        }
    }
}
