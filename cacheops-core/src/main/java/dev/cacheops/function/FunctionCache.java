package dev.cacheops.function;

import dev.cacheops.PassReason;
import dev.cacheops.Serializer;
import dev.cacheops.engine.Engine;
import dev.cacheops.engine.SampleQuery;
import dev.cacheops.engine.Scope;
import dev.cacheops.protocol.Attempt;
import dev.cacheops.protocol.BoundTable;
import dev.cacheops.protocol.Capture;
import dev.cacheops.protocol.Hashing;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cache of one function: keys its calls, looks results up, computes and stores them through
 * the stamp protocol, and optionally makes concurrent callers of one missing result wait for a
 * single computation (dog-pile lock). Thread-safe.
 *
 * @param <T> the result type
 */
public final class FunctionCache<T> {
    private static final Logger LOG = LoggerFactory.getLogger(FunctionCache.class);
    private static final String KEY_FORMAT = "cacheops-function-v2";

    /** How the result's dependencies are known. */
    public enum Mode { TIME, SAMPLES, CAPTURE }

    /**
     * A function's settings.
     *
     * @param name       the function's identity in keys (stable across JVMs)
     * @param type       the result type, for deserialisation
     * @param ttlMillis  how long a result is kept
     * @param extra      extra key parts (cacheops' {@code extra})
     * @param tables     sample tables (every row)
     * @param rows       sample rows: table to column values
     * @param queries    sample queries with fixed parameters, or none (then the call's arguments)
     * @param mode       how dependencies are known
     * @param lockWait   how long concurrent callers wait for one computation, or null for no lock
     * @param serializer result serialisation
     */
    public record Spec(String name, Type type, long ttlMillis, List<Object> extra, List<String> tables,
                       List<Map.Entry<String, Map<String, ?>>> rows, List<Map.Entry<String, List<Object>>> queries,
                       Mode mode, Duration lockWait, Serializer serializer) { }

    private final Engine engine;
    private final Spec spec;
    private final Function<Object[], T> body;
    private final String extraKey;
    private volatile List<SampleQuery> sampleQueries;

    public FunctionCache(Engine engine, Spec spec, Function<Object[], T> body) {
        this.engine = engine;
        this.spec = spec;
        this.body = body;
        this.extraKey = ArgumentKeys.of(spec.extra());
    }

    /** The result for these arguments: cached, or computed (and stored when it may be). */
    public T get(Object[] args) {
        String hash = hash(args);
        Scope scope = Scope.current();
        if (scope != null && !scope.cache()) {
            engine.counters().passThrough(spec.name(), PassReason.NOCACHE);
            return body.apply(args);
        }
        if (spec.mode() == Mode.CAPTURE) {
            Optional<Cached<T>> hit = hitOf(engine.protocol().fetchRecorded(hash));
            if (hit.isPresent()) {
                return hit.get().value();
            }
            return locked(hash, () -> hitOf(engine.protocol().fetchRecorded(hash)), () -> computeCaptured(hash, args));
        }
        List<BoundTable> deps = dependencies(args);
        Attempt attempt = engine.protocol().fetch(hash, deps, spec.ttlMillis());
        Optional<Cached<T>> hit = hitOf(attempt);
        if (hit.isPresent()) {
            return hit.get().value();
        }
        Attempt.Miss miss = attempt instanceof Attempt.Hit h ? h.fallback() : (Attempt.Miss) attempt;
        if (!miss.fillable()) {
            engine.counters().passThrough(spec.name(), miss.reason());
            return body.apply(args);
        }
        return locked(hash, () -> hitOf(engine.protocol().fetch(hash, deps, spec.ttlMillis())), () -> {
            T value = body.apply(args);
            return new Computed<>(value, serialize(value)
                    .map(bytes -> engine.protocol().fill(miss, bytes, spec.ttlMillis()))
                    .orElse(SETTLED));
        });
    }

    /**
     * Capture mode only: the cached result for these arguments, or empty on a miss, without
     * computing anything (for callers that compute the value themselves, see {@link #record}).
     */
    public Optional<T> peek(Object[] args) {
        requireCapture();
        Scope scope = Scope.current();
        if (scope != null && !scope.cache()) {
            return Optional.empty();
        }
        return hitOf(engine.protocol().fetchRecorded(hash(args))).map(Cached::value);
    }

    /**
     * Capture mode only: opens a capture on this thread for a result the caller computes itself;
     * the reads the thread makes until {@link Recording#store} become its dependencies. Exactly
     * one of {@link Recording#store} and {@link Recording#abandon} must follow, on this thread.
     */
    public Recording record(Object[] args) {
        requireCapture();
        return new Recording(hash(args), Capture.begin());
    }

    private void requireCapture() {
        if (spec.mode() != Mode.CAPTURE) {
            throw new IllegalStateException("function '" + spec.name() + "' does not capture its dependencies");
        }
    }

    /** A capture opened by {@link #record}; thread-confined. */
    public final class Recording {
        private final String hash;
        private final Capture capture;
        private boolean closed;

        private Recording(String hash, Capture capture) {
            this.hash = hash;
            this.capture = capture;
        }

        /** Closes the capture and stores {@code value} under what it saw (unless it failed). */
        public void store(T value) {
            if (!close()) {
                return;
            }
            if (capture.failure() != null) {
                LOG.debug("result of {} not cached: {}", spec.name(), capture.failure());
                engine.counters().passThrough(spec.name(), PassReason.UNCACHEABLE);
                return;
            }
            serialize(value).ifPresent(bytes -> engine.protocol().fillCaptured(hash, capture, bytes, spec.ttlMillis()));
        }

        /** Closes the capture without storing anything. */
        public void abandon() {
            close();
        }

        private boolean close() {
            if (closed) {
                return false;
            }
            closed = true;
            capture.end();
            return true;
        }
    }

    /** Removes the cached result for these arguments. */
    public void invalidate(Object[] args) {
        engine.protocol().delete(hash(args));
    }

    /**
     * Stores a value as the result for these arguments, under the dependencies the function
     * declares (with automatic capture: the epoch only, until the next computation).
     */
    public void set(T value, Object[] args) {
        String hash = hash(args);
        Optional<byte[]> bytes = serialize(value);
        if (bytes.isEmpty()) {
            return;
        }
        if (spec.mode() == Mode.CAPTURE) {
            Capture empty = Capture.begin();
            empty.end();
            engine.protocol().fillCaptured(hash, empty, bytes.get(), spec.ttlMillis());
            return;
        }
        Attempt a = engine.protocol().fetch(hash, dependencies(args), spec.ttlMillis());
        Attempt.Miss miss = a instanceof Attempt.Hit h ? h.fallback() : (Attempt.Miss) a;
        if (miss.fillable()) {
            engine.protocol().fill(miss, bytes.get(), spec.ttlMillis());
        }
    }

    private Computed<T> computeCaptured(String hash, Object[] args) {
        Capture capture = Capture.begin();
        T value;
        try {
            value = body.apply(args);
        } finally {
            capture.end();
        }
        if (capture.failure() != null) {
            LOG.debug("result of {} not cached: {}", spec.name(), capture.failure());
            engine.counters().passThrough(spec.name(), PassReason.UNCACHEABLE);
            return new Computed<>(value, SETTLED);
        }
        return new Computed<>(value, serialize(value)
                .map(bytes -> engine.protocol().fillCaptured(hash, capture, bytes, spec.ttlMillis()))
                .orElse(SETTLED));
    }

    /**
     * Runs {@code compute} under the function's dog-pile lock: one caller computes, the others
     * poll for its result until {@code lockWait} and then compute themselves.
     */
    private T locked(String hash, java.util.function.Supplier<Optional<Cached<T>>> poll,
                     java.util.function.Supplier<Computed<T>> compute) {
        Duration wait = spec.lockWait();
        if (wait == null) {
            return compute.get().value();
        }
        String owner = UUID.randomUUID().toString();
        long ttl = Math.max(wait.toMillis() * 2, 1_000);
        if (engine.protocol().tryLock(hash, owner, ttl)) {
            CompletionStage<Void> stored = SETTLED;
            try {
                Computed<T> computed = compute.get();
                stored = computed.stored();
                return computed.value();
            } finally {
                // After the store, so that nobody finds neither lock nor result in between.
                engine.protocol().unlockAfter(stored, hash, owner);
            }
        }
        long deadline = System.nanoTime() + wait.toNanos();
        long pause = 2;
        while (System.nanoTime() < deadline) {
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            pause = Math.min(pause * 2, 50);
            Optional<Cached<T>> hit = poll.get();
            if (hit.isPresent()) {
                return hit.get().value();
            }
        }
        return compute.get().value();
    }

    /** A cached result; its value may be null (a function may return null). */
    private record Cached<T>(T value) { }

    /** A computed result and its store, which the dog-pile lock is released after. */
    private record Computed<T>(T value, CompletionStage<Void> stored) { }

    private static final CompletionStage<Void> SETTLED = CompletableFuture.completedFuture(null);

    @SuppressWarnings("unchecked")
    private Optional<Cached<T>> hitOf(Attempt attempt) {
        if (!(attempt instanceof Attempt.Hit hit)) {
            engine.counters().read(spec.name(), "function " + spec.name(), false);
            return Optional.empty();
        }
        try {
            T value = (T) spec.serializer().deserialize(hit.payload(), spec.type());
            engine.counters().read(spec.name(), "function " + spec.name(), true);
            return Optional.of(new Cached<>(value));
        } catch (RuntimeException e) {
            LOG.debug("cached result of {} does not decode; recomputing", spec.name(), e);
            return Optional.empty();
        }
    }

    private Optional<byte[]> serialize(T value) {
        try {
            return Optional.of(spec.serializer().serialize(value));
        } catch (RuntimeException e) {
            LOG.warn("result of {} cannot be serialised; not cached", spec.name(), e);
            return Optional.empty();
        }
    }

    private String hash(Object[] args) {
        return new Hashing.KeyBuilder().add(KEY_FORMAT).add(spec.name()).add(extraKey)
                .add(ArgumentKeys.of(Arrays.asList(args))).build();
    }

    private List<BoundTable> dependencies(Object[] args) {
        if (spec.mode() == Mode.TIME) {
            return List.of();
        }
        List<BoundTable> deps = new ArrayList<>();
        for (String t : spec.tables()) {
            deps.add(engine.tableSample(t));
        }
        for (Map.Entry<String, Map<String, ?>> r : spec.rows()) {
            deps.add(engine.rowSample(r.getKey(), r.getValue()));
        }
        List<SampleQuery> queries = sampleQueries;
        if (queries == null) {
            queries = spec.queries().stream().map(q -> engine.sampleQuery(q.getKey())).toList();
            sampleQueries = queries;
        }
        for (int i = 0; i < queries.size(); i++) {
            List<Object> fixed = spec.queries().get(i).getValue();
            deps.addAll(queries.get(i).bind(fixed.isEmpty() ? Arrays.asList(args) : fixed));
        }
        return deps;
    }
}
