package dev.cacheops.spring.cache;

import dev.cacheops.CachedFunction;
import dev.cacheops.Cacheops;
import java.time.Duration;
import java.time.temporal.Temporal;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.springframework.cache.Cache;
import org.springframework.cache.support.SimpleValueWrapper;

/**
 * One Spring cache backed by a Cacheops function cache with dependency capture: a value is
 * invalidated when a row that the queries computing it read changes. Thread-safe; the capture of
 * one computation is confined to the thread that computes it.
 *
 * <p>For a plain {@code @Cacheable}, Spring calls {@link #get(Object)}, runs the method on a miss,
 * then {@link #put}: a miss opens a capture on the thread and the put stores the value under what
 * it saw. With {@code sync = true}, {@link #get(Object, Callable)} computes inside the function,
 * under its dog-pile lock. Keys are strings, numbers, booleans, enums, UUIDs and java.time values
 * as they are, anything else (Spring's {@code SimpleKey} included) by its {@code toString()}.
 */
public final class CacheopsCache implements Cache {
    /** Captures opened by a miss and not yet stored; a stack, as {@code @Cacheable} calls nest. */
    private static final ThreadLocal<Deque<Pending>> PENDING = ThreadLocal.withInitial(ArrayDeque::new);
    private static final ThreadLocal<Callable<?>> LOADER = new ThreadLocal<>();

    private final String name;
    private final Cacheops cacheops;
    private final CachedFunction<Object> function;

    CacheopsCache(String name, Cacheops cacheops, TypedJsonSerializer serializer, Duration timeout, Duration lockWait) {
        this.name = name;
        this.cacheops = cacheops;
        CachedFunction.Builder<Object> b = cacheops.function("spring-cache:" + name, Object.class)
                .captureDependencies().serializer(serializer);
        if (timeout != null) {
            b.timeout(timeout);
        }
        if (lockWait != null) {
            b.lock(lockWait);
        }
        this.function = b.build(args -> call(LOADER.get()));
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public Object getNativeCache() {
        return function;
    }

    @Override
    public ValueWrapper get(Object key) {
        Object k = keyOf(key);
        Optional<Object> hit = function.peek(k);
        if (hit.isPresent()) {
            return new SimpleValueWrapper(hit.get());
        }
        Deque<Pending> pending = PENDING.get();
        pending.push(new Pending(this, k, function.record(k)));
        return null;
    }

    @Override
    public <T> T get(Object key, Class<T> type) {
        ValueWrapper w = get(key);
        if (w == null) {
            // not a @Cacheable miss: nothing will be put, so close the capture at once
            abandonNewerThan(PENDING.get().size() - 1);
            return null;
        }
        return type == null ? null : type.cast(w.get());
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get(Object key, Callable<T> valueLoader) {
        Callable<?> previous = LOADER.get();
        LOADER.set(valueLoader);
        try {
            return (T) function.get(keyOf(key));
        } catch (LoaderFailure e) {
            throw new ValueRetrievalException(key, valueLoader, e.getCause());
        } finally {
            if (previous == null) {
                LOADER.remove();
            } else {
                LOADER.set(previous);
            }
        }
    }

    @Override
    public void put(Object key, Object value) {
        Object k = keyOf(key);
        Pending p = takePending(k);
        if (p != null && value != null) {
            p.recording.store(value);
            return;
        }
        if (p != null) {
            p.recording.abandon();
        }
        // NOTE: a put with no miss before it (@CachePut) saw no reads, so it has no dependencies
        // to store under: evict instead, and the next @Cacheable call computes with capture.
        function.invalidate(k);
    }

    @Override
    public void evict(Object key) {
        function.invalidate(keyOf(key));
    }

    /** Invalidates everything Cacheops holds (the store has no per-function clear). */
    @Override
    public void clear() {
        cacheops.invalidateAll();
    }

    /** Closes, unstored, the captures this thread opened after the stack had {@code depth} entries. */
    static void abandonNewerThan(int depth) {
        Deque<Pending> pending = PENDING.get();
        while (pending.size() > Math.max(depth, 0)) {
            pending.pop().recording.abandon();
        }
        if (pending.isEmpty()) {
            PENDING.remove();
        }
    }

    /** How many captures this thread has open. */
    static int openCaptures() {
        return PENDING.get().size();
    }

    private Pending takePending(Object k) {
        Deque<Pending> pending = PENDING.get();
        for (var it = pending.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (p.cache == this && p.key.equals(k)) {
                it.remove();
                // captures opened after this one belong to calls that never put: close them first
                return p;
            }
        }
        return null;
    }

    private static Object keyOf(Object key) {
        Objects.requireNonNull(key, "key");
        if (key instanceof String || key instanceof Number || key instanceof Boolean || key instanceof Enum<?>
                || key instanceof UUID || key instanceof Temporal) {
            return key;
        }
        return key.toString();
    }

    private static Object call(Callable<?> loader) {
        if (loader == null) {
            throw new IllegalStateException("no value loader on this thread");
        }
        try {
            return loader.call();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new LoaderFailure(e);
        }
    }

    private record Pending(CacheopsCache cache, Object key, CachedFunction.Recording<Object> recording) {
    }

    /** Carries a checked exception of a value loader out of the function. */
    private static final class LoaderFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LoaderFailure(Exception cause) {
            super(null, cause, false, false);
        }
    }
}
