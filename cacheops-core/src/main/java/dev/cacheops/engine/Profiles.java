package dev.cacheops.engine;

import dev.cacheops.Profile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Chooses the profile of a table: the most specific matching pattern wins (an exact
 * {@code schema.table}, then an exact table name, then the longest {@code prefix*}, then
 * {@code *}). Immutable and thread-safe.
 */
final class Profiles {
    private final List<Entry> entries;

    Profiles(List<Profile> profiles) {
        List<Entry> list = new ArrayList<>();
        for (Profile p : profiles) {
            list.add(new Entry(p, p.pattern().toLowerCase(Locale.ROOT)));
        }
        list.sort(Comparator.comparingInt(Entry::specificity).reversed());
        this.entries = List.copyOf(list);
    }

    /**
     * The profile for a table, or {@code null} when none matches.
     *
     * @param schema the table's schema as stored (may be null)
     * @param table  the table's name as stored
     */
    Profile match(String schema, String table) {
        String bare = table.toLowerCase(Locale.ROOT);
        String qualified = schema == null || schema.isEmpty() ? bare : schema.toLowerCase(Locale.ROOT) + "." + bare;
        for (Entry e : entries) {
            if (e.matches(qualified, bare)) {
                return e.profile;
            }
        }
        return null;
    }

    private record Entry(Profile profile, String pattern) {
        boolean qualifiedPattern() {
            return pattern.contains(".");
        }

        int specificity() {
            boolean wild = pattern.endsWith("*");
            int len = wild ? pattern.length() - 1 : pattern.length();
            if (!wild) {
                return (qualifiedPattern() ? 3_000_000 : 2_000_000) + len;
            }
            return (qualifiedPattern() ? 1_000_000 : 0) + len;
        }

        boolean matches(String qualified, String bare) {
            String subject = qualifiedPattern() ? qualified : bare;
            if (pattern.endsWith("*")) {
                return subject.startsWith(pattern.substring(0, pattern.length() - 1));
            }
            return subject.equals(pattern);
        }
    }
}
