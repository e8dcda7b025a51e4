package dev.cacheops.cli;

import dev.cacheops.store.ClusterStore;
import dev.cacheops.store.Keys;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cacheops stats}: what one prefix holds in a Redis, per table. Reads keys with
 * {@code SCAN MATCH prefix:* COUNT n} up to a bound (never {@code KEYS}), sizes them with
 * {@code MEMORY USAGE} up to a sample bound (the rest estimated at the measured average: SCAN
 * visits keys in hash order, so the first ones are a fair sample), and counts schemes with
 * {@code SCARD}. Writes nothing.
 */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = {"Show what a prefix holds in Redis, per table.",
            "Per table: stamp keys (scheme versions and conjunctions), schemes and bytes; the entries and their",
            "bytes in total (entry keys are hashes and name no table). Uses SCAN with a bound, never KEYS."})
final class StatsCommand implements Callable<Integer> {
    @Mixin
    Output output;

    @Option(names = "--redis", required = true, paramLabel = "URL", description = "Redis, e.g. redis://127.0.0.1:6379/0.")
    String redis;

    @Option(names = "--prefix", defaultValue = "cacheops", description = "Key prefix (default: ${DEFAULT-VALUE}).")
    String prefix;

    @Option(names = "--max-keys", defaultValue = "1000000", description = "Stop scanning after this many keys (default: ${DEFAULT-VALUE}).")
    long maxKeys;

    @Option(names = "--memory-sample", defaultValue = "10000",
            description = "Measure MEMORY USAGE of at most this many keys, estimate the rest (default: ${DEFAULT-VALUE}).")
    long memorySample;

    @Option(names = "--scan-count", defaultValue = "1000", description = "SCAN's COUNT hint (default: ${DEFAULT-VALUE}).")
    int scanCount;

    @Option(names = "--progress", negatable = true,
            description = "Progress on stderr while scanning (default: when stderr is a terminal).")
    Boolean progress;

    /** The command's result, also its JSON form. */
    record Report(String redis, String prefix, long keysScanned, boolean complete, boolean bytesExact,
                  long entries, long entryBytes, long functionDependencies, long locks, boolean epoch,
                  List<TableStats> tables, long otherKeys, long totalBytes, String counters) { }

    /** One table's keys. */
    record TableStats(String table, long stampKeys, long schemeVersions, long conjunctions, long schemes,
                      boolean writeInProgress, long bytes) { }

    @Override
    public Integer call() {
        String p = prefix.endsWith(":") ? prefix : prefix + ":";
        if (ClusterStore.isClusterUri(redis)) {
            // SCAN through the cluster client visits every master in turn; MEMORY USAGE and SCARD
            // go to the node of their key.
            RedisClusterClient client = RedisClusterClient.create(ClusterStore.seeds(redis, Duration.ofSeconds(10)));
            try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
                return emit(scan(connection.sync(), connection.async(), p, true));
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        }
        RedisURI uri = RedisURI.create(redis);
        uri.setTimeout(Duration.ofSeconds(10));
        RedisClient client = RedisClient.create(uri);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return emit(scan(connection.sync(), connection.async(), p, false));
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    private int emit(Report report) {
        if (output.json) {
            output.printJson(report);
        } else {
            print(report);
        }
        return 0;
    }

    private Report scan(RedisClusterCommands<String, String> sync, RedisClusterAsyncCommands<String, String> async,
                        String p, boolean cluster) {
        KeyCensus census = new KeyCensus(p, cluster);
        boolean showProgress = progress != null ? progress : System.console() != null;
        PrintWriter err = output.err();
        ScanArgs args = ScanArgs.Builder.matches(glob(p) + "*").limit(scanCount);
        ScanCursor cursor = ScanCursor.INITIAL;
        long scanned = 0;
        long measured = 0;
        boolean complete = false;
        while (scanned < maxKeys) {
            KeyScanCursor<String> page = sync.scan(cursor, args);
            List<String> keys = page.getKeys();
            if (keys.size() > maxKeys - scanned) {
                keys = keys.subList(0, (int) (maxKeys - scanned));
            }
            // Pipelined: one round trip's worth of MEMORY USAGE per page.
            List<RedisFuture<Long>> sizes = new ArrayList<>(keys.size());
            for (String k : keys) {
                sizes.add(measured++ < memorySample ? async.memoryUsage(k) : null);
            }
            for (int i = 0; i < keys.size(); i++) {
                census.add(keys.get(i), bytes(sizes.get(i)));
            }
            scanned += keys.size();
            if (showProgress) {
                err.print("\rscanning " + p + "*: " + String.format("%,d", scanned) + " keys");
                err.flush();
            }
            if (page.isFinished()) {
                complete = true;
                break;
            }
            cursor = page;
        }
        if (showProgress) {
            err.print("\r" + " ".repeat(60) + "\r");
            err.flush();
        }
        return report(sync, census, p, scanned, complete, cluster);
    }

    private static long bytes(RedisFuture<Long> f) {
        if (f == null) {
            return -1;
        }
        try {
            Long v = f.get(10, TimeUnit.SECONDS);
            return v == null ? 0 : v; // the key expired between SCAN and MEMORY USAGE
        } catch (Exception e) {
            return -1;
        }
    }

    private Report report(RedisClusterCommands<String, String> sync, KeyCensus census, String p, long scanned,
                          boolean complete, boolean cluster) {
        Keys keys = cluster ? Keys.forCluster(p.substring(0, p.length() - 1)) : new Keys(p.substring(0, p.length() - 1));
        double avg = census.averageBytes();
        List<TableStats> tables = new ArrayList<>();
        census.tables.forEach((table, t) -> {
            // Asked even when the scan stopped before the schemes key: one SCARD per table.
            long schemes = sync.scard(keys.schemes(table));
            tables.add(new TableStats(table, t.schemeVersions.keys + t.conjunctions.keys, t.schemeVersions.keys,
                    t.conjunctions.keys, schemes, t.hasWip,
                    t.schemeVersions.bytes(avg) + t.conjunctions.bytes(avg) + t.other.bytes(avg)));
        });
        long total = census.all().stream().mapToLong(g -> g.bytes(avg)).sum();
        return new Report(cluster ? redis.replaceFirst("//[^@/]*@", "//") : RedisURI.create(redis).toString(), p.substring(0, p.length() - 1), scanned, complete,
                census.exact(), census.entries.keys, census.entries.bytes(avg), census.functionDeps.keys,
                census.locks.keys, census.epoch.keys > 0, tables, census.unknown.keys, total,
                "not published: each instance keeps its counters in memory (Cacheops.stats())");
    }

    /** Escapes the glob characters of a prefix for SCAN MATCH. */
    static String glob(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    private void print(Report r) {
        PrintWriter out = output.out();
        String approx = r.bytesExact() ? "" : "~";
        out.println(output.bold("prefix ") + r.prefix() + "  " + output.bold("keys ") + String.format("%,d", r.keysScanned())
                + (r.complete() ? "" : output.style("yellow", " (stopped at --max-keys " + maxKeys + ")"))
                + "  " + output.bold("epoch ") + (r.epoch() ? "set" : r.complete() ? output.style("yellow", "absent") : "not seen"));
        out.println();
        String header = String.format("%-32s %10s %10s %12s %8s %12s", "table", "stamps", "sv", "conj", "schemes", "bytes");
        out.println(output.bold(header));
        for (TableStats t : r.tables()) {
            out.println(String.format("%-32s %,10d %,10d %,12d %,8d %12s", t.table(), t.stampKeys(), t.schemeVersions(),
                    t.conjunctions(), t.schemes(), approx + size(t.bytes()))
                    + (t.writeInProgress() ? output.style("yellow", "  write in progress") : ""));
        }
        if (r.tables().isEmpty()) {
            out.println("(no table keys)");
        }
        out.println();
        Map<String, String> totals = new LinkedHashMap<>();
        totals.put("entries", String.format("%,d (%s%s)", r.entries(), approx, size(r.entryBytes())));
        if (r.functionDependencies() > 0) {
            totals.put("function deps", String.format("%,d", r.functionDependencies()));
        }
        if (r.locks() > 0) {
            totals.put("locks", String.format("%,d", r.locks()));
        }
        if (r.otherKeys() > 0) {
            totals.put("other keys", String.format("%,d", r.otherKeys()));
        }
        totals.put("total", approx + size(r.totalBytes())
                + (r.bytesExact() ? "" : " (MEMORY USAGE of " + Math.min(memorySample, r.keysScanned()) + " keys, the rest estimated)"));
        totals.put("counters", r.counters());
        totals.forEach((k, v) -> out.println(output.bold(String.format("%-14s", k)) + v));
        out.flush();
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format("%.1f KiB", bytes / 1024.0);
        }
        return String.format("%.1f MiB", bytes / (1024.0 * 1024));
    }
}
