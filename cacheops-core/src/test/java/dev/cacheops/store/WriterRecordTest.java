package dev.cacheops.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WriterRecordTest {
    private final Keys keys = new Keys("p");
    private final Lookup byId = new Lookup(keys.entry("h"),
            List.of(keys.epoch(), keys.schemeVersion("t", "id"), keys.conj("t", List.of("id"), List.of("5"))),
            List.of(new Lookup.SchemeRef(keys.schemes("t"), "id")), List.of(keys.wip("t")));

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    @Test
    void decodesTheEmptySchemeAndKeysWithThePrefixRestored() {
        WriterRecord r = WriterRecord.decode(bytes("2\n\nid\nconj:t:id=7\nconj:t:\n"), "p:");
        assertThat(r.schemes()).containsExactlyInAnyOrder("", "id");
        assertThat(r.lockedKeys()).containsExactlyInAnyOrder("p:conj:t:id=7", "p:conj:t:");
    }

    @Test
    void aStarStandsForTooManyKeysAndAnythingElseMalformedForNoRecord() {
        assertThat(WriterRecord.decode(bytes("1\nid\n*\n"), "p:").lockedKeys()).isNull();
        assertThat(WriterRecord.decode(bytes("0\n"), "p:").schemes()).isEmpty();
        assertThat(WriterRecord.decode(bytes("x\nid\n"), "p:")).isNull();
        assertThat(WriterRecord.decode(bytes("3\nid\n"), "p:")).isNull();
        assertThat(WriterRecord.decode(bytes(""), "p:")).isNull();
        assertThat(WriterRecord.decode(null, "p:")).isNull();
    }

    @Test
    void harmlessOnlyWhenEveryWriterKnewTheSchemesAndLockedNoneOfTheStamps() {
        String wip = keys.wip("t");
        WriterRecord other = new WriterRecord(Set.of("id"), Set.of(keys.conj("t", List.of("id"), List.of("7"))));
        WriterRecord touching = new WriterRecord(Set.of("id"), Set.of(keys.conj("t", List.of("id"), List.of("5"))));
        WriterRecord ignorant = new WriterRecord(Set.of("title"), Set.of());
        WriterRecord tooMany = new WriterRecord(Set.of("id"), null);

        assertThat(WriterRecord.harmless(keys, byId, wip, 0, List.<WriterRecord>of())).isTrue();
        assertThat(WriterRecord.harmlessReplies(keys, byId, wip, 0, List.of())).as("nothing decoded").isTrue();
        assertThat(WriterRecord.harmlessReplies(keys, byId, wip, 1,
                List.of(bytes("1\nid\nconj:t:id=7\n")))).isTrue();
        assertThat(WriterRecord.harmlessReplies(keys, byId, wip, 1,
                List.of(bytes("1\nid\nconj:t:id=5\n")))).isFalse();
        assertThat(WriterRecord.harmless(keys, byId, wip, 1, List.of(other))).isTrue();
        assertThat(WriterRecord.harmless(keys, byId, wip, 2, List.of(other, touching))).isFalse();
        assertThat(WriterRecord.harmless(keys, byId, wip, 1, List.of(ignorant))).isFalse();
        assertThat(WriterRecord.harmless(keys, byId, wip, 1, List.of(tooMany))).isFalse();
        assertThat(WriterRecord.harmless(keys, byId, wip, 2, List.of(other))).as("a writer left no record").isFalse();
        Lookup captured = new Lookup(byId.entryKey(), byId.stampKeys(), List.of(), byId.wipKeys());
        assertThat(WriterRecord.harmless(keys, captured, wip, 1, List.of(other))).as("no schemes named").isFalse();
    }
}
