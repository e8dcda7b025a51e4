/**
 * The concurrency and failure harness of Cacheops: a workload of counter writers and readers
 * ({@link dev.cacheops.stress.Workload}), a database-ordered commit log and read log
 * ({@link dev.cacheops.stress.CommitLog}, {@link dev.cacheops.stress.ReadLog}), the stale-read
 * checker ({@link dev.cacheops.stress.StaleReadChecker}), one JVM's run
 * ({@link dev.cacheops.stress.StressWorker}), the multi-JVM orchestration
 * ({@link dev.cacheops.stress.StressRun}, {@link dev.cacheops.stress.JvmFork}) and the long-run
 * command line ({@link dev.cacheops.stress.StressMain}).
 *
 * <p>How a stale read is decided without trusting clocks across JVMs: every writer, after its
 * commit has returned, inserts one commit record per row with a ticket taken from a PostgreSQL
 * sequence ({@code nextval} in the same insert); every reader takes a ticket from the same sequence
 * before it starts its read. Sequence values are handed out in real-time order, so a commit ticket
 * smaller than a read ticket proves the commit returned before the read started. A violation is a
 * read that saw a version smaller than the largest version of the same row whose commit ticket is
 * smaller than the read's ticket: no false positives, whatever the clocks say. Wall-clock times are
 * recorded beside the tickets only to report how long a stale window lasted, and to call a stale
 * read <em>late</em> when it started more than a bound after the commit returned.
 *
 * <p>With a near cache on every JVM, a {@link dev.cacheops.stress.WindowProbe} per JVM measures the
 * cross-JVM staleness window by the wall clock the JVMs of one host share
 * ({@link dev.cacheops.stress.NearWindows}, {@link dev.cacheops.stress.WindowHistogram}). With a
 * bypassing writer ({@link dev.cacheops.stress.StressSettings#bypass()}) the same probe measures the
 * change stream's window for writes made around the cache, and
 * {@link dev.cacheops.stress.StreamFence} waits until the stream has caught up.
 */
package dev.cacheops.stress;
