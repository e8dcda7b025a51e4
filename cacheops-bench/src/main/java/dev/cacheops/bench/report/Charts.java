package dev.cacheops.bench.report;

import dev.cacheops.bench.oltp.OltpMode;
import dev.cacheops.bench.oltp.OltpResult;
import dev.cacheops.bench.oltp.OltpSuite;
import dev.cacheops.bench.oltp.Transport;
import dev.cacheops.bench.oltp.TransportResult;
import dev.cacheops.bench.workload.CacheMode;
import dev.cacheops.bench.workload.WorkloadResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;

/** Draws the workload charts and those of the concurrent suite as PNG files with XChart. */
final class Charts {
    private static final int WIDTH = 800;
    private static final int HEIGHT = 480;

    private final Path dir;
    private final BenchResults results;

    Charts(Path dir, BenchResults results) {
        this.dir = dir;
        this.results = results;
    }

    /** Writes every chart; returns (title, file name relative to the report) pairs. */
    List<String[]> writeAll() throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(dir);
        List<String[]> written = new ArrayList<>();
        TreeSet<Integer> threads = new TreeSet<>();
        results.workload().forEach(r -> threads.add(r.threads()));
        for (int n : threads) {
            written.add(save(byShare("Hit ratio against write share, " + n + " threads", "hit ratio", n,
                    WorkloadResult::hitRatio), "hit-ratio-" + n + "t"));
            written.add(save(byShare("Throughput against write share, " + n + " threads", "operations/s", n,
                    WorkloadResult::throughput), "throughput-" + n + "t"));
            written.add(save(byShare("Statements reaching PostgreSQL per operation, " + n + " threads",
                    "statements/op", n, WorkloadResult::statementsPerOp), "statements-" + n + "t"));
        }
        if (!threads.isEmpty()) {
            written.add(save(latency(threads.last()), "latency-" + threads.last() + "t"));
        }
        return written;
    }

    /** Writes the concurrent workload's charts; returns (title, file name relative to the report) pairs. */
    List<String[]> writeOltp() throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(dir);
        List<String[]> written = new ArrayList<>();
        OltpSuite.Results oltp = results.oltp();
        if (!oltp.workload().isEmpty()) {
            CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                    .title("Concurrent indexed lookups: throughput").xAxisTitle("threads, write share")
                    .yAxisTitle("operations/s").build();
            List<String> cells = new ArrayList<>();
            oltp.workload().forEach(r -> {
                String cell = cell(r.threads(), r.writeShare());
                if (!cells.contains(cell)) {
                    cells.add(cell);
                }
            });
            for (OltpMode mode : OltpMode.values()) {
                List<Double> ys = new ArrayList<>();
                for (String cell : cells) {
                    ys.add(oltp.workload().stream().filter(r -> r.mode() == mode
                            && cell(r.threads(), r.writeShare()).equals(cell)).mapToDouble(OltpResult::throughput)
                            .findFirst().orElse(0));
                }
                chart.addSeries(mode.label(), cells, ys);
            }
            written.add(save(chart, "oltp-throughput"));
        }
        if (!oltp.transport().isEmpty()) {
            CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                    .title("What a raw hit can cost: CPU per 1 KB read").xAxisTitle("threads")
                    .yAxisTitle("JVM CPU microseconds/op").build();
            List<String> threads = oltp.transport().stream().map(r -> r.threads() + " threads").distinct().toList();
            for (Transport t : Transport.values()) {
                List<Double> ys = new ArrayList<>();
                for (String n : threads) {
                    ys.add(oltp.transport().stream().filter(r -> r.transport() == t
                            && (r.threads() + " threads").equals(n)).mapToDouble(TransportResult::jvmCpuMicros)
                            .findFirst().orElse(0));
                }
                chart.addSeries(t.label(), threads, ys);
            }
            written.add(save(chart, "oltp-transport-cpu"));
        }
        return written;
    }

    private static String cell(int threads, double share) {
        return String.format("%d threads, %.0f%%", threads, share * 100);
    }

    private XYChart byShare(String title, String yTitle, int threads, ToDoubleFunction<WorkloadResult> y) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("write share (%)").yAxisTitle(yTitle).build();
        for (CacheMode mode : CacheMode.values()) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (WorkloadResult r : results.workload()) {
                if (r.mode() == mode && r.threads() == threads) {
                    xs.add(r.writeShare() * 100);
                    ys.add(y.applyAsDouble(r));
                }
            }
            if (!xs.isEmpty()) {
                chart.addSeries(mode.label(), xs, ys);
            }
        }
        return chart;
    }

    private CategoryChart latency(int threads) {
        double share = results.workload().stream().anyMatch(r -> r.writeShare() == 0.05) ? 0.05
                : results.workload().get(0).writeShare();
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title(String.format("Latency percentiles at %.0f%% writes, %d threads", share * 100, threads))
                .xAxisTitle("mode").yAxisTitle("microseconds").build();
        List<String> modes = new ArrayList<>();
        List<Double> p50 = new ArrayList<>();
        List<Double> p99 = new ArrayList<>();
        for (CacheMode mode : CacheMode.values()) {
            Optional<WorkloadResult> r = results.run(mode, share, threads);
            if (r.isPresent()) {
                modes.add(mode.label());
                p50.add(r.get().p50Micros());
                p99.add(r.get().p99Micros());
            }
        }
        chart.addSeries("p50", modes, p50);
        chart.addSeries("p99", modes, p99);
        return chart;
    }

    private String[] save(Chart<?, ?> chart, String name) throws IOException {
        BitmapEncoder.saveBitmap(chart, dir.resolve(name).toString(), BitmapFormat.PNG);
        return new String[] {chart.getTitle(), dir.getFileName() + "/" + name + ".png"};
    }
}
