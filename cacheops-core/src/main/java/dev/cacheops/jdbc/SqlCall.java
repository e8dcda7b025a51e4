package dev.cacheops.jdbc;

import java.sql.SQLException;

/** A JDBC call to run at the right moment of the protocol. */
@FunctionalInterface
interface SqlCall<T> {
    T call() throws SQLException;
}
