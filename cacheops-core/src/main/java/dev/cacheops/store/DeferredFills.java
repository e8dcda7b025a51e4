package dev.cacheops.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Quiet fills waiting to ride on the next pooled call's write instead of costing a write of their
 * own. A quiet fill is unanswered and compares nothing ({@link Fill#sendQuiet}), so when it reaches
 * Redis matters only to whoever reads its entry next; the caller of a miss need not pay for its
 * socket write, which on a loopback VM wakes Redis and cost the caller some 50 µs of a 200 µs miss
 * (docs/PERFORMANCE.md, "Concurrency", seventh pass).
 *
 * <p>Every pooled call first {@linkplain #claim claims} what waits here and writes it, replies
 * skipped, ahead of its own command, in the same system call. A daemon thread writes whatever
 * has waited longer than {@link #delayNanos} by itself, so an idle pool still stores its fills
 * within about a millisecond. The thread wakes every {@code delay} while fills come, and parks for
 * good after a second without one; the first fill after that unparks it.
 *
 * <p>A fill is claimed once, by whoever takes it from the queue and writes it, and completes
 * {@code true} once written, {@code false} when the connection would not skip replies (the result
 * is then simply not cached, like a refused fill), exceptionally with the error of a write that
 * failed. Thread-safe.
 */
final class DeferredFills implements AutoCloseable {
    /** Fills that may wait at once; beyond it {@link #add} refuses, and the caller sends the fill another way. */
    static final int MAX_WAITING = 4096;
    /** The most fills one call carries, so that no caller writes much of others' data. */
    static final int MAX_CARRIED = 32;
    /** Idle rounds after which the writer parks until the next fill: one second at the default delay. */
    private static final int IDLE_ROUNDS = 1000;

    private final ConcurrentLinkedQueue<Pending> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final long delayNanos;
    private final Runnable writeWaiting;
    private final Thread writer;
    private volatile boolean parked;
    private volatile boolean closed;

    /**
     * Starts the writer thread, named after {@code where}.
     *
     * @param writeWaiting writes what {@link #claim} gives, on connections of its own
     */
    DeferredFills(String where, long delayNanos, Runnable writeWaiting) {
        this.delayNanos = delayNanos;
        this.writeWaiting = writeWaiting;
        this.writer = new Thread(this::run, "cacheops-redis-fills " + where);
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Queues a fill.
     *
     * @return its completion, or null when {@link #MAX_WAITING} fills already wait or the writer
     *         is closed (the caller sends the fill another way)
     */
    Pending add(Consumer<BlockingReads.Unanswered> commands) {
        if (closed) {
            return null;
        }
        if (size.incrementAndGet() > MAX_WAITING) {
            size.decrementAndGet();
            return null;
        }
        Pending p = new Pending(commands);
        waiting.add(p);
        if (closed && waiting.remove(p)) {
            // Closed meanwhile, and close's last write may be over: nobody else will write it.
            // Had close not been seen here, its write, which comes after, would have found it.
            size.decrementAndGet();
            p.complete(false);
            return p;
        }
        if (parked) {
            LockSupport.unpark(writer);
        }
        return p;
    }

    /** Whether fills wait: one volatile read, what every pooled call pays when none do. */
    boolean any() {
        return size.get() > 0;
    }

    /** Claims up to {@code max} waiting fills, oldest first; the caller writes and settles them. */
    List<Pending> claim(int max) {
        List<Pending> claimed = new ArrayList<>(Math.min(max, 8));
        Pending p;
        while (claimed.size() < max && (p = waiting.poll()) != null) {
            size.decrementAndGet();
            claimed.add(p);
        }
        return claimed;
    }

    private void run() {
        int idle = IDLE_ROUNDS; // parked until the first fill
        while (!closed) {
            if (idle >= IDLE_ROUNDS) {
                parked = true;
                if (!any() && !closed) {
                    LockSupport.park(this);
                }
                parked = false;
                idle = 0;
                continue; // closed meanwhile? Two unparks while parked leave one permit, used up here.
            }
            // A fill added now waits at most one delay, plus the time a write takes.
            LockSupport.parkNanos(this, delayNanos);
            if (any()) {
                idle = 0;
                try {
                    writeWaiting.run();
                } catch (RuntimeException e) {
                    // Already settled as not stored by the writer; the next round goes on.
                }
            } else {
                idle++;
            }
        }
    }

    /**
     * Stops the writer thread; then the caller writes what still waits. Fills queued after this
     * are refused ({@link #add} returns null).
     */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(writer);
        try {
            writer.join(TimeUnit.NANOSECONDS.toMillis(delayNanos) + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A fill's commands and its completion: {@code true} once written. */
    static final class Pending extends CompletableFuture<Boolean> {
        private final Consumer<BlockingReads.Unanswered> commands;

        private Pending(Consumer<BlockingReads.Unanswered> commands) {
            this.commands = commands;
        }

        /** Sends its commands through {@code out}. */
        void sendTo(BlockingReads.Unanswered out) {
            commands.accept(out);
        }
    }
}
