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
 *                  while one of them holds a writer whose lock did not know every scheme the
 *                  entry has on that table, or locked one of its stamps ({@link WriterRecord})
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

    /**
     * Checks that {@code values} has one value per stamp, as every store's compare-and-set needs.
     *
     * @throws IllegalArgumentException when the numbers differ
     */
    void checkStampValues(List<byte[]> values) {
        if (values.size() != stampKeys.size()) {
            throw new IllegalArgumentException("expected " + stampKeys.size() + " stamp values, got " + values.size());
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

    /** The schemes this entry has on the table whose {@link Keys#schemes} key is {@code schemesKey}. */
    List<String> schemesIn(String schemesKey) {
        List<String> out = new java.util.ArrayList<>(2);
        for (SchemeRef ref : schemes) {
            if (ref.schemesKey().equals(schemesKey)) {
                out.add(ref.scheme());
            }
        }
        return out;
    }

    /** A scheme to register: {@code SADD schemesKey scheme}. */
    public record SchemeRef(String schemesKey, String scheme) { }
}
