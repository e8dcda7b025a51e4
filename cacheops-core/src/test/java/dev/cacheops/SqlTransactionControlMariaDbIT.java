package dev.cacheops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheops.testing.TestServices;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link SqlTransactionControlSuite} on MariaDB (database {@code test}, tables {@code txctl_}),
 * every connection at READ COMMITTED before the cache sees it (MariaDB defaults to REPEATABLE
 * READ, whose reads inside a transaction pass through anyway). Adds {@code START TRANSACTION} and
 * {@code SET autocommit = 0}, which the wrapper does not follow and so treats conservatively.
 * Optional: reported as skipped when MariaDB is not reachable.
 */
class SqlTransactionControlMariaDbIT extends SqlTransactionControlSuite {
    @BeforeAll
    void reachable() {
        try (Connection c = DriverManager.getConnection(TestServices.mariaDbUrl("test"), "root", "")) {
            c.isValid(1);
        } catch (SQLException e) {
            Assumptions.abort("MariaDB not reachable at " + TestServices.mariaDbUrl("test") + " as root: "
                    + e.getMessage());
        }
    }

    @Override
    DataSource database() {
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, m, args) -> {
                    if (m.getName().equals("getConnection")) {
                        Connection c = DriverManager.getConnection(TestServices.mariaDbUrl("test"), "root", "");
                        c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                        return c;
                    }
                    if (m.getName().equals("isWrapperFor")) {
                        return false;
                    }
                    if (m.getName().equals("getLoginTimeout")) {
                        return 0;
                    }
                    if (m.getDeclaringClass() == Object.class) {
                        try {
                            return m.invoke(this, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    }
                    return null;
                });
    }

    @Override
    String startTransaction() {
        return "START TRANSACTION READ WRITE";
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void setAutocommitOffIsNotFollowedSoReadsBypassAndTheCommitInvalidates(Mode mode) throws SQLException {
        start(mode);
        warm(1);
        try (Connection tx = ds().getConnection(); Statement s = tx.createStatement()) {
            s.execute("SET autocommit = 0");
            s.executeUpdate("update txctl_item set price = 11 where id = 1");
            assertThat(price(tx, 1)).isEqualTo(11);
            assertThat(price(ds(), 1)).as("not committed yet").isEqualTo(10);
            settle();
            s.execute("COMMIT");
            assertThat(price(ds(), 1)).isEqualTo(11);
            s.executeUpdate("update txctl_item set price = 12 where id = 1");
            assertThat(price(ds(), 1)).as("still not in auto-commit").isEqualTo(11);
            settle();
            tx.setAutoCommit(true); // MariaDB commits when auto-commit changes
        }
        assertThat(price(ds(), 1)).isEqualTo(12);
    }
}
