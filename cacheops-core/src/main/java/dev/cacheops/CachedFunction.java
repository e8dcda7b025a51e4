package dev.cacheops;

import dev.cacheops.engine.Engine;
import dev.cacheops.function.FunctionCache;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A function whose results are cached per argument combination, like cacheops' {@code @cached}
 * (invalidated by time) and {@code @cached_as} (invalidated like queries). Built once with
 * {@link Cacheops#function(String, Class)} and called many times:
 *
 * <pre>{@code
 * CachedFunction<Long> visiblePosts = cacheops.function("visible-posts", Long.class)
 *     .dependsOnQuery("select count(*) from post where category_id = ? and visible")
 *     .build(args -> countVisible((Integer) args[0]));
 * long n = visiblePosts.get(5);   // recomputed only after a write to a visible post of category 5
 * }</pre>
 *
 * <p>Keys are stable across JVMs and machines: the function's name, its extra key parts and the
 * arguments' values (strings, numbers, booleans, enums, UUIDs, java.time values, records, and
 * collections, arrays and maps of those; anything else is refused). Results are serialised by a
 * {@link Serializer} (JSON by default). Thread-safe.
 *
 * @param <T> the result type
 */
public final class CachedFunction<T> {
    private final FunctionCache<T> cache;

    private CachedFunction(FunctionCache<T> cache) {
        this.cache = cache;
    }

    /**
     * The result for these arguments, from the cache or computed.
     *
     * @throws IllegalArgumentException when an argument cannot be keyed stably
     */
    public T get(Object... args) {
        return cache.get(args);
    }

    /**
     * With {@link Builder#captureDependencies()} only: the cached result for these arguments, or
     * empty on a miss; nothing is computed. For integrations that compute the value themselves
     * (Spring's cache abstraction calls {@code get}, runs the method, then {@code put}).
     *
     * @throws IllegalStateException when the function does not capture its dependencies
     */
    public Optional<T> peek(Object... args) {
        return cache.peek(args);
    }

    /**
     * With {@link Builder#captureDependencies()} only: starts recording the reads this thread
     * makes, for a result computed outside {@link #get}. Follow with exactly one
     * {@link Recording#store} or {@link Recording#abandon}, on the same thread.
     *
     * @throws IllegalStateException when the function does not capture its dependencies
     */
    public Recording<T> record(Object... args) {
        FunctionCache<T>.Recording r = cache.record(args);
        return new Recording<>(r::store, r::abandon);
    }

    /**
     * A capture opened by {@link #record}: the reads between it and {@link #store} are the
     * stored result's dependencies. Thread-confined; closing twice does nothing.
     *
     * @param <T> the result type
     */
    public static final class Recording<T> {
        private final java.util.function.Consumer<T> store;
        private final Runnable abandon;

        private Recording(java.util.function.Consumer<T> store, Runnable abandon) {
            this.store = store;
            this.abandon = abandon;
        }

        /** Ends the capture and stores {@code value} under the reads it saw (unless one failed it). */
        public void store(T value) {
            store.accept(value);
        }

        /** Ends the capture and stores nothing. */
        public void abandon() {
            abandon.run();
        }
    }

    /** Removes the cached result for these arguments, so the next call recomputes it. */
    public void invalidate(Object... args) {
        cache.invalidate(args);
    }

    /** Stores {@code value} as the result for these arguments (cacheops' {@code .key(args).set(v)}). */
    public void set(T value, Object... args) {
        cache.set(value, args);
    }

    /**
     * Configures a {@link CachedFunction}. Without samples and without
     * {@link #captureDependencies()}, results are invalidated by time only. Not thread-safe.
     *
     * @param <T> the result type
     */
    public static final class Builder<T> {
        private final Engine engine;
        private final String name;
        private final Type type;
        private Duration timeout;
        private final List<Object> extra = new ArrayList<>();
        private final List<String> tables = new ArrayList<>();
        private final List<Map.Entry<String, Map<String, ?>>> rows = new ArrayList<>();
        private final List<Map.Entry<String, List<Object>>> queries = new ArrayList<>();
        private boolean capture;
        private Duration lockWait;
        private Serializer serializer = Serializer.json();

        Builder(Engine engine, String name, Type type) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a cached function needs a name (its identity in keys)");
            }
            this.engine = engine;
            this.name = name;
            this.type = Objects.requireNonNull(type, "type");
            this.timeout = engine.settings().defaultTimeout();
        }

        /** How long a result is kept; default the builder's {@code defaultTimeout}. */
        public Builder<T> timeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be a positive duration, was " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** Extra key parts, e.g. a version or a locale (cacheops' {@code extra}). */
        public Builder<T> extra(Object... parts) {
            extra.addAll(Arrays.asList(parts));
            return this;
        }

        /** Results are invalidated by any write to {@code table}. */
        public Builder<T> dependsOnTable(String table) {
            tables.add(Objects.requireNonNull(table, "table"));
            return this;
        }

        /** Results are invalidated by writes to rows of {@code table} with these values (old or new). */
        public Builder<T> dependsOnRow(String table, Map<String, ?> values) {
            rows.add(new AbstractMap.SimpleImmutableEntry<>(table, Map.copyOf(values)));
            return this;
        }

        /**
         * Results are invalidated like a cached read of {@code sql}. Without {@code params}, the
         * query's {@code ?} are bound to each call's arguments, in order.
         */
        public Builder<T> dependsOnQuery(String sql, Object... params) {
            queries.add(new AbstractMap.SimpleImmutableEntry<>(Objects.requireNonNull(sql, "sql"),
                    Arrays.asList(params)));
            return this;
        }

        /**
         * Results depend on every query the function runs on this thread through a wrapped data
         * source, cached or not (captured automatically). A write by the function, or a query
         * that cannot be analysed, means that result is not cached.
         */
        public Builder<T> captureDependencies() {
            this.capture = true;
            return this;
        }

        /**
         * When many callers miss the same result at once, one computes it and the others wait for
         * it, at most {@code maxWait}, then compute it themselves.
         */
        public Builder<T> lock(Duration maxWait) {
            if (maxWait == null || maxWait.isNegative() || maxWait.isZero()) {
                throw new IllegalArgumentException("lock wait must be a positive duration, was " + maxWait);
            }
            this.lockWait = maxWait;
            return this;
        }

        /** How results are serialised; default {@link Serializer#json()}. */
        public Builder<T> serializer(Serializer serializer) {
            this.serializer = Objects.requireNonNull(serializer, "serializer");
            return this;
        }

        /**
         * Builds the function around {@code body}, which receives the call's arguments.
         *
         * @throws IllegalStateException when samples and capture are both asked for
         */
        public CachedFunction<T> build(Function<Object[], T> body) {
            boolean samples = !tables.isEmpty() || !rows.isEmpty() || !queries.isEmpty();
            if (samples && capture) {
                throw new IllegalStateException("function '" + name
                        + "': give samples or capture dependencies, not both");
            }
            FunctionCache.Mode mode = capture ? FunctionCache.Mode.CAPTURE
                    : samples ? FunctionCache.Mode.SAMPLES : FunctionCache.Mode.TIME;
            FunctionCache.Spec spec = new FunctionCache.Spec(name, type, timeout.toMillis(), List.copyOf(extra),
                    List.copyOf(tables), List.copyOf(rows), List.copyOf(queries), mode, lockWait, serializer);
            return new CachedFunction<>(new FunctionCache<>(engine, spec, Objects.requireNonNull(body, "body")));
        }

        /** Builds a function of no arguments. */
        public CachedFunction<T> build(Supplier<T> body) {
            Objects.requireNonNull(body, "body");
            return build(args -> body.get());
        }
    }
}
