package dev.cacheops.spring.boot.jpa;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;

/**
 * Records every statement that reaches the database: a proxy placed under the pool (so under
 * the cache), logging the SQL of each {@code execute*} call. Tests count the statements the
 * cache let through. Thread-safe.
 */
public final class StatementLog {
    private final List<String> executed = new CopyOnWriteArrayList<>();

    /** A data source over {@code target} whose statements are logged here. */
    public DataSource around(DataSource target) {
        return proxy(DataSource.class, target, null);
    }

    /** How many executed statements contain {@code fragment} (case-insensitive). */
    public long count(String fragment) {
        String f = fragment.toLowerCase(Locale.ROOT);
        return executed.stream().filter(s -> s.toLowerCase(Locale.ROOT).contains(f)).count();
    }

    /** Everything executed so far. */
    public List<String> all() {
        return List.copyOf(executed);
    }

    private <T> T proxy(Class<T> type, Object target, String sql) {
        InvocationHandler handler = (p, method, args) -> {
            String name = method.getName();
            if (name.startsWith("execute") && target instanceof Statement) {
                executed.add(sql != null ? sql : args != null && args.length > 0 && args[0] instanceof String s ? s : "?");
            }
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (result instanceof Connection c && method.getReturnType() == Connection.class) {
                return proxy(Connection.class, c, null);
            }
            if (result instanceof CallableStatement s && method.getReturnType() == CallableStatement.class) {
                return proxy(CallableStatement.class, s, (String) args[0]);
            }
            if (result instanceof PreparedStatement s && method.getReturnType() == PreparedStatement.class) {
                return proxy(PreparedStatement.class, s, (String) args[0]);
            }
            if (result instanceof Statement s && method.getReturnType() == Statement.class) {
                return proxy(Statement.class, s, null);
            }
            return result;
        };
        return type.cast(Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, handler));
    }
}
