package dev.cacheops.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheops.store.Keys;
import dev.cacheops.store.Lookup;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which lookups count as touched by this JVM's own invalidations since their last fetch. */
class InvalidationLogTest {
    private final Keys keys = new Keys("t");
    private final InvalidationLog log = new InvalidationLog();

    private Lookup lookup(String table, int category) {
        return new Lookup(keys.entry(table + category), List.of(keys.epoch(),
                keys.schemeVersion(table, "category_id"),
                keys.conj(table, List.of("category_id"), List.of(Integer.toString(category)))),
                List.of(), List.of(keys.wip(table)));
    }

    @Test
    void nothingInvalidatedSinceIsUntouched() {
        log.deleted(Set.of(keys.conj("post", List.of("category_id"), List.of("5"))));
        long fetched = log.sequence();
        assertThat(log.touchedSince(lookup("post", 5), fetched)).isFalse();
    }

    @Test
    void aDeletedStampTouchesExactlyTheLookupsThatHaveIt() {
        long fetched = log.sequence();
        log.deleted(Set.of(keys.conj("post", List.of("category_id"), List.of("5"))));
        assertThat(log.touchedSince(lookup("post", 5), fetched)).isTrue();
        assertThat(log.touchedSince(lookup("post", 6), fetched)).isFalse();
        assertThat(log.touchedSince(lookup("post", 5), log.sequence())).as("fetched again since").isFalse();
    }

    @Test
    void aWholeTableTouchesEveryLookupOfThatTableOnly() {
        long fetched = log.sequence();
        log.wholeTable(keys.wip("post"));
        assertThat(log.touchedSince(lookup("post", 6), fetched)).isTrue();
        assertThat(log.touchedSince(lookup("comment", 6), fetched)).isFalse();
    }

    @Test
    void theEpochTouchesEverything() {
        long fetched = log.sequence();
        log.everything();
        assertThat(log.touchedSince(lookup("comment", 6), fetched)).isTrue();
        assertThat(log.touchedSince(lookup("comment", 6), log.sequence())).isFalse();
    }

    @Test
    void pastItsBoundItForgetsWhichIsOnlyTheHintLost() {
        long fetched = log.sequence();
        log.deleted(Set.of(keys.conj("post", List.of("category_id"), List.of("5"))));
        for (int i = 0; i < InvalidationLog.MAX_KEYS; i++) {
            log.deleted(Set.of("other:" + i));
        }
        assertThat(log.touchedSince(lookup("post", 5), fetched)).isFalse();
    }
}
