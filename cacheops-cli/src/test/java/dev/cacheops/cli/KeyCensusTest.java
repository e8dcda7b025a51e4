package dev.cacheops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cacheops.Op;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The key layout as the stats command reads it, and the profile syntax of explain. */
class KeyCensusTest {

    @Test
    void keysAreCountedByWhatTheyAre() {
        KeyCensus c = new KeyCensus("p:");
        c.add("p:q:abc", 100);
        c.add("p:q:def", -1);
        c.add("p:epoch", 50);
        c.add("p:schemes:public.post", 80);
        c.add("p:sv:public.post:category_id", 60);
        c.add("p:sv:public.post:", 60);
        c.add("p:conj:public.post:category_id=5", 70);
        c.add("p:conj:public.a%3ab:x=1%3a2", 70); // an escaped ':' in the table name
        c.add("p:wip:public.post", 40);
        c.add("p:wips:public.post", 40);
        c.add("p:released:public.post", 40);
        c.add("p:qd:abc", 10);
        c.add("p:lock:abc", 10);
        c.add("p:something", 5);

        assertThat(c.entries.keys).isEqualTo(2);
        assertThat(c.entries.bytes(0)).isEqualTo(200); // the unmeasured one at the group's average
        assertThat(c.exact()).isFalse();
        assertThat(c.tables).containsOnlyKeys("public.post", "public.a:b");
        KeyCensus.TableKeys post = c.tables.get("public.post");
        assertThat(post.schemeVersions.keys).isEqualTo(2);
        assertThat(post.conjunctions.keys).isEqualTo(1);
        assertThat(post.hasSchemesKey).isTrue();
        assertThat(post.hasWip).isTrue();
        assertThat(post.other.keys).isEqualTo(4); // schemes, wip, wips, released
        assertThat(c.functionDeps.keys).isEqualTo(1);
        assertThat(c.locks.keys).isEqualTo(1);
        assertThat(c.epoch.keys).isEqualTo(1);
        assertThat(c.unknown.keys).isEqualTo(1);
    }

    @Test
    void clusterKeysCarryTheTableAsAHashTag() {
        KeyCensus c = new KeyCensus("p:", true);
        c.add("p:schemes:{public.post}", 80);
        c.add("p:sv:{public.post}:category_id", 60);
        c.add("p:conj:{public.post}:category_id=5", 70);
        c.add("p:wip:{public.post}", 40);
        assertThat(c.tables).containsOnlyKeys("public.post");
        assertThat(c.tables.get("public.post").schemeVersions.keys).isEqualTo(1);
        assertThat(c.tables.get("public.post").conjunctions.keys).isEqualTo(1);
        assertThat(c.tables.get("public.post").hasWip).isTrue();
    }

    @Test
    void unescapeUndoesKeysEscape() {
        String name = "we:ird,na=me&%";
        assertThat(KeyCensus.unescape(dev.cacheops.store.Keys.escape(name))).isEqualTo(name);
    }

    @Test
    void globCharactersOfThePrefixAreEscaped() {
        assertThat(StatsCommand.glob("a*b?[c]:")).isEqualTo("a\\*b\\?\\[c\\]:");
    }

    @Test
    void profiles() {
        assertThat(ProfileSpec.parse("post=all:15m")).isEqualTo(
                new ProfileSpec("post", Op.ALL, Duration.ofMinutes(15), false));
        assertThat(ProfileSpec.parse("auth_*=get,fetch:1h").ops()).isEqualTo(Set.of(Op.GET, Op.FETCH));
        assertThat(ProfileSpec.parse("tag=none:PT10M")).isEqualTo(
                new ProfileSpec("tag", Set.of(), Duration.ofMinutes(10), false));
        assertThat(ProfileSpec.parse("audit_log=disabled").disabled()).isTrue();
        assertThat(ProfileSpec.parse("*=count:500ms").timeout()).isEqualTo(Duration.ofMillis(500));
        assertThatThrownBy(() -> ProfileSpec.parse("post")).hasMessageContaining("pattern=ops:timeout");
        assertThatThrownBy(() -> ProfileSpec.parse("post=all")).hasMessageContaining("missing ':timeout'");
        assertThatThrownBy(() -> ProfileSpec.parse("post=all:soon")).hasMessageContaining("expected a duration").hasMessageContaining("'soon'");
    }
}
