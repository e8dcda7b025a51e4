/**
 * The concurrent benchmark of issue 10: cheap indexed lookups on PostgreSQL (tweets of a user,
 * followers of a user, a user by id, a key-value table) with a small write share, driven by 4 and
 * 16 threads for a fixed time with no cache, Cacheops in process and Cacheops on Redis; and a
 * transport comparison of what one raw hit can cost (pgjdbc, Lettuce, Jedis, a Cacheops Redis
 * hit). Every cell reports throughput, latency percentiles, the CPU per operation of this JVM and
 * of {@code redis-server}, and the Redis commands per operation. Entry point: {@link
 * dev.cacheops.bench.oltp.OltpSuite}.
 */
package dev.cacheops.bench.oltp;
