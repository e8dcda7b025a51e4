package dev.cacheops.bench.tracking;

import dev.cacheops.bench.fixture.BenchSettings;
import dev.cacheops.bench.oltp.RedisInfo;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.push.PushMessage;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisProtocol;

/**
 * The two ways Redis can tell a near cache what changed, measured side by side (issue 16): client
 * tracking in broadcast mode ({@code CLIENT TRACKING ON BCAST PREFIX ...}, what the near cache
 * uses) and in the default mode, where the server remembers which keys each client read and the
 * reading connections ({@code REDIRECT}) name the connection that receives the reports.
 *
 * <p>Each of {@code instances} simulated application instances has what the product has: a RESP3
 * watch connection (Lettuce, push listener) and a blocking reader (Jedis, RESP2, the hit path's
 * client), which in the default mode redirects its tracking to the watch connection. The keys
 * stand for stamps. Per mode and instance count, two phases on a fresh key set:
 * <ul>
 *   <li><b>reads</b>: every reader {@code MGET}s three random keys as fast as it can; Redis' CPU
 *       per read (the default mode registers every key read in its tracking table);</li>
 *   <li><b>writes</b>: one writer changes each key once, at a fixed rate, while the readers keep
 *       reading at a fixed rate; Redis' CPU per second, the reports each instance received per
 *       write, and the time from just before the {@code SET} to the report's arrival.</li>
 * </ul>
 * Runs in this JVM on the shared Redis, under a fresh prefix, deleted afterwards.
 */
public final class TrackingModes {
    /** How the watch connection asks for reports. */
    public enum Mode { BCAST, DEFAULT }

    /**
     * One cell.
     *
     * @param mode            the tracking mode
     * @param instances       simulated instances (watch connection and reader each)
     * @param readsPerSecond  reads phase: {@code MGET}s per second, all readers
     * @param redisCpuPerRead reads phase: Redis CPU per {@code MGET}, µs
     * @param trackedKeys     after the reads phase: {@code tracking_total_keys} of {@code INFO} (keys the
     *                        server remembers for some client)
     * @param trackedItems    after the reads phase: {@code tracking_total_items} (key-client pairs)
     * @param writesPerSecond writes phase: writes per second achieved
     * @param redisCpuPerSec  writes phase: Redis CPU, ms per second (same offered load in every cell)
     * @param reportsPerWrite writes phase: reported keys received per write, per instance
     * @param p50Micros       writes phase: report latency, median (µs)
     * @param p99Micros       writes phase: report latency, 99th percentile (µs)
     * @param maxMicros       writes phase: report latency, maximum (µs)
     */
    public record Cell(Mode mode, int instances, double readsPerSecond, double redisCpuPerRead, long trackedKeys,
                       long trackedItems, double writesPerSecond, double redisCpuPerSec, double reportsPerWrite, long p50Micros,
                       long p99Micros, long maxMicros) {
    }

    /**
     * What to run.
     *
     * @param instances     instance counts
     * @param keys          keys per cell (each written once in the writes phase)
     * @param phaseMillis   length of each phase
     * @param writesPerSec  offered write rate of the writes phase
     * @param readsPerSec   offered read rate per instance in the writes phase
     */
    public record Plan(List<Integer> instances, int keys, long phaseMillis, int writesPerSec, int readsPerSec) {
        /** The report's run. */
        public static Plan full() {
            return new Plan(List.of(2, 8), 10_000, 4_000, 1_000, 500);
        }

        /** A few hundred milliseconds per phase: checks the harness, numbers meaningless. */
        public static Plan smoke() {
            return new Plan(List.of(2), 1_000, 300, 1_000, 500);
        }
    }

    private TrackingModes() {
    }

    /** Runs every cell of {@code plan}, both modes per instance count. */
    public static List<Cell> run(BenchSettings settings, Plan plan, Consumer<String> log) throws Exception {
        List<Cell> cells = new ArrayList<>();
        for (int n : plan.instances()) {
            for (Mode mode : Mode.values()) {
                Cell cell = new Experiment(settings, plan, mode, n).run();
                log.accept(describe(cell));
                cells.add(cell);
            }
        }
        return cells;
    }

    /** The cells as a Markdown table. */
    public static List<String> table(List<Cell> cells) {
        List<String> lines = new ArrayList<>();
        lines.add("| mode | instances | reads/s (all readers, unthrottled) | Redis CPU per read (us) | keys tracked by"
                + " the server (key-client pairs) | writes/s | Redis CPU in the writes phase (ms/s) | reports per write per instance"
                + " | report latency p50 / p99 / max (us) |");
        lines.add("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        for (Cell c : cells) {
            lines.add(String.format(Locale.ROOT, "| %s | %d | %,.0f | %.2f | %,d (%,d) | %,.0f | %.1f | %.2f | %,d / %,d / %,d |",
                    c.mode(), c.instances(), c.readsPerSecond(), c.redisCpuPerRead(), c.trackedKeys(),
                    c.trackedItems(), c.writesPerSecond(), c.redisCpuPerSec(), c.reportsPerWrite(), c.p50Micros(), c.p99Micros(),
                    c.maxMicros()));
        }
        return lines;
    }

    private static String describe(Cell c) {
        return String.format(Locale.ROOT, "tracking %s x%d: %,.0f reads/s at %.2f us Redis CPU each, %,d keys tracked;"
                        + " %,.0f writes/s, Redis %.1f ms/s, %.2f reports per write per instance, latency %d/%d/%d us",
                c.mode(), c.instances(), c.readsPerSecond(), c.redisCpuPerRead(), c.trackedKeys(), c.writesPerSecond(),
                c.redisCpuPerSec(), c.reportsPerWrite(), c.p50Micros(), c.p99Micros(), c.maxMicros());
    }

    /** One cell: its connections, keys and counters. */
    private static final class Experiment {
        private final Plan plan;
        private final Mode mode;
        private final int instances;
        private final RedisURI uri;
        private final String prefix = BenchSettings.freshPrefix("tracking") + ":conj:";
        /** Per key, when the writer was about to change it (nanoTime), or 0. */
        private final AtomicLongArray writtenAt;
        private final List<Watch> watches = new ArrayList<>();
        private volatile boolean reading;

        Experiment(BenchSettings settings, Plan plan, Mode mode, int instances) {
            this.plan = plan;
            this.mode = mode;
            this.instances = instances;
            this.uri = RedisURI.create(settings.redisUri());
            this.writtenAt = new AtomicLongArray(plan.keys());
        }

        Cell run() throws Exception {
            RedisClient client = RedisClient.create();
            client.setOptions(io.lettuce.core.ClientOptions.builder().protocolVersion(ProtocolVersion.RESP3).build());
            List<Jedis> readers = new ArrayList<>();
            try (Jedis admin = jedis()) {
                load(admin);
                for (int i = 0; i < instances; i++) {
                    Watch w = new Watch(client.connect(StringCodec.UTF8, uri));
                    watches.add(w);
                    Jedis reader = jedis();
                    readers.add(reader);
                    long id = w.connection.sync().clientId();
                    if (mode == Mode.BCAST) {
                        w.connection.sync().clientTracking(TrackingArgs.Builder.enabled().bcast().prefixes(prefix));
                    } else {
                        reader.sendCommand(Protocol.Command.CLIENT, "TRACKING", "ON", "REDIRECT", Long.toString(id));
                    }
                }
                // Reads phase: unthrottled.
                double cpu0 = cpuSeconds(admin);
                long[] reads = readFor(readers, 0, plan.phaseMillis());
                double cpu1 = cpuSeconds(admin);
                long readTotal = Arrays.stream(reads).sum();
                double readsPerSecond = readTotal * 1000.0 / plan.phaseMillis();
                double cpuPerRead = (cpu1 - cpu0) * 1e6 / Math.max(1, readTotal);
                long tracked = stat(admin, "tracking_total_keys");
                long items = stat(admin, "tracking_total_items");
                // Writes phase: the same offered load in every cell.
                Thread[] readerThreads = startReaders(readers, plan.readsPerSec());
                double cpu2 = cpuSeconds(admin);
                long start = System.nanoTime();
                int writes = write(admin);
                long elapsed = System.nanoTime() - start;
                double cpu3 = cpuSeconds(admin);
                reading = false;
                for (Thread t : readerThreads) {
                    t.join();
                }
                // Late reports still count: wait a moment for the last pushes.
                Thread.sleep(200);
                long reports = 0;
                List<Long> latencies = new ArrayList<>();
                for (Watch w : watches) {
                    synchronized (w) {
                        reports += w.reported;
                        for (int i = 0; i < w.count; i++) {
                            latencies.add(w.latencies[i]);
                        }
                    }
                }
                long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
                double seconds = elapsed / 1e9;
                return new Cell(mode, instances, readsPerSecond, cpuPerRead, tracked, items, writes / seconds,
                        (cpu3 - cpu2) * 1000 / seconds, (double) reports / Math.max(1, writes) / instances,
                        percentile(sorted, 0.50), percentile(sorted, 0.99),
                        sorted.length == 0 ? 0 : sorted[sorted.length - 1]);
            } finally {
                for (Watch w : watches) {
                    w.connection.close();
                }
                readers.forEach(Jedis::close);
                try (Jedis admin = jedis()) {
                    delete(admin);
                }
                client.shutdown();
            }
        }

        private Jedis jedis() {
            return new Jedis(new HostAndPort(uri.getHost(), uri.getPort()), DefaultJedisClientConfig.builder()
                    .protocol(RedisProtocol.RESP2).database(uri.getDatabase()).build());
        }

        private void load(Jedis admin) {
            for (int from = 0; from < plan.keys(); from += 1000) {
                List<String> kv = new ArrayList<>();
                for (int i = from; i < Math.min(plan.keys(), from + 1000); i++) {
                    kv.add(prefix + i);
                    kv.add("base:" + i);
                }
                admin.mset(kv.toArray(String[]::new));
            }
        }

        private void delete(Jedis admin) {
            for (int from = 0; from < plan.keys(); from += 1000) {
                List<String> keys = new ArrayList<>();
                for (int i = from; i < Math.min(plan.keys(), from + 1000); i++) {
                    keys.add(prefix + i);
                }
                admin.del(keys.toArray(String[]::new));
            }
        }

        /** Every reader on its own thread for {@code millis}; the reads each made. */
        private long[] readFor(List<Jedis> readers, int perSecond, long millis) throws InterruptedException {
            reading = true;
            long[] counts = new long[readers.size()];
            Thread[] threads = new Thread[readers.size()];
            for (int i = 0; i < threads.length; i++) {
                int n = i;
                threads[i] = new Thread(() -> counts[n] = read(readers.get(n), n, perSecond));
                threads[i].start();
            }
            Thread.sleep(millis);
            reading = false;
            for (Thread t : threads) {
                t.join();
            }
            return counts;
        }

        private Thread[] startReaders(List<Jedis> readers, int perSecond) {
            reading = true;
            Thread[] threads = new Thread[readers.size()];
            for (int i = 0; i < threads.length; i++) {
                int n = i;
                threads[i] = new Thread(() -> read(readers.get(n), n, perSecond));
                threads[i].start();
            }
            return threads;
        }

        /** {@code MGET}s of three random keys until told to stop; at most {@code perSecond} (0: no limit). */
        private long read(Jedis reader, int seed, int perSecond) {
            SplittableRandom random = new SplittableRandom(seed * 31L + mode.ordinal());
            long interval = perSecond == 0 ? 0 : 1_000_000_000L / perSecond;
            long next = System.nanoTime();
            long n = 0;
            while (reading) {
                reader.mget(prefix + random.nextInt(plan.keys()), prefix + random.nextInt(plan.keys()),
                        prefix + random.nextInt(plan.keys()));
                n++;
                if (interval > 0) {
                    next += interval;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                }
            }
            return n;
        }

        /** Changes keys in a shuffled order, each at most once, at the plan's rate for one phase. */
        private int write(Jedis writer) {
            int[] order = new SplittableRandom(7).ints(0, plan.keys()).distinct().limit(plan.keys()).toArray();
            long interval = 1_000_000_000L / plan.writesPerSec();
            long end = System.nanoTime() + plan.phaseMillis() * 1_000_000L;
            long next = System.nanoTime();
            int n = 0;
            while (n < order.length && System.nanoTime() < end) {
                int key = order[n];
                writtenAt.set(key, System.nanoTime());
                writer.set(prefix + key, "next:" + key);
                n++;
                next += interval;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
            return n;
        }

        /** A watch connection and what it heard. */
        private final class Watch {
            final StatefulRedisConnection<String, String> connection;
            long reported;
            long[] latencies = new long[1024];
            int count;

            Watch(StatefulRedisConnection<String, String> connection) {
                this.connection = connection;
                connection.addListener(this::pushed);
            }

            private void pushed(PushMessage message) {
                if (!"invalidate".equals(message.getType())) {
                    return;
                }
                long now = System.nanoTime();
                List<Object> content = message.getContent(Experiment::decode);
                if (!(content.size() > 1 && content.get(1) instanceof List<?> keys)) {
                    return;
                }
                synchronized (this) {
                    for (Object k : keys) {
                        String key = String.valueOf(k);
                        if (!key.startsWith(prefix)) {
                            continue;
                        }
                        long at = writtenAt.get(Integer.parseInt(key.substring(prefix.length())));
                        if (at == 0) {
                            continue; // the load or the clean-up, not a write of the phase
                        }
                        reported++;
                        if (count == latencies.length) {
                            latencies = Arrays.copyOf(latencies, count * 2);
                        }
                        latencies[count++] = (now - at) / 1000;
                    }
                }
            }
        }

        private static Object decode(ByteBuffer b) {
            return b == null ? null : StandardCharsets.UTF_8.decode(b).toString();
        }
    }

    private static long percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static double cpuSeconds(Jedis admin) {
        return RedisInfo.parse(admin.info("cpu"), "").cpuSeconds();
    }

    private static long stat(Jedis admin, String name) {
        for (String line : admin.info("stats").split("\r?\n")) {
            if (line.startsWith(name + ":")) {
                return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return -1;
    }
}
