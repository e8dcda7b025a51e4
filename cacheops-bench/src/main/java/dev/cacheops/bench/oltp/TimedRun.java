package dev.cacheops.bench.oltp;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * Runs {@code threads} workers for a warm-up and then a measured window, both fixed in time. Each
 * worker loops until the window ends (and at most {@value #MAX_STEPS} times, so no loop can run
 * away); an operation counts when it completes inside the window. The process CPU time and
 * whatever {@link Edge} probes are read at the two edges of the window by the coordinating thread.
 * The first failure of any worker stops them all and is rethrown.
 */
final class TimedRun {
    static final long MAX_STEPS = 1_000_000_000L;

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
     * @param before   the probe at its start
     * @param after    the probe at its end
     */
    record Window<T>(long ops, double seconds, Histogram latency, long cpuNanos, T before, T after) {
        double throughput() {
            return ops / seconds;
        }

        double jvmCpuMicrosPerOp() {
            return cpuNanos / 1000.0 / Math.max(1, ops);
        }
    }

    private TimedRun() {
    }

    static <T> Window<T> run(int threads, Duration warmup, Duration window, Workers workers, Edge<T> edge)
            throws Exception {
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long[] bounds = new long[2]; // window start and end, System.nanoTime(); published by the latch
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
                    long start = bounds[0];
                    long end = bounds[1];
                    long count = 0;
                    for (long i = 0; i < MAX_STEPS && failure.get() == null; i++) {
                        long t0 = System.nanoTime();
                        if (t0 >= end) {
                            break;
                        }
                        w.step();
                        long t1 = System.nanoTime();
                        if (t1 >= start && t1 < end) {
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
        long now = System.nanoTime();
        bounds[0] = now + warmup.toNanos();
        bounds[1] = bounds[0] + window.toNanos();
        go.countDown();
        sleepUntil(bounds[0], failure);
        long cpu0 = processCpuNanos();
        T before = edge.read();
        sleepUntil(bounds[1], failure);
        long cpu1 = processCpuNanos();
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
        return new Window<>(total, window.toNanos() / 1e9, all, cpu1 - cpu0, before, after);
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
