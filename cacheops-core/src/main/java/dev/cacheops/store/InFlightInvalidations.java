package dev.cacheops.store;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The unawaited invalidations a Redis store has sent and not yet seen settle, counted per table
 * ({@code wip} key). While one of a table is in flight, the store's reads of that table go over
 * the connection it was sent on, after it (DESIGN §6); {@link #awaitAll} lets them land before the
 * store closes. Thread-safe.
 */
final class InFlightInvalidations {
    private final Set<CompletableFuture<?>> sent = ConcurrentHashMap.newKeySet();
    /** Per {@code wip} key, how many of those invalidate its table. */
    private final ConcurrentHashMap<String, Integer> byTable = new ConcurrentHashMap<>();

    /**
     * Sends one invalidation of {@code tables}, counted per table (its {@code wip} key under
     * {@code keys}) from before it is sent (a read that follows the caller's commit must see it)
     * until it settles.
     *
     * @param failure turns a failure to send, or the one the invalidation settles with, into the
     *                store's exception
     * @return completes when the invalidation settles; exceptionally with what {@code failure} made
     */
    <T> CompletableFuture<Void> track(Keys keys, Collection<TableInvalidation> tables,
                                      Supplier<CompletableFuture<T>> send,
                                      Function<Throwable, StoreException> failure) {
        List<String> wips = tables.stream().map(t -> keys.wip(t.table())).distinct().toList();
        wips.forEach(w -> byTable.merge(w, 1, Integer::sum));
        Runnable landed = () -> wips.forEach(w -> byTable.computeIfPresent(w, (k, n) -> n == 1 ? null : n - 1));
        CompletableFuture<T> invalidation;
        try {
            invalidation = send.get();
        } catch (RuntimeException e) {
            landed.run();
            return CompletableFuture.failedFuture(failure.apply(e));
        }
        sent.add(invalidation);
        return invalidation.handle((n, e) -> {
            sent.remove(invalidation);
            landed.run();
            if (e != null) {
                throw new CompletionException(failure.apply(e));
            }
            return null;
        });
    }

    /** Whether an invalidation of a table {@code lookup} reads is in flight. */
    boolean touches(Lookup lookup) {
        return lookup.readsAnyOf(byTable);
    }

    /**
     * Waits up to {@code timeout} for every invalidation in flight to settle (a strict release
     * sent just before a close would otherwise be cancelled, leaving its stamps locked until the
     * lock timeout). Failures were reported to their own callers and are not thrown here.
     */
    void awaitAll(Duration timeout) {
        try {
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
                    .get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // Each failure was reported to its own caller; closing goes on.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
