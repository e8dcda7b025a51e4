package dev.cacheops.demo;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;

/**
 * Wraps a data source and counts the statements executed through it, split into reads (SQL starting
 * with {@code select} or {@code with}) and everything else. Placed <em>under</em> the cache, it
 * counts what really reaches the database, including the statements the cache itself issues (for
 * example reading the old rows of a write). A batch counts as one statement. Thread-safe.
 *
 * <p>Dynamic proxies rather than hand-written delegates: only three methods are intercepted, and
 * the JDBC interfaces have hundreds. Statements that fail are counted as well: they reached the
 * database.
 */
final class CountingDataSource {
    private final DataSource dataSource;
    private final LongAdder reads = new LongAdder();
    private final LongAdder writes = new LongAdder();

    CountingDataSource(DataSource target) {
        this.dataSource = proxy(DataSource.class, target, (method, args, result) ->
                result instanceof Connection c ? connection(c) : result);
    }

    /** The counting data source. */
    DataSource dataSource() {
        return dataSource;
    }

    /** Select statements executed so far. */
    long reads() {
        return reads.sum();
    }

    /** Other statements (insert, update, delete, DDL) executed so far. */
    long writes() {
        return writes.sum();
    }

    private Connection connection(Connection c) {
        return proxy(Connection.class, c, (method, args, result) -> {
            if (result instanceof CallableStatement cs) {
                return statement(CallableStatement.class, cs, (String) args[0]);
            }
            if (result instanceof PreparedStatement ps) {
                return statement(PreparedStatement.class, ps, (String) args[0]);
            }
            if (result instanceof Statement s) {
                return statement(Statement.class, s, null);
            }
            return result;
        });
    }

    private <S extends Statement> S statement(Class<S> type, S target, String preparedSql) {
        InvocationHandler handler = (p, method, args) -> {
            if (method.getName().startsWith("execute")) {
                // counted before the call: a statement that fails has reached the database too.
                // Statement.execute*(sql) carries its SQL; a PreparedStatement's was given at prepare time
                count(args != null && args.length > 0 && args[0] instanceof String s ? s : preparedSql);
            }
            return invoke(target, method, args);
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }

    private void count(String sql) {
        String head = sql == null ? "" : sql.stripLeading().toLowerCase(Locale.ROOT);
        (head.startsWith("select") || head.startsWith("with") ? reads : writes).increment();
    }

    /** What to do with a delegated call's result (wrap it or pass it on). */
    private interface After {
        Object apply(Method method, Object[] args, Object result) throws Exception;
    }

    private static <T> T proxy(Class<T> type, T target, After after) {
        InvocationHandler handler = (p, method, args) -> after.apply(method, args, invoke(target, method, args));
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause(); // the driver's SQLException, not the reflection wrapper
        }
    }
}
