package dev.cacheops.bench.oltp;

import dev.cacheops.bench.fixture.BenchSettings;
import dev.cacheops.bench.fixture.Pools;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The concurrent benchmark of issue 10: does Redis mode pay for itself under concurrency? Runs
 * the indexed-lookup workload ({@link OltpWorkload}) in every {@link OltpMode} at every write
 * share and thread count of the {@link Plan}, then the transport comparison ({@link Transport}),
 * each cell a fixed warm-up and a fixed measured window with the same seed. Creates its own schema
 * ({@code <bench.schema>_oltp}) and writes Redis keys only under fresh prefixes of this module.
 *
 * <p>Run it alone with {@code java -jar cacheops-bench/target/cacheops-bench.jar --oltp [--smoke]},
 * which prints {@link #tables}; the full run ({@code BenchMain.runAll}) puts it in the report.
 */
public final class OltpSuite {
    /** How many Redis commands per operation a cell prints, most called first: {@code -Doltp.commands=<n>} (default 4). */
    private static final int COMMANDS_SHOWN = Integer.getInteger("oltp.commands", 4);

    /**
     * What to run.
     *
     * @param shares    write shares of the workload
     * @param threads   thread counts of both parts
     * @param warmup    warm-up of each cell, at least
     * @param settle    how much longer a warm-up may last waiting for the JIT compiler to go quiet
     *                  ({@link TimedRun})
     * @param window    measured window of each cell
     * @param seed      the seed every cell uses
     * @param preheat   how long every mode and transport runs, unmeasured, before the first cell:
     *                  a profile of a cold run showed the JIT compiler taking half the CPU of the
     *                  first cells, which their per-operation CPU then charged to the mode
     */
    public record Plan(double[] shares, int[] threads, Duration warmup, Duration settle, Duration window,
                       long seed, Duration preheat) {
        /**
         * The full run: 1% and 5% writes, 4 and 16 threads, 3 s warm-up (up to 20 s more until the
         * compiler is quiet) and 10 s measured per cell, after 25 s of preheating per mode (a third
         * of it per transport): on two busy cores the compiler was still at work 40 s into a cold run.
         * {@code -Doltp.warmup=<seconds>} lengthens the warm-up, for a steady-state hit ratio on a
         * machine too loaded to fill 25,000 results in 3 s (every cell starts on a fresh prefix).
         */
        public static Plan full() {
            return new Plan(new double[] {0.01, 0.05}, new int[] {4, 16},
                    Duration.ofSeconds(Long.getLong("oltp.warmup", 3)), Duration.ofSeconds(20),
                    Duration.ofSeconds(10), 42, Duration.ofSeconds(Long.getLong("oltp.preheat", 25)));
        }

        /** The smoke run, for the harness only: 1% writes, 4 and 16 threads, 0.3 s + 1 s per cell. */
        public static Plan smoke() {
            return new Plan(new double[] {0.01}, new int[] {4, 16}, Duration.ofMillis(300), Duration.ZERO,
                    Duration.ofSeconds(1), 42, Duration.ZERO);
        }
    }

    /**
     * What a suite run measured.
     *
     * @param workload  the workload cells
     * @param transport the transport cells
     */
    public record Results(List<OltpResult> workload, List<TransportResult> transport) {
        public Results {
            workload = List.copyOf(workload);
            transport = List.copyOf(transport);
        }

        /** The workload cell with these coordinates, if it ran. */
        public java.util.Optional<OltpResult> cell(OltpMode mode, double share, int threads) {
            return workload.stream().filter(r -> r.mode() == mode && r.writeShare() == share && r.threads() == threads)
                    .findFirst();
        }

        /** The transport cell with these coordinates, if it ran. */
        public java.util.Optional<TransportResult> cell(Transport transport, int threads) {
            return this.transport.stream().filter(r -> r.transport() == transport && r.threads() == threads)
                    .findFirst();
        }
    }

    private OltpSuite() {
    }

    /** Creates the schema, runs {@code plan}; {@code progress} receives one line per cell. */
    public static Results run(BenchSettings settings, Plan plan, Consumer<String> progress) throws Exception {
        BenchSettings own = OltpSchema.settings(settings);
        OltpSchema.create(Pools.postgres(settings), own.schema());
        List<OltpResult> workload = new ArrayList<>();
        OltpCells cells = new OltpCells(own, plan.seed());
        TransportCells raw = new TransportCells(own, plan.seed());
        if (!plan.preheat().isZero()) {
            int most = java.util.Arrays.stream(plan.threads()).max().orElse(4);
            for (OltpMode mode : OltpMode.values()) {
                if (selected("oltp.modes", mode.name())) {
                    cells.run(mode, plan.shares()[plan.shares().length - 1], most, Duration.ZERO, Duration.ZERO,
                            plan.preheat());
                }
            }
            for (Transport t : Transport.values()) {
                if (selected("oltp.transports", t.name())) {
                    raw.run(t, most, Duration.ZERO, Duration.ZERO, plan.preheat().dividedBy(3));
                }
            }
            progress.accept("preheated every mode for " + plan.preheat().toSeconds() + " s");
        }
        for (double share : plan.shares()) {
            for (int threads : plan.threads()) {
                for (OltpMode mode : OltpMode.values()) {
                    if (!selected("oltp.modes", mode.name()) || !selected("oltp.threads", Integer.toString(threads))
                            || !selected("oltp.writes", String.format(Locale.ROOT, "%.0f", share * 100))) {
                        continue;
                    }
                    OltpResult r = cells.run(mode, share, threads, plan.warmup(), plan.settle(), plan.window());
                    workload.add(r);
                    progress.accept(String.format(Locale.ROOT, "%-20s writes %2.0f%% threads %2d: %,8.0f ops/s,"
                                    + " p50 %,.0f us, p99 %,.0f us, hit ratio %.3f, fills refused %.1f%%, store errors %d,"
                                    + " JVM %.1f us/op, Redis %.1f us/op, %s, JIT %d ms in window after %.0f s warm-up",
                            mode.label(), share * 100, threads, r.throughput(), r.p50Micros(), r.p99Micros(),
                            r.hitRatio(), r.refusedFills() * 100, r.storeErrors(), r.jvmCpuMicros(),
                            r.redisCpuMicros(), r.topCommands(COMMANDS_SHOWN), r.jitMillis(), r.warmupSeconds()));
                }
            }
        }
        List<TransportResult> transport = new ArrayList<>();
        for (int threads : plan.threads()) {
            for (Transport t : Transport.values()) {
                if (!selected("oltp.transports", t.name()) || !selected("oltp.threads", Integer.toString(threads))) {
                    continue;
                }
                TransportResult r = raw.run(t, threads, plan.warmup(), plan.settle(), plan.window());
                transport.add(r);
                progress.accept(String.format(Locale.ROOT, "%-45s threads %2d: %,8.0f ops/s, JVM %.1f us/op,"
                        + " Redis %.1f us/op %s, JIT %d ms in window after %.0f s warm-up", t.label(), threads,
                        r.throughput(), r.jvmCpuMicros(), r.redisCpuMicros(), r.note(), r.jitMillis(),
                        r.warmupSeconds()));
            }
        }
        return new Results(workload, transport);
    }

    /**
     * Whether a cell runs: the system property {@code key} (a comma list, e.g.
     * {@code -Doltp.modes=REDIS -Doltp.threads=4 -Doltp.writes=5 -Doltp.transports=NONE}) names it,
     * or is unset.
     * For profiling one cell alone; the report's runs set none.
     */
    private static boolean selected(String key, String value) {
        String list = System.getProperty(key);
        return list == null || List.of(list.split(",")).contains(value);
    }

    /** The results as Markdown tables, as the report shows them. */
    public static List<String> tables(Results r) {
        List<String> out = new ArrayList<>();
        out.add("| mode | writes | threads | ops/s | vs no cache | p50 (us) | p99 (us) | JVM CPU us/op"
                + " | Redis CPU us/op | Redis calls/op (top) | DB statements/op | hit ratio | fills refused"
                + " | store errors | JIT ms in window |");
        out.add("|" + " --- |".repeat(15));
        for (OltpResult c : r.workload()) {
            double none = r.cell(OltpMode.NONE, c.writeShare(), c.threads()).map(OltpResult::throughput)
                    .orElse(Double.NaN);
            boolean cached = c.mode() != OltpMode.NONE;
            out.add(String.format(Locale.ROOT, "| %s | %.0f%% | %d | %,.0f | %.2fx | %,.0f | %,.0f | %.1f | %.1f | %s"
                            + " | %.2f | %s | %s | %d | %d |", c.mode().label(), c.writeShare() * 100, c.threads(),
                    c.throughput(), c.throughput() / none, c.p50Micros(), c.p99Micros(), c.jvmCpuMicros(),
                    c.redisCpuMicros(), c.topCommands(COMMANDS_SHOWN), c.statementsPerOp(),
                    cached ? String.format(Locale.ROOT, "%.3f", c.hitRatio()) : "-",
                    cached ? String.format(Locale.ROOT, "%.1f%%", c.refusedFills() * 100) : "-",
                    c.storeErrors(), c.jitMillis()));
        }
        out.add("");
        out.add("| transport (1 KB value) | threads | ops/s | p50 (us) | p99 (us) | JVM CPU us/op | Redis CPU us/op"
                + " | notes | JIT ms in window |");
        out.add("|" + " --- |".repeat(9));
        for (TransportResult t : r.transport()) {
            out.add(String.format(Locale.ROOT, "| %s | %d | %,.0f | %,.0f | %,.0f | %.1f | %s | %s | %d |",
                    t.transport().label(), t.threads(), t.throughput(), t.p50Micros(), t.p99Micros(),
                    t.jvmCpuMicros(), t.transport() == Transport.POSTGRES_PK ? "-"
                            : String.format(Locale.ROOT, "%.1f", t.redisCpuMicros()), t.note(), t.jitMillis()));
        }
        return out;
    }
}
