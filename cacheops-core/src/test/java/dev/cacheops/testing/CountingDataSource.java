package dev.cacheops.testing;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;

/**
 * Sits under the cache and records every statement that reaches the database, so tests can tell a
 * hit (nothing executed) from a miss (the SQL executed once more).
 */
public final class CountingDataSource {
    private final DataSource dataSource;
    private final List<String> executed = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger commits = new java.util.concurrent.atomic.AtomicInteger();
    private volatile java.util.function.Consumer<String> afterExecute = sql -> { };

    public CountingDataSource(DataSource target) {
        this.dataSource = proxy(DataSource.class, target, (m, args, result) -> {
            if (result instanceof Connection c && m.getName().equals("getConnection")) {
                return connection(c);
            }
            return result;
        });
    }

    /** The data source to wrap with the cache. */
    public DataSource dataSource() {
        return dataSource;
    }

    /** How many times exactly this SQL text reached the database. */
    public int count(String sql) {
        return (int) executed.stream().filter(sql::equals).count();
    }

    /** Every statement executed so far. */
    public List<String> executed() {
        return List.copyOf(executed);
    }

    /**
     * Runs {@code hook} on the executing thread right after a prepared statement has executed on
     * the database (its rows read, not yet handed to the cache): tests use it to interleave a
     * write at exactly that point.
     */
    public void afterExecute(java.util.function.Consumer<String> hook) {
        this.afterExecute = hook;
    }

    /** How many times {@code Connection.commit()} reached the database: writes wrapped in a transaction. */
    public int commits() {
        return commits.get();
    }

    public void reset() {
        executed.clear();
        commits.set(0);
    }

    private Connection connection(Connection c) {
        return proxy(Connection.class, c, (m, args, result) -> {
            if (result instanceof PreparedStatement ps && m.getName().startsWith("prepare")) {
                return prepared(ps, (String) args[0]);
            }
            if (result instanceof Statement s && m.getName().equals("createStatement")) {
                return statement(s);
            }
            return result;
        }, (m, args) -> {
            if (m.getName().equals("commit")) {
                commits.incrementAndGet();
            }
        });
    }

    private Statement statement(Statement s) {
        return proxy(Statement.class, s, (m, args, result) -> result, (m, args) -> {
            if (m.getName().startsWith("execute") && args != null && args.length > 0 && args[0] instanceof String sql) {
                executed.add(sql);
            }
        });
    }

    private PreparedStatement prepared(PreparedStatement ps, String sql) {
        Class<?> iface = ps instanceof java.sql.CallableStatement ? java.sql.CallableStatement.class : PreparedStatement.class;
        return (PreparedStatement) proxy(iface, ps, (m, args, result) -> {
            if (m.getName().startsWith("execute")) {
                afterExecute.accept(sql);
            }
            return result;
        }, (m, args) -> {
            if (m.getName().startsWith("execute")) {
                executed.add(args != null && args.length > 0 && args[0] instanceof String s ? s : sql);
            }
        });
    }

    private interface After {
        Object apply(Method m, Object[] args, Object result) throws Exception;
    }

    private interface Before {
        void apply(Method m, Object[] args);
    }

    private static <T> T proxy(Class<T> iface, Object target, After after) {
        return proxy(iface, target, after, (m, a) -> { });
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> iface, Object target, After after, Before before) {
        InvocationHandler h = (p, m, args) -> {
            if (m.getName().equals("unwrap") && args[0] instanceof Class<?> c && c.isInstance(target)) {
                return target;
            }
            before.apply(m, args);
            try {
                return after.apply(m, args, m.invoke(target, args));
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (T) Proxy.newProxyInstance(CountingDataSource.class.getClassLoader(), new Class<?>[] {iface}, h);
    }
}
