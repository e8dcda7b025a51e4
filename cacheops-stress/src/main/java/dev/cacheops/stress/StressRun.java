package dev.cacheops.stress;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Orchestrates a run over several JVMs: creates the schema, forks {@code jvms - 1} JVMs running
 * {@link StressWorker}, runs JVM 0 in this process, collects every {@link WorkerResult} and drops
 * the schema. Used by {@code ConsistencyIT} and {@link StressMain}. Not thread-safe.
 */
public final class StressRun {
    private final StressSettings settings;
    private final Path outputDir;

    /**
     * @param settings  JVM 0's settings (the children get the same with their own index)
     * @param outputDir where the children's output files go
     */
    public StressRun(StressSettings settings, Path outputDir) {
        this.settings = settings;
        this.outputDir = outputDir;
    }

    /** Runs it (bounded by the duration plus a few minutes of grace). */
    public StressReport run() throws Exception {
        StressSchema schema = new StressSchema(settings);
        try {
            schema.create();
        } catch (Exception | Error e) {
            // Half-created: the slot or publication of a bypass run must not outlive it.
            schema.dropSlot();
            schema.drop();
            throw e;
        }
        List<JvmFork> children = new ArrayList<>();
        try {
            for (int j = 1; j < settings.jvms(); j++) {
                Path out = outputDir.resolve("stress-" + settings.schema() + "-jvm" + j + ".log");
                // Lost invalidations are logged by StampProtocol at WARN: keep them in the child's file, they
                // explain violations.
                children.add(JvmFork.start(StressWorker.class, List.of("-Xmx256m",
                        "-Dorg.slf4j.simpleLogger.log.dev.cacheops.protocol.StampProtocol=warn"),
                        settings.forJvm(j).toArgs(), out));
            }
            List<WorkerResult> results = new ArrayList<>();
            results.add(new StressWorker(settings).run());
            long grace = settings.duration().toMillis() + 300_000;
            for (JvmFork child : children) {
                int exit = child.await(grace);
                try {
                    results.add(WorkerResult.parse(child.lines()));
                } catch (IllegalStateException e) {
                    throw new IllegalStateException("forked JVM exited with " + exit + " without a result; see "
                            + child.outputFile(), e);
                }
            }
            return new StressReport(settings, results);
        } finally {
            children.forEach(JvmFork::close);
            schema.dropSlot();
            schema.drop();
        }
    }
}
