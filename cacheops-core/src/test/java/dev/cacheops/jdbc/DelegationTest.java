package dev.cacheops.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Checks, by reflection over the Java 17 interfaces, that every method (default methods
 * included) is declared by its Delegating class and forwards to the delegate with the same
 * arguments: a delegate built with {@link Proxy} records each call.
 */
class DelegationTest {

    /** A call the recording delegate received. */
    record Call(String name, List<Object> args) { }

    static <T> T recorder(Class<T> iface, List<Call> calls) {
        Object proxy = Proxy.newProxyInstance(DelegationTest.class.getClassLoader(), new Class<?>[] {iface},
                (p, m, args) -> {
                    if (m.getDeclaringClass() == Object.class) {
                        return switch (m.getName()) {
                            case "hashCode" -> System.identityHashCode(p);
                            case "equals" -> p == args[0];
                            default -> "recorder";
                        };
                    }
                    calls.add(new Call(m.getName(), args == null ? List.of() : Arrays.asList(args)));
                    return defaultValue(m.getReturnType());
                });
        return iface.cast(proxy);
    }

    static Object defaultValue(Class<?> type) {
        if (type == boolean.class) {
            return false;
        }
        if (type == void.class || !type.isPrimitive()) {
            return null;
        }
        if (type == long.class) {
            return 0L;
        }
        if (type == double.class) {
            return 0d;
        }
        if (type == float.class) {
            return 0f;
        }
        if (type == short.class) {
            return (short) 0;
        }
        if (type == byte.class) {
            return (byte) 0;
        }
        if (type == char.class) {
            return 'a';
        }
        return 0;
    }

    /** Distinct, recognisable arguments, so a swapped or dropped argument shows. */
    static Object argument(Class<?> type, int position) {
        if (type == int.class) {
            return 7 + position;
        }
        if (type == long.class) {
            return 70L + position;
        }
        if (type == boolean.class) {
            return true;
        }
        if (type == String.class) {
            return "arg" + position;
        }
        if (type == Class.class) {
            return StringBuilder.class; // implemented by nothing here, so unwrap must forward
        }
        if (type.isPrimitive()) {
            return defaultValue(type);
        }
        return null;
    }

    static Stream<Arguments> delegations() {
        return Stream.of(
                Arguments.of(DataSource.class, DelegatingDataSource.class,
                        (Function<List<Call>, Object>) calls -> new DelegatingDataSource(recorder(DataSource.class, calls)) { }),
                Arguments.of(Connection.class, DelegatingConnection.class,
                        (Function<List<Call>, Object>) calls -> new DelegatingConnection(recorder(Connection.class, calls)) { }),
                Arguments.of(Statement.class, DelegatingStatement.class,
                        (Function<List<Call>, Object>) calls -> new DelegatingStatement(recorder(Statement.class, calls)) { }),
                Arguments.of(PreparedStatement.class, DelegatingPreparedStatement.class,
                        (Function<List<Call>, Object>) calls ->
                                new DelegatingPreparedStatement(recorder(PreparedStatement.class, calls)) { }),
                Arguments.of(CallableStatement.class, DelegatingCallableStatement.class,
                        (Function<List<Call>, Object>) calls ->
                                new DelegatingCallableStatement(recorder(CallableStatement.class, calls)) { }),
                Arguments.of(ResultSet.class, DelegatingResultSet.class,
                        (Function<List<Call>, Object>) calls -> new DelegatingResultSet(recorder(ResultSet.class, calls)) { }));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("delegations")
    void everyInterfaceMethodIsDeclaredAndForwardsItsArguments(Class<?> iface, Class<?> delegating,
            Function<List<Call>, Object> factory) throws Exception {
        List<Call> calls = new ArrayList<>();
        Object wrapper = factory.apply(calls);
        int checked = 0;
        for (Method m : iface.getMethods()) {
            if (Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            Method impl = wrapper.getClass().getMethod(m.getName(), m.getParameterTypes());
            assertThat(impl.getDeclaringClass().getSimpleName())
                    .as("%s is declared by a Delegating class, not inherited as a default", m)
                    .startsWith("Delegating");
            Object[] args = new Object[m.getParameterCount()];
            for (int i = 0; i < args.length; i++) {
                args[i] = argument(m.getParameterTypes()[i], i);
            }
            calls.clear();
            impl.invoke(wrapper, args);
            assertThat(calls).as("calls forwarded by %s", m)
                    .containsExactly(new Call(m.getName(), Arrays.asList(args)));
            checked++;
        }
        assertThat(checked).isGreaterThan(5);
    }

    @Test
    void unwrapAnswersForTheWrapperFirst() throws SQLException {
        List<Call> calls = new ArrayList<>();
        DelegatingConnection c = new DelegatingConnection(recorder(Connection.class, calls)) { };
        assertThat(c.unwrap(DelegatingConnection.class)).isSameAs(c);
        assertThat(c.unwrap(Connection.class)).isSameAs(c);
        assertThat(c.isWrapperFor(DelegatingConnection.class)).isTrue();
        assertThat(calls).isEmpty();
        assertThat(c.isWrapperFor(StringBuilder.class)).isFalse();
        assertThat(calls).containsExactly(new Call("isWrapperFor", List.of(StringBuilder.class)));
    }

    @Test
    void subclassesSeeTheDelegateWithItsOwnType() {
        List<Call> calls = new ArrayList<>();
        CallableStatement target = recorder(CallableStatement.class, calls);
        DelegatingCallableStatement s = new DelegatingCallableStatement(target) { };
        assertThat(s.delegate).isSameAs(target);
        assertThat(((DelegatingStatement) s).delegate).isSameAs(target);
    }
}
