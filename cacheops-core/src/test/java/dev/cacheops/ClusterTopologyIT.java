package dev.cacheops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheops.testing.RedisCluster;
import dev.cacheops.testing.RedisProcess;
import dev.cacheops.testing.TestServices;
import io.lettuce.core.cluster.SlotHash;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Topology changes of a Redis Cluster under load (issue 13): a resharding that moves the slot of
 * the table's keys, a manual {@code CLUSTER FAILOVER} of the master holding them, and a killed
 * master replaced by its replica. While two readers and a writer run through the cache against
 * PostgreSQL, no exception reaches the application and no read that starts after a commit returned
 * is served an older value; afterwards every cached read equals the database, and after a
 * failover the epoch has been replaced. Each test prints one line of figures for the fault table
 * (docs/CORRECTNESS.md). The cluster (3 masters, 3 replicas) is this class's own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTopologyIT {
    private static final int ROWS = 20;

    private RedisCluster cluster;
    private TestServices.SchemaDataSource schema;
    private Cacheops cacheops;
    private DataSource ds;
    private String prefix;
    /** The table the load reads and writes, chosen for its slot. */
    private String table;

    @BeforeAll
    void start() throws SQLException {
        cluster = RedisCluster.start(3, 1);
        schema = TestServices.freshPostgresSchema();
        try (Connection c = schema.dataSource().getConnection(); Statement s = c.createStatement()) {
            table = tableNearTheStartOfItsSlots();
            s.execute("create table " + table + " (id int primary key, v int not null)");
        }
    }

    @AfterAll
    void stop() {
        if (schema != null) {
            schema.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void seed() throws SQLException {
        try (Connection c = schema.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("truncate " + table + "; insert into " + table + " select g, 0 from generate_series(1, " + ROWS
                    + ") g");
        }
        prefix = TestServices.uniquePrefix();
        cacheops = Cacheops.builder().redis(cluster.uri()).prefix(prefix)
                .redisTimeout(Duration.ofMillis(500)).redisConnectTimeout(Duration.ofSeconds(5))
                .profile("*", Op.ALL, Duration.ofHours(1)).build();
        ds = cacheops.wrap(schema.dataSource());
    }

    @AfterEach
    void close() {
        cacheops.close();
    }

    @Test
    @Order(1)
    void reshardingTheTablesSlotUnderLoad() throws Exception {
        Load load = new Load(ds).start();
        RedisProcess.sleep(500);
        int from = owner(tableSlot());
        int to = cluster.masterPorts().stream().filter(p -> p != from).findFirst().orElseThrow();
        // redis-cli moves a node's slots in ascending order: as many as it takes to move the
        // table's, so the node keeps the rest (and the cluster three masters with slots, which an
        // automatic failover needs for a majority).
        int slots = slotsUpTo(from, tableSlot());
        long began = System.nanoTime();
        cluster.reshard(from, to, slots);
        long reshardMillis = (System.nanoTime() - began) / 1_000_000;
        assertThat(owner(tableSlot())).as("the table's slot moved").isEqualTo(to);
        RedisProcess.sleep(1_000);
        Load.Result r = load.stop();
        report("resharding (" + slots + " slots, " + reshardMillis + " ms)", r);
        r.assertClean();
        assertThat(servedAgain()).as("the cache serves hits after the move").isTrue();
        everyReadEqualsTheDatabase();
    }

    @Test
    @Order(2)
    void clusterFailoverOfTheTablesMasterUnderLoad() throws Exception {
        Load load = new Load(ds).start();
        RedisProcess.sleep(500);
        String epoch = awaitEpoch(null);
        int master = owner(tableSlot());
        int replica = cluster.replicaOf(master);
        long began = System.nanoTime();
        cluster.failover(replica);
        awaitRole(replica, "master");
        cluster.awaitOk();
        long failoverMillis = (System.nanoTime() - began) / 1_000_000;
        String replaced = awaitEpoch(epoch);
        RedisProcess.sleep(1_000);
        Load.Result r = load.stop();
        report("CLUSTER FAILOVER (" + failoverMillis + " ms)", r);
        r.assertClean();
        assertThat(replaced).as("the epoch was replaced after the failover").isNotEqualTo(epoch);
        everyReadEqualsTheDatabase();
    }

    @Test
    @Order(3)
    void killedMasterReplacedByItsReplicaUnderLoad() throws Exception {
        Load load = new Load(ds).start();
        RedisProcess.sleep(500);
        String epoch = awaitEpoch(null);
        int master = owner(tableSlot());
        int replica = cluster.replicaOf(master);
        long began = System.nanoTime();
        cluster.nodes().stream().filter(p -> p.port() == master).findFirst().orElseThrow().kill();
        awaitRole(replica, "master");
        cluster.awaitOk();
        long failoverMillis = (System.nanoTime() - began) / 1_000_000;
        String replaced = awaitEpoch(epoch);
        RedisProcess.sleep(1_000);
        Load.Result r = load.stop();
        report("killed master (promotion after " + failoverMillis + " ms)", r);
        r.assertClean();
        assertThat(replaced).as("the epoch was replaced after the failover").isNotEqualTo(epoch);
        everyReadEqualsTheDatabase();
    }

    // ---- helpers

    private int tableSlot() {
        // The table as the catalog names it on PostgreSQL: schema.table.
        return slotOf(table);
    }

    private int slotOf(String name) {
        return SlotHash.getSlot("{" + schema.schema() + "." + name + "}");
    }

    /**
     * A table name whose keys' slot is the 150th to 400th of its master's: the resharding moves a
     * master's slots in ascending order, so it moves a few hundred slots, the table's among them,
     * in about a second or two instead of up to fifteen.
     */
    private String tableNearTheStartOfItsSlots() {
        List<List<Integer>> masters = new ArrayList<>();
        for (int port : cluster.masterPorts()) {
            masters.add(cluster.slotsOf(port));
        }
        for (int i = 0; ; i++) {
            int slot = slotOf("counter_" + i);
            for (List<Integer> slots : masters) {
                int position = slots.indexOf(slot);
                if (position >= 150 && position < 400) {
                    return "counter_" + i;
                }
            }
        }
    }

    /** The port of the master serving a slot now. */
    private int owner(int slot) {
        for (int port : cluster.masterPorts()) {
            if (cluster.slotsOf(port).contains(slot)) {
                return port;
            }
        }
        throw new IllegalStateException("no master serves slot " + slot);
    }

    /** How many of the slots of the node on {@code port} are at most {@code slot}. */
    private int slotsUpTo(int port, int slot) {
        return (int) cluster.slotsOf(port).stream().filter(s -> s <= slot).count();
    }

    private void awaitRole(int port, String role) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (cluster.role(port).equals(role)) {
                return;
            }
            RedisProcess.sleep(50);
        }
        throw new IllegalStateException("node " + port + " did not become " + role);
    }

    /** Waits (10 s at most) for an epoch other than {@code not} to exist, and returns it. */
    private String awaitEpoch(String not) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String seen = null;
        while (System.nanoTime() < deadline) {
            try (var node = cluster.node(owner(SlotHash.getSlot(prefix + ":epoch")))) {
                seen = node.get(prefix + ":epoch");
            } catch (RuntimeException moving) {
                seen = null; // the slot changed hands meanwhile: ask again
            }
            if (seen != null && !seen.equals(not)) {
                return seen;
            }
            RedisProcess.sleep(50);
        }
        return seen;
    }

    /** Whether a repeated read becomes a hit within 5 s (the fill is not awaited). */
    private boolean servedAgain() throws SQLException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            long before = cacheops.stats().hits();
            read(ds, 1);
            if (cacheops.stats().hits() > before) {
                return true;
            }
            RedisProcess.sleep(20);
        }
        return false;
    }

    private void everyReadEqualsTheDatabase() throws SQLException {
        for (int round = 0; round < 2; round++) {
            for (int id = 1; id <= ROWS; id++) {
                assertThat(read(ds, id)).as("row %d, round %d", id, round).isEqualTo(read(schema.dataSource(), id));
            }
        }
    }

    private int read(DataSource ds, int id) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("select v from " + table + " where id = ?")) {
            ps.setInt(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private void report(String what, Load.Result r) {
        long hits = cacheops.stats().hits();
        System.out.printf("cluster fault row: %s: reads %d, writes %d, errors %d, stale reads %d, max read %d ms, "
                + "max write %d ms, hits %d%n", what, r.reads, r.writes, r.errors.size(), r.stale, r.maxReadMillis,
                r.maxWriteMillis, hits);
    }

    /** Two readers and a writer through the cache, checking every read against the last commit. */
    final class Load {
        private final DataSource ds;
        private final AtomicIntegerArray committed = new AtomicIntegerArray(ROWS + 1);
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong reads = new AtomicLong();
        private final AtomicLong writes = new AtomicLong();
        private final AtomicLong stale = new AtomicLong();
        private final AtomicLong maxRead = new AtomicLong();
        private final AtomicLong maxWrite = new AtomicLong();
        private final List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        private final AtomicReference<String> firstStale = new AtomicReference<>();
        private final List<Thread> threads = new ArrayList<>();

        private Load(DataSource ds) {
            this.ds = ds;
        }

        Load start() {
            for (int i = 0; i < 2; i++) {
                threads.add(new Thread(this::reader, "cluster-reader-" + i));
            }
            threads.add(new Thread(this::writer, "cluster-writer"));
            threads.forEach(Thread::start);
            return this;
        }

        private void reader() {
            while (running.get()) {
                int id = 1 + ThreadLocalRandom.current().nextInt(ROWS);
                int before = committed.get(id);
                long t0 = System.nanoTime();
                try {
                    int v = read(ds, id);
                    reads.incrementAndGet();
                    if (v < before) {
                        stale.incrementAndGet();
                        firstStale.compareAndSet(null, "row " + id + " read " + v + " after commit of " + before);
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
                maxRead.accumulateAndGet((System.nanoTime() - t0) / 1_000_000, Math::max);
            }
        }

        private void writer() {
            int[] value = new int[ROWS + 1];
            while (running.get()) {
                int id = 1 + ThreadLocalRandom.current().nextInt(ROWS);
                long t0 = System.nanoTime();
                try (Connection c = ds.getConnection();
                     PreparedStatement ps = c.prepareStatement("update " + table + " set v = ? where id = ?")) {
                    ps.setInt(1, value[id] + 1);
                    ps.setInt(2, id);
                    ps.executeUpdate();
                    value[id]++;
                    committed.set(id, value[id]);
                    writes.incrementAndGet();
                } catch (Throwable e) {
                    errors.add(e);
                }
                maxWrite.accumulateAndGet((System.nanoTime() - t0) / 1_000_000, Math::max);
                RedisProcess.sleep(5); // leave the readers time to fill and hit
            }
        }

        Result stop() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join(10_000);
            }
            return new Result(reads.get(), writes.get(), stale.get(), firstStale.get(), List.copyOf(errors),
                    maxRead.get(), maxWrite.get());
        }

        record Result(long reads, long writes, long stale, String firstStale, List<Throwable> errors,
                      long maxReadMillis, long maxWriteMillis) {
            void assertClean() {
                assertThat(errors).as("exceptions that reached the application").isEmpty();
                assertThat(stale).as("stale reads (first: %s)", firstStale).isZero();
                assertThat(reads).isPositive();
                assertThat(writes).isPositive();
            }
        }
    }
}
