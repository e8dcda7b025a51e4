package dev.cacheops.store;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * How a Redis store waits for an asynchronous command: never longer than the command timeout,
 * every failure a {@link StoreException} naming the operation and the server. Shared by the
 * standalone and the cluster store. Immutable.
 */
final class Waiting {
    private final String where;
    private final Duration timeout;

    Waiting(String where, Duration timeout) {
        this.where = where;
        this.timeout = timeout;
    }

    /** Runs an asynchronous command and waits for it, never longer than the command timeout. */
    <T> T await(Supplier<CompletableFuture<T>> command, String op) {
        CompletableFuture<T> f;
        try {
            f = command.get();
        } catch (RuntimeException e) {
            throw failure(op, e);
        }
        try {
            return f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw failure(op, e);
        } catch (TimeoutException e) {
            f.cancel(false);
            throw new StoreException("Redis " + where + " did not answer " + op + " within " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for Redis " + op, e);
        }
    }

    /** The failure of {@code op} as a {@link StoreException} (itself when it is one already). */
    StoreException failure(String op, Throwable e) {
        Throwable cause = LuaScript.unwrap(e);
        if (cause instanceof StoreException se) {
            return se;
        }
        return new StoreException("Redis " + op + " failed on " + where + ": " + cause, cause);
    }
}
