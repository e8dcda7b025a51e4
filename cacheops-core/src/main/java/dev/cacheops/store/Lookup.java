package dev.cacheops.store;

import java.util.List;

/**
 * Everything the store needs to read or write one cached entry, with keys already built by
 * {@link Keys}.
 *
 * @param entryKey  the entry's key ({@link Keys#entry})
 * @param stampKeys the stamps the entry depends on, in the fixed order its checksum uses: the
 *                  epoch first, then scheme versions and conjunctions, without duplicates
 * @param schemes   the schemes to register when a stamp has to be created: pairs of
 *                  {@link Keys#schemes} key and scheme name
 * @param wipKeys   the {@link Keys#wip} keys of every table the entry reads; a store is refused
 *                  while any of them holds an unexpired writer
 */
public record Lookup(String entryKey, List<String> stampKeys, List<SchemeRef> schemes, List<String> wipKeys) {
    public Lookup {
        stampKeys = List.copyOf(stampKeys);
        schemes = List.copyOf(schemes);
        wipKeys = List.copyOf(wipKeys);
        if (stampKeys.isEmpty()) {
            throw new IllegalArgumentException("an entry depends at least on the epoch");
        }
    }

    /** Whether a table this entry reads has its {@code wip} key among {@code tables} (keys of a map). */
    boolean readsAnyOf(java.util.Map<String, ?> tables) {
        if (!tables.isEmpty()) {
            for (String wip : wipKeys) {
                if (tables.containsKey(wip)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A scheme to register: {@code SADD schemesKey scheme}. */
    public record SchemeRef(String schemesKey, String scheme) { }
}
