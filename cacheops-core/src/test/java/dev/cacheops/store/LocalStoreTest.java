package dev.cacheops.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Ticker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The store contract against {@link LocalStore}, on a test clock. */
class LocalStoreTest extends StoreContract {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Override
    Store createStore(Keys keys) {
        Ticker ticker = nanos::get;
        return LocalStore.builder().keys(keys).ticker(ticker).build();
    }

    @Override
    void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    @Test
    void entriesAreEvictedBeyondTheMaximumWeightButStampsAreNot() {
        store.close();
        store = LocalStore.builder().keys(keys).ticker(nanos::get).maximumWeight(10_000).build();
        Lookup first = postOfCategory(0);
        Fetched f0 = fetch(first);
        assertThat(put(first, f0, "x".repeat(1000))).isTrue();
        for (int i = 1; i < 100; i++) {
            Lookup l = postOfCategory(i);
            assertThat(put(l, fetch(l), "x".repeat(1000))).isTrue();
        }
        int present = 0;
        for (int i = 0; i < 100; i++) {
            if (fetch(postOfCategory(i)).entry() != null) {
                present++;
            }
        }
        assertThat(present).isLessThanOrEqualTo(10);
        assertThat(strings(fetch(first).stamps())).as("stamps are never evicted").isEqualTo(strings(f0.stamps()));
    }

    @Test
    void returnedArraysAreCopies() {
        Lookup l = postOfCategory(5);
        Fetched f = fetch(l);
        byte[] value = "abc".getBytes(StandardCharsets.UTF_8);
        store.put(l, f.stamps(), value, LONG, LONG);
        value[0] = 'X';
        fetch(l).entry()[1] = 'Y';
        assertThat(new String(fetch(l).entry(), StandardCharsets.UTF_8)).isEqualTo("abc");
    }

    @Test
    void closedStoreThrows() {
        store.close();
        assertThatThrownBy(() -> fetch(postOfCategory(5))).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.ping()).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.invalidateAll()).isInstanceOf(StoreException.class);
        assertThat(store.put(postOfCategory(5), List.of(new byte[0], new byte[0], new byte[0]), new byte[0], 1, 1)
                .toCompletableFuture()).isCompletedExceptionally();
    }

    @Test
    void badSettingsAreNamed() {
        assertThatThrownBy(() -> LocalStore.builder().maximumWeight(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maximumWeight");
    }
}
