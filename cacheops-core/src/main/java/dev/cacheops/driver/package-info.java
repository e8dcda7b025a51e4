/**
 * The {@code jdbc:cacheops:} JDBC driver: zero-code adoption for programs that build their
 * connections from a URL ({@code DriverManager}, HikariCP's {@code jdbcUrl}, Flyway, tools).
 * {@link dev.cacheops.driver.CacheopsDriver} strips the {@code cacheops.*} settings from the URL,
 * merges them with the other configuration sources ({@code ConfigSources}), keeps one
 * {@link dev.cacheops.Cacheops} per distinct configuration ({@code Instances}) and wraps a small
 * data source over the real driver ({@code RealDriverDataSource}) with
 * {@link dev.cacheops.Cacheops#wrap}, so its connections are exactly the wrapper's.
 *
 * <p>Uses the public facade and {@code config} only; no engine internals.
 */
package dev.cacheops.driver;
