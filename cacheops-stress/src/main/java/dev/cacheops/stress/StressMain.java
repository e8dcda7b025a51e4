package dev.cacheops.stress;

import dev.cacheops.Consistency;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The long run of the stale-read checker, from the command line:
 *
 * <pre>
 * ./mvnw -q -pl cacheops-stress -am -DskipTests install
 * java -cp "$(./mvnw -q -pl cacheops-stress dependency:build-classpath -Dmdep.outputFile=/dev/stdout):cacheops-stress/target/classes" \
 *     dev.cacheops.stress.StressMain --minutes 30 --threads 8 --mode strict
 * </pre>
 *
 * Options: {@code --minutes} (default 5), {@code --threads} per JVM (default 8, a quarter of them
 * write), {@code --jvms} (default 2), {@code --mode strict|relaxed} (default strict),
 * {@code --redis} (default {@code redis://127.0.0.1:6379}), {@code --jdbc-url} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/test}), {@code --user} (postgres), {@code --password},
 * {@code --redis-timeout-ms} (default 500), {@code --stale-bound-ms} (default 50), {@code --bypass}
 * (no value: every JVM consumes the change stream of a slot created for the run, and one more
 * writer per JVM writes around the cache; the window from such a commit until reads through the
 * cache see it is reported, and a stale read past the bound fails the run). Uses a fresh schema and key prefix, dropped (the schema)
 * at the end. Exits 1 when {@link StressReport#failed()}: a strict run saw a violation, a relaxed one
 * a late stale read (or, with the near cache, the probe did), or any run a wrong final state or
 * an exception. A run with {@code --bypass} needs {@code wal_level=logical} and a user allowed to
 * create replication slots and publications; it drops both at the end.
 */
public final class StressMain {
    private StressMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = StressSettings.options(args);
        int threads = Integer.parseInt(o.getOrDefault("threads", "8"));
        String id = "stress" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String mode = o.getOrDefault("mode", "strict").toUpperCase(Locale.ROOT);
        boolean near = mode.equals("NEAR");
        StressSettings s = new StressSettings(
                o.getOrDefault("jdbc-url", "jdbc:postgresql://127.0.0.1:5432/test"),
                o.getOrDefault("user", "postgres"), o.getOrDefault("password", ""), id,
                o.getOrDefault("redis", "redis://127.0.0.1:6379"), id,
                near ? Consistency.RELAXED : Consistency.valueOf(mode),
                threads, Math.max(1, threads / 4), Integer.parseInt(o.getOrDefault("jvms", "2")), 0,
                Duration.ofSeconds((long) (Double.parseDouble(o.getOrDefault("minutes", "5")) * 60)),
                Duration.ofMillis(Long.parseLong(o.getOrDefault("redis-timeout-ms", "500"))), Long.MAX_VALUE,
                near ? Long.parseLong(o.getOrDefault("near-cache-mb", "64")) * 1024 * 1024 : 0,
                Duration.ofMillis(Long.parseLong(o.getOrDefault("stale-bound-ms", "50"))))
                .withBypass(o.containsKey("bypass"));
        StressReport report = new StressRun(s, Path.of("target")).run();
        System.out.print(report.describe());
        System.exit(report.failed() ? 1 : 0);
    }
}
