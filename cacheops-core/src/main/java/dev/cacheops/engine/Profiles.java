package dev.cacheops.engine;

import dev.cacheops.Profile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Chooses the profile of a table: the most specific matching pattern wins (an exact
 * {@code schema.table}, then an exact table name, then the longest {@code prefix*}, then
 * {@code *}). A pattern may also be an alias of a table ({@link #aliases}), such as a JPA entity
 * name; it then matches that table as exactly as its name would. Thread-safe.
 */
final class Profiles {
    private final List<Entry> entries;
    /** Lower-case alias to lower-case table ({@code table} or {@code schema.table}). */
    private volatile Map<String, String> aliases = Map.of();

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
        Map<String, String> a = aliases;
        for (Entry e : entries) {
            if (e.matches(qualified, bare)) {
                return e.profile;
            }
            String target = a.get(e.pattern);
            if (target != null && target.equals(target.contains(".") ? qualified : bare)) {
                return e.profile;
            }
        }
        return null;
    }

    /** Replaces the aliases (any case; the tables bare or {@code schema.table}). */
    void aliases(Map<String, String> byAlias) {
        Map<String, String> lower = new java.util.HashMap<>();
        byAlias.forEach((alias, target) -> lower.put(alias.toLowerCase(Locale.ROOT), target.toLowerCase(Locale.ROOT)));
        this.aliases = Map.copyOf(lower);
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
