package dev.cacheops.spring.cache;

import dev.cacheops.Cacheops;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;

/**
 * A Spring {@link CacheManager} whose caches are Cacheops function caches with dependency
 * capture: a {@code @Cacheable} result is invalidated when a row that its queries read changes,
 * not only by time or {@code @CacheEvict}. Declare it as the application's cache manager:
 *
 * <pre>{@code
 * @Bean
 * CacheopsCacheManager cacheManager(Cacheops cacheops) {
 *     return CacheopsCacheManager.builder(cacheops).allowPackages("com.example.blog").build();
 * }
 * }</pre>
 *
 * <p>Limits: the method must run its queries on the calling thread, through a wrapped data
 * source; a method that writes, or reads what cannot be analysed, is not cached. Values are JSON
 * with their types, instantiated only from the allowed packages (cache DTOs or records, not
 * managed entities). {@code @CacheEvict} evicts; {@code @CachePut} evicts too (a put without the
 * method's reads has nothing to depend on); {@code clear()} invalidates everything Cacheops holds.
 * Caches are created on first use. Thread-safe.
 */
public final class CacheopsCacheManager implements CacheManager {
    private final Cacheops cacheops;
    private final TypedJsonSerializer serializer;
    private final Duration timeout;
    private final Duration lockWait;
    private final ConcurrentMap<String, CacheopsCache> caches = new ConcurrentHashMap<>();

    private CacheopsCacheManager(Builder b) {
        this.cacheops = b.cacheops;
        this.serializer = new TypedJsonSerializer(b.packages);
        this.timeout = b.timeout;
        this.lockWait = b.lockWait;
    }

    /** A builder over this Cacheops instance. */
    public static Builder builder(Cacheops cacheops) {
        return new Builder(cacheops);
    }

    @Override
    public Cache getCache(String name) {
        return caches.computeIfAbsent(name, n -> new CacheopsCache(n, cacheops, serializer, timeout, lockWait));
    }

    @Override
    public Collection<String> getCacheNames() {
        return List.copyOf(caches.keySet());
    }

    /** Configures a {@link CacheopsCacheManager}. Not thread-safe. */
    public static final class Builder {
        private final Cacheops cacheops;
        private List<String> packages = List.of();
        private Duration timeout;
        private Duration lockWait = Duration.ofSeconds(5);

        private Builder(Cacheops cacheops) {
            this.cacheops = Objects.requireNonNull(cacheops, "cacheops");
        }

        /** Packages whose types cached values may have (besides java.lang, java.util, java.time, java.math). */
        public Builder allowPackages(String... packages) {
            this.packages = List.of(packages);
            return this;
        }

        /** How long values are kept; default {@code cacheops.default-timeout}. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** The dog-pile lock wait of {@code @Cacheable(sync = true)}; default 5 s. */
        public Builder lockWait(Duration lockWait) {
            this.lockWait = lockWait;
            return this;
        }

        /** The manager. */
        public CacheopsCacheManager build() {
            return new CacheopsCacheManager(this);
        }
    }
}
