package dev.cacheops.protocol;

import dev.cacheops.store.Keys;
import dev.cacheops.store.Lookup;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns bound dependencies into the keys of a {@link Lookup}, in the fixed order the checksum
 * uses: the epoch, then per table (sorted by name) per conjunction (sorted by key) its scheme
 * version and its conjunction stamp.
 */
final class Dependencies {
    private Dependencies() {
    }

    static Lookup lookup(Keys keys, String entryHash, List<BoundTable> tables) {
        List<BoundTable> sorted = new ArrayList<>(tables);
        sorted.sort(Comparator.comparing(BoundTable::table));
        Set<String> stamps = new LinkedHashSet<>();
        Set<Lookup.SchemeRef> schemes = new LinkedHashSet<>();
        List<String> wips = new ArrayList<>(sorted.size());
        stamps.add(keys.epoch());
        for (BoundTable t : sorted) {
            List<String> conjKeys = new ArrayList<>();
            for (Map<String, String> conj : t.conjunctions()) {
                List<String> columns = List.copyOf(conj.keySet());
                String scheme = Keys.scheme(columns, t.columnSet());
                conjKeys.add(keys.conj(t.table(), columns, List.copyOf(conj.values()), t.columnSet()));
                schemes.add(new Lookup.SchemeRef(keys.schemes(t.table()), scheme));
            }
            // Scheme versions first, so an entry's keys group by how they are invalidated.
            for (Map<String, String> conj : t.conjunctions()) {
                stamps.add(keys.schemeVersion(t.table(), Keys.scheme(List.copyOf(conj.keySet()), t.columnSet())));
            }
            conjKeys.sort(null);
            stamps.addAll(conjKeys);
            String wip = keys.wip(t.table());
            if (!wips.contains(wip)) {
                wips.add(wip);
            }
        }
        return new Lookup(keys.entry(entryHash), List.copyOf(stamps), List.copyOf(schemes), wips);
    }
}
