package dev.cacheops.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheops.store.TableInvalidation;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A transaction's invalidation covers the columns every one of its writes changed (DESIGN §3, "Column sets"). */
class LedgerChangedColumnsTest {
    private static TableInvalidation update(String table, Set<String> changed) {
        return new TableInvalidation(table, false, List.of(Map.of("id", "1")), changed);
    }

    @Test
    void changedColumnsAreUnitedPerTable() {
        Ledger l = new Ledger(100);
        l.add(update("post", Set.of("views")));
        l.add(update("post", Set.of("title")));
        l.add(update("tag", Set.of()));
        List<TableInvalidation> out = l.drain();
        assertThat(out).extracting(TableInvalidation::table).containsExactly("post", "tag");
        assertThat(out.get(0).changed()).containsExactlyInAnyOrder("views", "title");
        assertThat(out.get(1).changed()).isEmpty();
    }

    @Test
    void aWriteOfUnknownColumnsMakesTheTableUnknown() {
        Ledger l = new Ledger(100);
        l.add(update("post", Set.of("views")));
        l.add(new TableInvalidation("post", false, List.of(Map.of("id", "2")))); // an insert
        l.add(update("post", Set.of("title")));
        assertThat(l.drain().get(0).changed()).isNull();
    }

    @Test
    void tooManyImagesBecomeWholeTableKeepingTheChangedColumns() {
        Ledger l = new Ledger(1);
        l.add(update("post", Set.of("views")));
        l.add(new TableInvalidation("post", false, List.of(Map.of("id", "2")), Set.of("views")));
        TableInvalidation t = l.drain().get(0);
        assertThat(t.wholeTable()).isTrue();
        assertThat(t.changed()).containsExactly("views");
    }
}
