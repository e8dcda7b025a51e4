package dev.cacheops.demo;

import dev.cacheops.CacheStats;
import dev.cacheops.PassReason;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The printed result: setup, the two runs side by side, per-query hit ratios, the cache's own
 * counters and the correctness check. Plain aligned text, so it reads the same in a terminal, a
 * CI log and a README.
 */
final class Report {
    /** What was run where, in words. */
    record Setup(String database, String store, Seeder.Seeded data, long seed, long operations,
                 double writeShare, double skew, int verifyEvery, int rounds) {
    }

    private final Setup setup;
    private final RunResult uncached;
    private final RunResult cached;
    private final CacheStats stats;
    private final QueryCounters queries;

    Report(Setup setup, RunResult uncached, RunResult cached, CacheStats stats, QueryCounters queries) {
        this.setup = setup;
        this.uncached = uncached;
        this.cached = cached;
        this.stats = stats;
        this.queries = queries;
    }

    /** Speed of the cached run relative to the uncached one (uncached time / cached time). */
    double speedup() {
        return (double) uncached.wall().toNanos() / Math.max(1, cached.wall().toNanos());
    }

    void print(PrintWriter out) {
        Seeder.Seeded d = setup.data();
        out.println("Cacheops demo: a blog workload, run without and with the cache");
        out.printf("  database  %s%n", setup.database());
        out.printf("  store     %s%n", setup.store());
        out.printf("  data      %s categories, %s posts, %s tags, %s post tags, %s comments (seed %d)%n",
                n(d.categories()), n(d.posts()), n(d.tags()), n(d.postTags()), n(d.comments()), setup.seed());
        out.printf("  workload  %s operations, %s writes, Zipf skew %s on ids; the same sequence in both runs,"
                + " each on freshly seeded data%n", n(setup.operations()), percent(setup.writeShare()),
                String.format(Locale.ROOT, "%.2f", setup.skew()));
        out.println();
        runs(out);
        out.println();
        perQuery(out);
        out.println();
        cache(out);
        out.println();
        correctness(out);
        out.println();
        summary(out);
        out.flush();
    }

    private void runs(PrintWriter out) {
        String row = "  %-34s %15s %15s%n";
        out.printf(row, "", uncached.label(), cached.label());
        out.printf(row, "operations", n(uncached.operations()), n(cached.operations()));
        out.printf(row, "  reads", n(uncached.reads()), n(cached.reads()));
        out.printf(row, "  writes", n(uncached.writes()), n(cached.writes()));
        out.printf(row, "statements reaching the database", n(uncached.dbStatements()), n(cached.dbStatements()));
        out.printf(row, "  selects", n(uncached.dbReads()), n(cached.dbReads()));
        out.printf(row, "  inserts, updates, deletes", n(uncached.dbWrites()), n(cached.dbWrites()));
        out.printf(row, "wall time (ms, median of " + setup.rounds() + ")", ms(uncached), ms(cached));
        out.printf(row, "operations per second", n(perSecond(uncached)), n(perSecond(cached)));
        out.printf(row, "speedup (uncached time / cached time)", "",
                String.format(Locale.ROOT, "%.2fx", speedup()));
    }

    private void perQuery(PrintWriter out) {
        String row = "  %-24s %10s %10s %10s %10s%n";
        out.printf(row, "read (with cache)", "reads", "hits", "misses", "hit ratio");
        for (Workload.Kind kind : Workload.Kind.values()) {
            if (!kind.read) {
                continue;
            }
            long hits = queries.hits(kind);
            long misses = queries.misses(kind);
            out.printf(row, kind.label, n(cached.byKind().getOrDefault(kind, 0L)), n(hits), n(misses),
                    ratio(hits, hits + misses));
        }
        String writes = "  %-24s %10s%n";
        out.printf(writes, "write", "count");
        for (Workload.Kind kind : Workload.Kind.values()) {
            if (!kind.read) {
                out.printf(writes, kind.label, n(cached.byKind().getOrDefault(kind, 0L)));
            }
        }
    }

    private void cache(PrintWriter out) {
        String row = "  %-34s %15s%n";
        out.println("  cache counters (cacheops.stats())");
        out.printf(row, "  hits", n(stats.hits()));
        out.printf(row, "  misses", n(stats.misses()));
        out.printf(row, "  hit ratio", ratio(stats.hits(), stats.hits() + stats.misses()));
        out.printf(row, "  results stored", n(stats.stores()));
        out.printf(row, "  stores refused (write raced)", n(stats.storesRefused()));
        out.printf(row, "  invalidations", n(stats.invalidations()));
        out.printf(row, "  pass-throughs", n(stats.passThroughTotal()));
        Map<PassReason, Long> reasons = new TreeMap<>(stats.passThroughs());
        reasons.forEach((reason, count) -> {
            if (count > 0) {
                out.printf(row, "    " + reason, n(count));
            }
        });
        out.printf(row, "  store errors", n(stats.storeErrors()));
    }

    /** The three figures a new user looks for, on one line each. */
    private void summary(PrintWriter out) {
        long saved = uncached.dbStatements() - cached.dbStatements();
        out.printf(Locale.ROOT, "  speedup         %.2fx (uncached time / cached time)%n", speedup());
        out.printf("  statements saved %s of %s (%s)%n", n(saved), n(uncached.dbStatements()),
                ratio(saved, uncached.dbStatements()));
        out.printf("  hit ratio       %s%n", ratio(stats.hits(), stats.hits() + stats.misses()));
    }

    private void correctness(PrintWriter out) {
        out.printf("  correctness: %s cached reads (every %s) compared with the database: %s mismatches%n",
                n(cached.verified()), ordinal(setup.verifyEvery()), n(cached.mismatches()));
        for (String sample : cached.samples()) {
            out.println("    " + sample);
        }
        out.println(cached.mismatches() == 0 ? "  result: OK" : "  result: FAILED, the cache served results"
                + " that differ from the database");
    }

    private static String n(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    private static String ms(RunResult r) {
        return n(r.wall().toMillis());
    }

    private static long perSecond(RunResult r) {
        return Math.round(r.operations() / Math.max(1e-9, r.wall().toNanos() / 1e9));
    }

    private static String ratio(long part, long whole) {
        return whole == 0 ? "-" : String.format(Locale.ROOT, "%.1f %%", 100.0 * part / whole);
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f %%", 100 * share);
    }

    private static String ordinal(int n) {
        if (n == 1) {
            return "read";
        }
        String suffix = n % 100 >= 11 && n % 100 <= 13 ? "th"
                : switch (n % 10) {
                    case 1 -> "st";
                    case 2 -> "nd";
                    case 3 -> "rd";
                    default -> "th";
                };
        return n + suffix;
    }
}
