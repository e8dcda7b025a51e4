package dev.cacheops.bench.oltp;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * Runs {@code threads} workers for a warm-up and then a measured window of fixed length. Each
 * worker loops until the window ends (and at most {@value #MAX_STEPS} times, so no loop can run
 * away); an operation counts when it completes inside the window. The process CPU time, the JIT
 * compiler's time and whatever {@link Edge} probes are read at the two edges of the window by the
 * coordinating thread. The first failure of any worker stops them all and is rethrown.
 *
 * <p>The warm-up lasts at least its given length and then until the JIT compiler is quiet (under
 * {@value #QUIET_JIT_MILLIS} ms of compilation in a second), at most the given {@code settle}
 * longer. A profile of a Redis cell found the compiler still taking a quarter to half of a core
 * during a window that began after a fixed 3 s warm-up and 25 s of preheating (every cell builds a
 * fresh instance, whose first misses, stamp creations and fills take paths the preheat's steady
 * state had left; their deoptimisations recompile): the window charged that to the mode, twice
 * (its CPU per operation, and a core taken from the workload on a two-core machine).
 */
final class TimedRun {
    static final long MAX_STEPS = 1_000_000_000L;
    /** Compilation time per second below which the compiler counts as quiet. */
    static final long QUIET_JIT_MILLIS = 20;
    private static final long OPEN = Long.MAX_VALUE;

    /** One thread's operation, called repeatedly; closed by the thread that ran it. */
    interface Worker extends AutoCloseable {
        void step() throws Exception;

        @Override
        default void close() throws Exception {
        }
    }

    /** Creates the worker of thread {@code index}, on that thread. */
    interface Workers {
        Worker create(int index) throws Exception;
    }

    /** What is read at the window's edges besides the JVM's CPU time (Redis INFO, cache counters). */
    interface Edge<T> {
        T read() throws Exception;
    }

    /**
     * A measured window.
     *
     * @param ops      operations completed inside it
     * @param seconds  its length
     * @param latency  the latency of those operations in microseconds
     * @param cpuNanos the JVM's process CPU time spent in it
     * @param jitMillis the JIT compiler's time spent in it ({@link CompilationMXBean}), part of
     *                 {@code cpuNanos}
     * @param warmupSeconds how long the warm-up before it lasted
     * @param before   the probe at its start
     * @param after    the probe at its end
     */
    record Window<T>(long ops, double seconds, Histogram latency, long cpuNanos, long jitMillis,
                     double warmupSeconds, T before, T after) {
        double throughput() {
            return ops / seconds;
        }

        double jvmCpuMicrosPerOp() {
            return cpuNanos / 1000.0 / Math.max(1, ops);
        }
    }

    private TimedRun() {
    }

    /**
     * @param warmup the shortest warm-up
     * @param settle how much longer the warm-up may last waiting for a quiet compiler
     */
    static <T> Window<T> run(int threads, Duration warmup, Duration settle, Duration window, Workers workers,
                             Edge<T> edge)
            throws Exception {
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        // Window start and end (System.nanoTime()), OPEN until the warm-up ends.
        AtomicLong start = new AtomicLong(OPEN);
        AtomicLong end = new AtomicLong(OPEN);
        long[] ops = new long[threads];
        Histogram[] latency = new Histogram[threads];
        List<Thread> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int index = t;
            latency[t] = new Histogram(60_000_000L, 3);
            Thread thread = new Thread(() -> {
                try (Worker w = workers.create(index)) {
                    ready.countDown();
                    go.await();
                    long count = 0;
                    for (long i = 0; i < MAX_STEPS && failure.get() == null; i++) {
                        long t0 = System.nanoTime();
                        if (t0 >= end.get()) {
                            break;
                        }
                        w.step();
                        long t1 = System.nanoTime();
                        if (t1 >= start.get() && t1 < end.get()) {
                            count++;
                            latency[index].recordValue(Math.max(1, (t1 - t0) / 1000));
                        }
                    }
                    ops[index] = count;
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                    ready.countDown();
                }
            }, "oltp-" + t);
            thread.setDaemon(true);
            running.add(thread);
            thread.start();
        }
        ready.await();
        long began = System.nanoTime();
        go.countDown();
        sleepUntil(began + warmup.toNanos(), failure);
        if (!settle.isZero()) {
            awaitQuietCompiler(began + warmup.toNanos() + settle.toNanos(), failure);
        }
        long cpu0 = processCpuNanos();
        long jit0 = jitMillis();
        T before = edge.read();
        long opened = System.nanoTime();
        end.set(opened + window.toNanos());
        start.set(opened);
        sleepUntil(end.get(), failure);
        long cpu1 = processCpuNanos();
        long jit1 = jitMillis();
        T after = edge.read();
        for (Thread thread : running) {
            thread.join();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("a worker failed: " + failure.get(), failure.get());
        }
        long total = 0;
        Histogram all = new Histogram(60_000_000L, 3);
        for (int t = 0; t < threads; t++) {
            total += ops[t];
            all.add(latency[t]);
        }
        return new Window<>(total, window.toNanos() / 1e9, all, cpu1 - cpu0, jit1 - jit0,
                (opened - began) / 1e9, before, after);
    }

    /** Sleeps in one-second steps until the compiler was quiet for one, or until {@code deadline}. */
    private static void awaitQuietCompiler(long deadline, AtomicReference<Throwable> failure)
            throws InterruptedException {
        long last = jitMillis();
        while (System.nanoTime() < deadline && failure.get() == null) {
            Thread.sleep(1000);
            long now = jitMillis();
            if (now - last < QUIET_JIT_MILLIS) {
                return;
            }
            last = now;
        }
    }

    /** The JIT's total compilation time so far, or 0 where the JVM does not monitor it. */
    static long jitMillis() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    private static void sleepUntil(long deadline, AtomicReference<Throwable> failure) throws InterruptedException {
        long left;
        while ((left = deadline - System.nanoTime()) > 0 && failure.get() == null) {
            Thread.sleep(Math.max(1, Math.min(100, left / 1_000_000)));
        }
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
