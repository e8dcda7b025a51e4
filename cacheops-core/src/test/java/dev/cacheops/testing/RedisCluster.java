package dev.cacheops.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.MigrateParams;

/**
 * A Redis Cluster that a test starts from {@code redis-server} processes ({@link RedisProcess}) on
 * free loopback ports: masters first, then replicas. {@link #shared()} is one 3-master, 3-replica
 * cluster per JVM for the suites that only read and write; tests that reshard or fail over
 * {@link #start} their own. Always {@link #close()} what you start.
 *
 * <p>The cluster is joined, and slots are moved, by {@code redis-cli --cluster create} and
 * {@code --cluster reshard} when {@code redis-cli} is on the PATH; otherwise by the same steps
 * sent from here ({@code CLUSTER ADDSLOTS}, {@code MEET}, {@code REPLICATE}; {@code SETSLOT} and
 * {@code MIGRATE}), so a machine with only the embedded Redis binary runs the cluster tests too
 * ({@code -Dcacheops.test.cluster.cli=false} forces that path).
 */
public final class RedisCluster implements AutoCloseable {
    private static final int SLOTS = 16384;
    private static RedisCluster shared;

    private final List<RedisProcess> nodes;
    private final TestCertificates certs;

    private RedisCluster(List<RedisProcess> nodes, TestCertificates certs) {
        this.nodes = nodes;
        this.certs = certs;
    }

    /** One 3-master, 3-replica cluster for the whole JVM, stopped by a shutdown hook. */
    public static synchronized RedisCluster shared() {
        if (shared == null) {
            shared = start(3, 1);
            RedisCluster s = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(s::close, "redis-cluster-stop"));
        }
        return shared;
    }

    /** Starts {@code masters} masters with {@code replicasPerMaster} replicas each, and waits until it serves. */
    public static RedisCluster start(int masters, int replicasPerMaster) {
        return start(masters, replicasPerMaster, null);
    }

    /**
     * The same speaking TLS only, to clients, between nodes and to replicas, with the given
     * certificates ({@link TestCertificates#forCluster()}); connect to {@link #tlsUri()}.
     */
    public static RedisCluster startTls(TestCertificates certs, int masters, int replicasPerMaster) {
        return start(masters, replicasPerMaster, certs);
    }

    private static RedisCluster start(int masters, int replicasPerMaster, TestCertificates certs) {
        List<RedisProcess> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < masters * (1 + replicasPerMaster); i++) {
                int port = port();
                List<String> args = new ArrayList<>(List.of("--cluster-enabled", "yes", "--cluster-config-file",
                        "nodes.conf",
                        // Short, so an automatic failover after a kill takes about a second.
                        "--cluster-node-timeout", "1000"));
                if (certs != null) {
                    args.addAll(List.of("--port", "0", "--tls-port", Integer.toString(port),
                            "--tls-cert-file", certs.serverCert().toString(),
                            "--tls-key-file", certs.serverKey().toString(),
                            "--tls-ca-cert-file", certs.caCert().toString(), "--tls-auth-clients", "no",
                            "--tls-cluster", "yes", "--tls-replication", "yes"));
                }
                nodes.add(RedisProcess.startOn(port, args.toArray(String[]::new)));
            }
            RedisCluster c = new RedisCluster(nodes, certs);
            if (useCli()) {
                List<String> args = new ArrayList<>(List.of("--cluster", "create"));
                for (RedisProcess p : nodes) {
                    args.add("127.0.0.1:" + p.port());
                }
                args.addAll(List.of("--cluster-replicas", Integer.toString(replicasPerMaster), "--cluster-yes"));
                c.cli(args.toArray(String[]::new));
            } else {
                c.create(masters);
            }
            c.awaitOk();
            return c;
        } catch (RuntimeException e) {
            nodes.forEach(RedisProcess::close);
            throw e;
        }
    }

    /** {@code redis-cluster://} with the first node as seed (the others are discovered). */
    public String uri() {
        return "redis-cluster://127.0.0.1:" + nodes.get(0).port();
    }

    /** {@code rediss-cluster://} for a cluster started by {@link #startTls}. */
    public String tlsUri() {
        return "rediss-cluster://127.0.0.1:" + nodes.get(0).port();
    }

    /** Every node, masters first as created (roles change with failovers). */
    public List<RedisProcess> nodes() {
        return nodes;
    }

    /** A connection to one node (TLS for a TLS cluster); close it. */
    public Jedis node(int port) {
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder().timeoutMillis(10_000);
        if (certs != null) {
            config.ssl(true).sslSocketFactory(socketFactory(certs));
        }
        return new Jedis(new HostAndPort("127.0.0.1", port), config.build());
    }

    /** The ports of the running nodes that are masters now. */
    public List<Integer> masterPorts() {
        List<Integer> out = new ArrayList<>();
        for (RedisProcess p : nodes) {
            if (p.running() && role(p.port()).equals("master")) {
                out.add(p.port());
            }
        }
        return out;
    }

    /** {@code master} or {@code slave}. */
    public String role(int port) {
        try (Jedis j = node(port)) {
            return String.valueOf(j.role().get(0));
        }
    }

    /** {@code CLUSTER NODES} as the node on {@code port} sees it. */
    public String clusterNodes(int port) {
        try (Jedis j = node(port)) {
            return j.clusterNodes();
        }
    }

    /** The node id of the node on {@code port}. */
    public String nodeId(int port) {
        try (Jedis j = node(port)) {
            return j.clusterMyId();
        }
    }

    /** A replica (now) of the master on {@code masterPort}. */
    public int replicaOf(int masterPort) {
        for (RedisProcess p : nodes) {
            if (p.running() && p.port() != masterPort) {
                try (Jedis j = node(p.port())) {
                    List<Object> role = j.role();
                    if ("slave".equals(role.get(0)) && Long.valueOf(masterPort).equals(role.get(2))) {
                        return p.port();
                    }
                }
            }
        }
        throw new IllegalStateException("no replica of " + masterPort);
    }

    /** {@code CLUSTER FAILOVER} on a replica: it takes over its master's slots once it caught up. */
    public void failover(int replicaPort) {
        try (Jedis j = node(replicaPort)) {
            j.clusterFailover();
        }
    }

    /**
     * Moves the first {@code count} slots (ascending) of the master on {@code fromPort} to the one
     * on {@code toPort}, keys included, while clients keep running.
     */
    public void reshard(int fromPort, int toPort, int count) {
        String from = nodeId(fromPort);
        String to = nodeId(toPort);
        if (useCli()) {
            cli("--cluster", "reshard", "127.0.0.1:" + fromPort, "--cluster-from", from, "--cluster-to", to,
                    "--cluster-slots", Integer.toString(count), "--cluster-yes");
            return;
        }
        List<Integer> slots = slotsOf(fromPort);
        List<Integer> others = masterPorts();
        others.removeIf(p -> p == fromPort || p == toPort);
        try (Jedis source = node(fromPort); Jedis target = node(toPort)) {
            for (int slot : slots.subList(0, Math.min(count, slots.size()))) {
                target.clusterSetSlotImporting(slot, from);
                source.clusterSetSlotMigrating(slot, to);
                List<String> keys;
                while (!(keys = source.clusterGetKeysInSlot(slot, 100)).isEmpty()) {
                    source.migrate("127.0.0.1", toPort, 0, 10_000, MigrateParams.migrateParams().replace(),
                            keys.toArray(String[]::new));
                }
                target.clusterSetSlotNode(slot, to);
                source.clusterSetSlotNode(slot, to);
                for (int other : others) {
                    try (Jedis j = node(other)) {
                        j.clusterSetSlotNode(slot, to);
                    }
                }
            }
        }
    }

    /** The slots the node on {@code port} serves, ascending. */
    public List<Integer> slotsOf(int port) {
        for (String line : clusterNodes(port).split("\\R")) {
            if (line.contains("myself")) {
                List<Integer> out = new ArrayList<>();
                String[] f = line.split(" ");
                for (int i = 8; i < f.length; i++) {
                    if (f[i].startsWith("[")) {
                        continue; // a slot being migrated or imported
                    }
                    String[] range = f[i].split("-");
                    int lo = Integer.parseInt(range[0]);
                    int hi = range.length == 1 ? lo : Integer.parseInt(range[1]);
                    for (int s = lo; s <= hi; s++) {
                        out.add(s);
                    }
                }
                return out;
            }
        }
        throw new IllegalStateException("no myself line on " + port);
    }

    /** Waits (up to 20 s) until every running node sees every slot served. */
    public void awaitOk() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String last = "";
        while (System.nanoTime() < deadline) {
            boolean ok = true;
            for (RedisProcess p : nodes) {
                if (!p.running()) {
                    continue;
                }
                try (Jedis j = node(p.port())) {
                    last = j.clusterInfo();
                } catch (RuntimeException e) {
                    last = e.toString();
                }
                if (!last.contains("cluster_state:ok") || !last.contains("cluster_slots_ok:" + SLOTS)) {
                    ok = false;
                    break;
                }
            }
            if (ok) {
                return;
            }
            RedisProcess.sleep(100);
        }
        throw new IllegalStateException("the cluster did not become ok within 20 s: " + last);
    }

    /** What {@code redis-cli --cluster create} does: slots to the masters, MEET, then REPLICATE. */
    private void create(int masters) {
        for (int i = 0; i < masters; i++) {
            int lo = i * SLOTS / masters;
            int hi = (i + 1) * SLOTS / masters;
            int[] slots = new int[hi - lo];
            for (int s = lo; s < hi; s++) {
                slots[s - lo] = s;
            }
            try (Jedis j = node(nodes.get(i).port())) {
                j.clusterAddSlots(slots);
                j.clusterSetConfigEpoch(i + 1);
            }
        }
        try (Jedis first = node(nodes.get(0).port())) {
            for (RedisProcess p : nodes.subList(1, nodes.size())) {
                first.clusterMeet("127.0.0.1", p.port());
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (int i = masters; i < nodes.size(); i++) {
            String master = nodeId(nodes.get(i % masters).port());
            try (Jedis replica = node(nodes.get(i).port())) {
                while (true) {
                    try {
                        replica.clusterReplicate(master);
                        break;
                    } catch (RuntimeException notYetKnown) {
                        if (System.nanoTime() > deadline) {
                            throw notYetKnown;
                        }
                        RedisProcess.sleep(50);
                    }
                }
            }
        }
    }

    /** Whether {@code redis-cli} runs the cluster commands (on the PATH and not turned off). */
    private static boolean useCli() {
        return !"false".equals(System.getProperty("cacheops.test.cluster.cli")) && RedisBinaries.onPath("redis-cli");
    }

    /** Runs {@code redis-cli} with the arguments (host 127.0.0.1) and returns its output; fails on a non-zero exit. */
    private String cli(String... args) {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1"));
        if (certs != null) {
            command.addAll(List.of("--tls", "--cacert", certs.caCert().toString()));
        }
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("redis-cli did not finish: " + command);
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException("redis-cli " + String.join(" ", args) + " exited with "
                        + p.exitValue() + ": " + text);
            }
            return text;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run redis-cli", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A free port whose cluster bus port (10,000 higher, which Redis 6.2 cannot move) is free too:
     * at most 55535, which a random free port often is not (Linux hands out up to 60999).
     */
    private static int port() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int p = RedisProcess.freePort();
            if (p <= 55535 && free(p + 10000)) {
                return p;
            }
        }
        throw new IllegalStateException("no free port pair (p, p + 10000) for a cluster node");
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static SSLSocketFactory socketFactory(TestCertificates certs) {
        try (InputStream in = Files.newInputStream(certs.caCert())) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot trust " + certs.caCert(), e);
        }
    }

    @Override
    public void close() {
        nodes.forEach(RedisProcess::close);
    }
}
