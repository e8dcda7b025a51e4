package dev.cacheops.stress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheops.Cacheops;
import dev.cacheops.Consistency;
import dev.cacheops.Op;
import dev.cacheops.testing.RedisBinaries;
import dev.cacheops.testing.RedisProcess;
import dev.cacheops.testing.TestServices;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Redis failures under load, against {@code redis-server} processes this test starts on its own
 * loopback ports (the shared Redis is never touched): kill, restart empty, SIGSTOP longer than the
 * client timeout, {@code CLIENT PAUSE}, {@code DEBUG SLEEP}; a one-client network partition; and a
 * Sentinel failover. For each: the application sees no exception, no read is stale (the
 * {@link StaleReadChecker}), latency stays bounded (asserted only generously: the machine is
 * shared), and the cache serves hits again afterwards. The fault matrix is printed.
 */
class FaultsIT {
    private static final Duration REDIS_TIMEOUT = Duration.ofMillis(200);
    /** Generous: a bound on "never hangs", not a performance claim; the database itself is shared and loaded. */
    private static final long LATENCY_BOUND_MICROS = 15_000_000;
    /**
     * Below the default lock TTL (10 s): a lock left behind by a write around a restart (its
     * release refused while the shared connection reconnected) held the table's fills that long.
     */
    private static final long RECOVERY_BOUND_MILLIS = 8_000;

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    private StressSettings settings(String redisUri, int threads, int writers, Duration duration) {
        PGSimpleDataSource pg = (PGSimpleDataSource) TestServices.postgres();
        String id = TestServices.uniquePrefix().toLowerCase(Locale.ROOT);
        return new StressSettings(pg.getURL(), pg.getUser(), pg.getPassword() == null ? "" : pg.getPassword(), id,
                redisUri, id, Consistency.STRICT, threads, writers, 1, 0, duration, REDIS_TIMEOUT, 1_000_000);
    }

    private StressSchema schema(StressSettings s) throws Exception {
        StressSchema schema = new StressSchema(s);
        schema.create();
        cleanup.add(schema::drop);
        return schema;
    }

    @Test
    void workloadSurvivesKillRestartPauseAndSlownessWithoutStaleReads() throws Exception {
        RedisProcess redis = RedisProcess.start(RedisBinaries.debugCommandArgs());
        cleanup.add(redis);
        FaultInjector inject = new FaultInjector(redis);
        StressSettings s = settings(redis.uri(), 5, 2, Duration.ofMinutes(4));
        StressSchema schema = schema(s);
        Cacheops cacheops = StressWorker.cacheops(s);
        cleanup.add(cacheops);
        DataSource cached = cacheops.wrap(schema.dataSource());
        Workload workload = new Workload(s, cached, schema);
        workload.start();
        FaultRun run = new FaultRun(workload, cacheops);
        StressSchema.sleep(4000);
        run.inject(new FaultRun.Fault("kill (down 3 s)", () -> {
            inject.kill();
            StressSchema.sleep(3000);
            inject.restart();
        }, 0), 2000);
        run.inject(new FaultRun.Fault("restart empty", () -> {
            inject.kill();
            inject.restart();
        }, 0), 2000);
        run.inject(new FaultRun.Fault("SIGSTOP 2 s", () -> {
            inject.pause();
            StressSchema.sleep(2000);
            inject.resume();
        }, 0), 2000);
        run.inject(new FaultRun.Fault("CLIENT PAUSE 2 s", () -> inject.clientPause(2000), 2000), 2000);
        run.inject(new FaultRun.Fault("DEBUG SLEEP 1.5 s", () -> inject.debugSleep(1.5), 1500), 2000);
        workload.stop();
        assertThat(workload.await(60_000)).as("workload threads ended").isTrue();

        List<String> notes = new ArrayList<>();
        long mismatches = StressWorker.finalState(schema, cached, notes);
        List<FaultRun.Row> matrix = run.matrix(schema);
        System.out.println("FAULT MATRIX (STRICT, redisTimeout " + REDIS_TIMEOUT.toMillis() + " ms), " + cacheops.stats());
        matrix.forEach(r -> System.out.println("  " + r));
        run.examples.forEach(e -> System.out.println("  " + e));
        notes.forEach(n -> System.out.println("  " + n));

        assertThat(mismatches).as("final state equals the database").isZero();
        for (FaultRun.Row r : matrix) {
            assertThat(r.errors()).as("exceptions during " + r.fault() + "\n" + run.examples).isZero();
            assertThat(r.staleReads()).as("stale reads during " + r.fault() + "\n" + run.examples).isZero();
            assertThat(r.maxLatencyMicros()).as("max latency during " + r.fault()).isLessThan(LATENCY_BOUND_MICROS);
            assertThat(r.recoveryMillis()).as("hits again after " + r.fault()).isNotNegative()
                    .isLessThan(RECOVERY_BOUND_MILLIS);
            assertThat(r.reads()).as("reads during " + r.fault()).isPositive();
        }
    }

    /**
     * The slow-Redis faults again with two application instances on one Redis: writers on one
     * {@code Cacheops}, readers on another. In DEGRADE mode a writer whose pre-commit lock times out
     * still commits, and the readers' instance may serve the old value until the writer reaches
     * Redis again (the README's caveat, counted in the matrix); what must hold is that the
     * application sees no exception and nothing stale survives the faults.
     */
    @Test
    void slowRedisWithTwoInstancesRecoversWithoutErrors() throws Exception {
        RedisProcess redis = RedisProcess.start(RedisBinaries.debugCommandArgs());
        cleanup.add(redis);
        FaultInjector inject = new FaultInjector(redis);
        StressSettings s = settings(redis.uri(), 5, 2, Duration.ofMinutes(3));
        StressSchema schema = schema(s);
        Cacheops writers = StressWorker.cacheops(s);
        Cacheops readers = StressWorker.cacheops(s);
        cleanup.add(writers);
        cleanup.add(readers);
        DataSource readerDs = readers.wrap(schema.dataSource());
        Workload workload = new Workload(s, writers.wrap(schema.dataSource()), readerDs, schema);
        workload.start();
        FaultRun run = new FaultRun(workload, readers);
        StressSchema.sleep(4000);
        for (int round = 0; round < 2; round++) {
            run.inject(new FaultRun.Fault("SIGSTOP 1 s #" + round, () -> {
                inject.pause();
                StressSchema.sleep(1000);
                inject.resume();
            }, 0), 1500);
            run.inject(new FaultRun.Fault("CLIENT PAUSE 1 s #" + round, () -> inject.clientPause(1000), 1000), 1500);
            run.inject(new FaultRun.Fault("DEBUG SLEEP 1 s #" + round, () -> inject.debugSleep(1.0), 1000), 1500);
        }
        workload.stop();
        assertThat(workload.await(60_000)).as("workload threads ended").isTrue();
        List<String> notes = new ArrayList<>();
        long mismatches = StressWorker.finalState(schema, readerDs, notes);
        List<FaultRun.Row> matrix = run.matrix(schema);
        System.out.println("FAULT MATRIX, TWO INSTANCES (writers " + writers.stats() + "; readers " + readers.stats() + ")");
        matrix.forEach(r -> System.out.println("  " + r));
        run.examples.forEach(e -> System.out.println("  " + e));
        notes.forEach(n -> System.out.println("  " + n));
        assertThat(mismatches).as("final state equals the database").isZero();
        for (FaultRun.Row r : matrix) {
            assertThat(r.errors()).as("exceptions during " + r.fault() + "\n" + run.examples).isZero();
        }
    }

    /**
     * Two application instances share one Redis; the writer's instance alone is cut off from it
     * (a network partition of one node) while it commits. In the default DEGRADE mode its
     * invalidation is lost: the other instance may serve the old row while the partition lasts
     * (README, caveats), but once the writer reaches Redis again it replaces the epoch by itself,
     * even while idle, so nothing stale is served after the partition healed.
     */
    @Test
    void anInvalidationLostByOneInstanceIsNotServedByAnotherAfterThePartitionHeals() throws Exception {
        RedisProcess redis = RedisProcess.start();
        cleanup.add(redis);
        TcpProxy writerLink = new TcpProxy(redis.port());
        cleanup.add(writerLink);
        StressSettings s = settings(redis.uri(), 2, 1, Duration.ofMinutes(1));
        StressSchema schema = schema(s);
        Cacheops writerSide = instance(writerLink.uri(), s.prefix());
        Cacheops readerSide = instance(redis.uri(), s.prefix());
        cleanup.add(writerSide);
        cleanup.add(readerSide);
        DataSource writerDs = writerSide.wrap(schema.dataSource());
        DataSource readerDs = readerSide.wrap(schema.dataSource());
        try (Connection w = writerDs.getConnection(); Connection r = readerDs.getConnection()) {
            assertThat(Workload.readOne(w, 1)).isZero();
            awaitHit(readerSide, r, 1);

            writerLink.cut();
            try (PreparedStatement ps = w.prepareStatement("update counter set version = version + 1 where id = ?")) {
                ps.setInt(1, 1);
                ps.executeUpdate();
            } // the commit has returned
            long db = schema.versions()[1];
            List<Long> seen = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                seen.add(Workload.readOne(r, 1));
                StressSchema.sleep(200);
            }
            writerLink.heal();
            // The writer reads nothing: its background recovery must replace the epoch (it retries
            // every 100 ms; reconnecting takes up to the reconnect interval, 1 s).
            StressSchema.sleep(3000);
            List<Long> afterHeal = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                afterHeal.add(Workload.readOne(r, 1));
                StressSchema.sleep(200);
            }
            System.out.println("partitioned writer: database has " + db + "; the other instance read " + seen
                    + " during the partition (DEGRADE allows it) and " + afterHeal + " 3 s after it healed"
                    + " (writer idle); its stats " + readerSide.stats());
            assertThat(afterHeal).as("reads by another instance after the partition healed").containsOnly(db);
        }
    }

    /**
     * The same partition with {@code FailureMode.FAIL_WRITES}: the write whose pre-commit lock
     * cannot be delivered is rolled back and fails, so the other instance never serves anything
     * older than a commit that returned.
     */
    @Test
    void aPartitionedWriterInFailWritesModeCommitsNothingAnotherCouldServeStale() throws Exception {
        RedisProcess redis = RedisProcess.start();
        cleanup.add(redis);
        TcpProxy writerLink = new TcpProxy(redis.port());
        cleanup.add(writerLink);
        StressSettings s = settings(redis.uri(), 2, 1, Duration.ofMinutes(1));
        StressSchema schema = schema(s);
        Cacheops writerSide = Cacheops.builder().redis(writerLink.uri()).prefix(s.prefix()).redisTimeout(REDIS_TIMEOUT)
                .redisConnectTimeout(Duration.ofSeconds(5)).profile("counter", Op.ALL, Duration.ofMinutes(10))
                .failureMode(dev.cacheops.FailureMode.FAIL_WRITES).build();
        Cacheops readerSide = instance(redis.uri(), s.prefix());
        cleanup.add(writerSide);
        cleanup.add(readerSide);
        try (Connection w = writerSide.wrap(schema.dataSource()).getConnection();
             Connection r = readerSide.wrap(schema.dataSource()).getConnection()) {
            assertThat(Workload.readOne(w, 1)).isZero();
            awaitHit(readerSide, r, 1);
            writerLink.cut();
            try (PreparedStatement ps = w.prepareStatement("update counter set version = version + 1 where id = ?")) {
                ps.setInt(1, 1);
                org.assertj.core.api.Assertions.assertThatThrownBy(ps::executeUpdate)
                        .isInstanceOf(java.sql.SQLTransientException.class);
            }
            long db = schema.versions()[1];
            assertThat(db).as("the refused write was rolled back").isZero();
            for (int i = 0; i < 5; i++) {
                assertThat(Workload.readOne(r, 1)).isEqualTo(db);
                StressSchema.sleep(100);
            }
        }
    }

    /**
     * An application instance that starts while it cannot reach Redis yet (here: never, until the
     * end) could commit writes without invalidating anything, and another instance that reaches
     * Redis would keep serving what they changed. With {@code FailureMode.FAIL_WRITES} those writes
     * are refused instead; in DEGRADE mode this is the documented caveat.
     */
    @Test
    void writesOfAnInstanceNotYetConnectedAreRefusedInFailWritesMode() throws Exception {
        RedisProcess redis = RedisProcess.start();
        cleanup.add(redis);
        TcpProxy lateLink = new TcpProxy(redis.port());
        cleanup.add(lateLink);
        lateLink.cut();
        StressSettings s = settings(redis.uri(), 2, 1, Duration.ofMinutes(1));
        StressSchema schema = schema(s);
        Cacheops readerSide = instance(redis.uri(), s.prefix());
        cleanup.add(readerSide);
        Cacheops starting = Cacheops.builder().redis(lateLink.uri()).prefix(s.prefix()).redisTimeout(REDIS_TIMEOUT)
                .redisConnectTimeout(Duration.ofMillis(500)).profile("counter", Op.ALL, Duration.ofMinutes(10))
                .failureMode(dev.cacheops.FailureMode.FAIL_WRITES).build();
        cleanup.add(starting);
        try (Connection r = readerSide.wrap(schema.dataSource()).getConnection();
             Connection w = starting.wrap(schema.dataSource()).getConnection()) {
            awaitHit(readerSide, r, 4);
            try (PreparedStatement ps = w.prepareStatement("update counter set version = version + 1 where id = ?")) {
                ps.setInt(1, 4);
                org.assertj.core.api.Assertions.assertThatThrownBy(ps::executeUpdate)
                        .isInstanceOf(java.sql.SQLTransientException.class);
            }
            long db = schema.versions()[4];
            List<Long> seen = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                seen.add(Workload.readOne(r, 4));
                StressSchema.sleep(100);
            }
            assertThat(seen).as("reads by another instance; the refused write changed nothing").containsOnly(db);
        }
    }

    /**
     * The same partition, seen from the writer's own instance: after it reaches Redis again it must
     * replace the epoch before serving anything cached before the commit.
     */
    @Test
    void anInvalidationLostByAnInstanceIsNotServedByItAfterRecovery() throws Exception {
        RedisProcess redis = RedisProcess.start();
        cleanup.add(redis);
        TcpProxy link = new TcpProxy(redis.port());
        cleanup.add(link);
        StressSettings s = settings(redis.uri(), 2, 1, Duration.ofMinutes(1));
        StressSchema schema = schema(s);
        Cacheops app = instance(link.uri(), s.prefix());
        cleanup.add(app);
        DataSource ds = app.wrap(schema.dataSource());
        try (Connection c = ds.getConnection()) {
            awaitHit(app, c, 2);
            link.cut();
            try (PreparedStatement ps = c.prepareStatement("update counter set version = version + 1 where id = ?")) {
                ps.setInt(1, 2);
                ps.executeUpdate();
            }
            long db = schema.versions()[2];
            List<Long> seen = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                seen.add(Workload.readOne(c, 2));
            }
            link.heal();
            long healed = System.nanoTime();
            long hits = app.stats().hits();
            for (int i = 0; i < 100 && app.stats().hits() == hits; i++) {
                seen.add(Workload.readOne(c, 2));
                StressSchema.sleep(20);
            }
            System.out.println("own instance after a lost invalidation: database " + db + ", read " + seen
                    + "; first hit " + (System.nanoTime() - healed) / 1_000_000 + " ms after healing");
            assertThat(seen).containsOnly(db);
            assertThat(app.stats().hits()).as("hits again after recovery").isGreaterThan(hits);
        }
    }

    /** A master with one replica behind a Sentinel, all on loopback ports of this test. */
    private SentinelProcess replicated(RedisProcess master, RedisProcess replica) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!FaultInjector.cli(replica.port(), 5, "INFO", "replication").contains("master_link_status:up")) {
            assertThat(System.nanoTime()).as("replica in sync within 20 s").isLessThan(deadline);
            StressSchema.sleep(100);
        }
        SentinelProcess sentinel = SentinelProcess.start(master.port());
        cleanup.add(sentinel);
        assertThat(sentinel.awaitReplicaKnown(replica.port(), 30_000)).as("sentinel knows the replica").isTrue();
        return sentinel;
    }

    /** The master's own view: its replication offset and what the replica has acknowledged (slave0). */
    private static String replicationState(RedisProcess master, RedisProcess replica) {
        String m = FaultInjector.cli(master.port(), 5, "INFO", "replication");
        return "master_repl_offset " + field(m, "master_repl_offset") + ", replica (port " + replica.port() + ") "
                + field(m, "slave0");
    }

    private static String field(String info, String name) {
        for (String line : info.split("\\R")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return "?";
    }

    /**
     * Under load through a {@code redis-sentinel://} URI: kill the master, Sentinel promotes the
     * replica; nothing stale may be served after it, and the cache must serve hits again.
     */
    @Test
    void sentinelFailoverUnderLoadServesNothingStale() throws Exception {
        RedisProcess master = RedisProcess.start();
        cleanup.add(master);
        RedisProcess replica = RedisProcess.start("--replicaof", "127.0.0.1", Integer.toString(master.port()));
        cleanup.add(replica);
        SentinelProcess sentinel = replicated(master, replica);
        StressSettings s = settings(sentinel.uri(), 5, 2, Duration.ofMinutes(3));
        StressSchema schema = schema(s);
        Cacheops cacheops = StressWorker.cacheops(s);
        cleanup.add(cacheops);
        DataSource cached = cacheops.wrap(schema.dataSource());
        Workload workload = new Workload(s, cached, schema);
        workload.start();
        FaultRun run = new FaultRun(workload, cacheops);
        StressSchema.sleep(5000);
        assertThat(cacheops.stats().hits()).as("hits through the Sentinel URI before the failover: "
                + cacheops.stats()).isPositive();
        String[] before = new String[1];
        long[] promotion = new long[1];
        run.inject(new FaultRun.Fault("sentinel failover", () -> {
            before[0] = replicationState(master, replica);
            master.kill();
            promotion[0] = sentinel.awaitMaster(replica.port(), 60_000);
        }, 0), 4000);
        workload.stop();
        assertThat(workload.await(60_000)).as("workload threads ended").isTrue();
        List<String> notes = new ArrayList<>();
        long mismatches = StressWorker.finalState(schema, cached, notes);
        List<FaultRun.Row> matrix = run.matrix(schema);
        System.out.println("FAILOVER (STRICT through " + sentinel.uri() + "): replication just before the kill: "
                + before[0] + "; promotion took " + promotion[0] + " ms; " + cacheops.stats());
        matrix.forEach(r -> System.out.println("  " + r));
        run.examples.forEach(e -> System.out.println("  " + e));
        notes.forEach(n -> System.out.println("  " + n));
        assertThat(promotion[0]).as("Sentinel promoted the replica\n" + sentinel.log()).isNotNegative();
        assertThat(mismatches).as("final state equals the database").isZero();
        for (FaultRun.Row r : matrix) {
            assertThat(r.errors()).as("exceptions during " + r.fault() + "\n" + run.examples).isZero();
            assertThat(r.staleReads()).as("stale reads during " + r.fault() + "\n" + run.examples).isZero();
            assertThat(r.recoveryMillis()).as("hits again after " + r.fault()).isNotNegative();
        }
    }

    /**
     * Asynchronous replication loses what the master acknowledged but did not pass on. Made
     * deterministic by cutting the replication link while a write invalidates, then killing the
     * master: the promoted replica still holds the stamps of the entry cached before the write.
     */
    @Test
    void anInvalidationLostByAsynchronousReplicationIsNotServedAfterFailover() throws Exception {
        RedisProcess master = RedisProcess.start();
        cleanup.add(master);
        // The replica reaches the master through a proxy, so the test can cut the replication link:
        // freezing the replica is not enough, the kernel still buffers what the master sends it.
        TcpProxy replicationLink = new TcpProxy(master.port());
        cleanup.add(replicationLink);
        RedisProcess replica = RedisProcess.start("--replicaof", "127.0.0.1",
                Integer.toString(replicationLink.port()));
        cleanup.add(replica);
        SentinelProcess sentinel = replicated(master, replica);
        StressSettings s = settings(sentinel.uri(), 2, 1, Duration.ofMinutes(1));
        StressSchema schema = schema(s);
        Cacheops app = instance(sentinel.uri(), s.prefix());
        cleanup.add(app);
        DataSource ds = app.wrap(schema.dataSource());
        try (Connection c = ds.getConnection()) {
            awaitHit(app, c, 3);
            StressSchema.sleep(500); // let the entry and its stamps reach the replica
            replicationLink.cut();
            try (PreparedStatement ps = c.prepareStatement("update counter set version = version + 1 where id = ?")) {
                ps.setInt(1, 3);
                ps.executeUpdate();
            }
            String state = replicationState(master, replica);
            master.kill();
            long promotion = sentinel.awaitMaster(replica.port(), 60_000);
            assertThat(promotion).as("Sentinel promoted the replica\n" + sentinel.log()).isNotNegative();
            long db = schema.versions()[3];
            List<Long> seen = new ArrayList<>();
            long hits = app.stats().hits();
            for (int i = 0; i < 100 && seen.size() < 5; i++) {
                long v = Workload.readOne(c, 3);
                if (app.stats().hits() > hits || v != db) {
                    seen.add(v);
                    hits = app.stats().hits();
                }
                StressSchema.sleep(50);
            }
            System.out.println("failover after a write the replica missed (" + state + " before the kill, promotion "
                    + promotion + " ms): database " + db + ", reads after the failover " + seen + "; " + app.stats());
            assertThat(seen).as("reads served after the failover").containsOnly(db);
        }
    }

    private static Cacheops instance(String uri, String prefix) {
        return Cacheops.builder().redis(uri).prefix(prefix).redisTimeout(REDIS_TIMEOUT)
                .redisConnectTimeout(Duration.ofSeconds(5)).profile("counter", Op.ALL, Duration.ofMinutes(10)).build();
    }

    /** Reads the row until this instance serves it from the cache (bounded). */
    static void awaitHit(Cacheops cacheops, Connection c, int id) throws Exception {
        long before = cacheops.stats().hits();
        for (int i = 0; i < 100 && cacheops.stats().hits() == before; i++) {
            Workload.readOne(c, id);
            StressSchema.sleep(20);
        }
        assertThat(cacheops.stats().hits()).as("a hit before the fault").isGreaterThan(before);
    }
}
