/**
 * The JDBC wrappers: {@link dev.cacheops.jdbc.CachingDataSource} and the connections,
 * statements and result sets it hands out. They intercept only what the cache needs and drive
 * each statement's read or write through {@code dev.cacheops.engine} ({@code StatementCore} for a
 * statement, {@code CachingConnection} for transactions and write invalidation, {@code
 * IsolationSetting} for the isolation level SQL sets); the
 * {@code Delegating*} base classes hold the pure delegation, so the interception stays readable.
 *
 * <p>Depends on {@code engine}, {@code protocol}, {@code result}, {@code sql} and {@code store};
 * nothing but the root package depends on it.
 */
package dev.cacheops.jdbc;
