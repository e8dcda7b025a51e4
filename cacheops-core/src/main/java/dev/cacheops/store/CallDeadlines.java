package dev.cacheops.store;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The time limit of each call on the pool's connections, which read with no socket timeout
 * ({@link ChannelSocket}). A call marks its deadline on its connection ({@link Watched#begin});
 * one daemon thread, waking every quarter of the timeout, closes the socket of any call past its
 * deadline, and the call then fails as a socket timeout would have failed it, its connection
 * discarded. So a call fails between {@code timeout} and 1.25 x {@code timeout} after it began,
 * writes included (a socket timeout never bounded a write).
 *
 * <p>The cost per call is two writes of a field of the connection; the thread's rounds read one
 * field per open connection. Thread-safe.
 */
final class CallDeadlines implements AutoCloseable {
    private static final long IDLE = Long.MIN_VALUE;
    private static final long EXPIRED = Long.MIN_VALUE + 1;

    private final long timeoutNanos;
    private final Set<Watched> open = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService watchdog;

    /** Starts the watchdog thread, named after {@code where}. */
    CallDeadlines(Duration timeout, String where) {
        this.timeoutNanos = timeout.toNanos();
        long round = Math.max(TimeUnit.MILLISECONDS.toNanos(1), timeoutNanos / 4);
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cacheops-redis-deadlines " + where);
            t.setDaemon(true);
            return t;
        });
        watchdog.scheduleWithFixedDelay(this::expire, round, round, TimeUnit.NANOSECONDS);
    }

    /** Watches {@code socket}'s calls until {@link Watched#close}. */
    Watched watch(ChannelSocket socket) {
        Watched w = new Watched(socket);
        open.add(w);
        return w;
    }

    /** The timeout, in milliseconds, for messages. */
    long timeoutMillis() {
        return TimeUnit.NANOSECONDS.toMillis(timeoutNanos);
    }

    private void expire() {
        long now = System.nanoTime();
        for (Watched w : open) {
            long deadline = w.deadline.get();
            if (deadline != IDLE && deadline != EXPIRED && now - deadline > 0
                    && w.deadline.compareAndSet(deadline, EXPIRED)) {
                w.socket.abort();
            }
        }
    }

    /** Stops the watchdog; calls still under way are no longer bounded. */
    @Override
    public void close() {
        watchdog.shutdownNow();
        open.clear();
    }

    /** One connection's calls, one at a time. */
    final class Watched {
        private final ChannelSocket socket;
        private final AtomicLong deadline = new AtomicLong(IDLE);

        private Watched(ChannelSocket socket) {
            this.socket = socket;
        }

        /** A call starts: it must be over within the timeout. */
        void begin() {
            deadline.set(System.nanoTime() + timeoutNanos);
        }

        /**
         * The call is over, well or not.
         *
         * @return false when it ran past its deadline and its socket was closed: the connection
         *         must be discarded, and a failure reported as a timeout
         */
        boolean end() {
            return deadline.getAndSet(IDLE) != EXPIRED;
        }

        /** The connection is closed: no longer watched. */
        void close() {
            open.remove(this);
        }
    }
}
