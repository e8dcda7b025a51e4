package dev.cacheops.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Redis Cluster that a test starts from {@code redis-server} processes ({@link RedisProcess}) on
 * free loopback ports and joins with {@code redis-cli --cluster create}: masters first, then
 * replicas. {@link #shared()} is one 3-master, 3-replica cluster per JVM for the suites that only
 * read and write; tests that reshard or fail over {@link #start} their own. Needs {@code redis-cli}
 * on the PATH (the embedded Redis jar ships only the server). Always {@link #close()} what you start.
 */
public final class RedisCluster implements AutoCloseable {
    private static RedisCluster shared;

    private final List<RedisProcess> nodes;
    /** The TLS options of every redis-cli call; empty for a plain cluster. */
    private final List<String> cliTls;

    private RedisCluster(List<RedisProcess> nodes, List<String> cliTls) {
        this.nodes = nodes;
        this.cliTls = cliTls;
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
     * certificates (which must name 127.0.0.1); connect to {@link #tlsUri()}.
     */
    public static RedisCluster startTls(TestCertificates certs, int masters, int replicasPerMaster) {
        return start(masters, replicasPerMaster, certs);
    }

    private static RedisCluster start(int masters, int replicasPerMaster, TestCertificates certs) {
        List<RedisProcess> nodes = new ArrayList<>();
        List<String> cliTls = certs == null ? List.of() : List.of("--tls", "--cacert", certs.caCert().toString());
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
            RedisCluster c = new RedisCluster(nodes, cliTls);
            List<String> args = new ArrayList<>(List.of("--cluster", "create"));
            for (RedisProcess p : nodes) {
                args.add("127.0.0.1:" + p.port());
            }
            args.addAll(List.of("--cluster-replicas", Integer.toString(replicasPerMaster), "--cluster-yes"));
            c.cli(args.toArray(String[]::new));
            c.awaitOk();
            return c;
        } catch (RuntimeException e) {
            nodes.forEach(RedisProcess::close);
            throw e;
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
        try (java.net.ServerSocket s = new java.net.ServerSocket()) {
            s.bind(new java.net.InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code redis-cluster://} with the first master as seed (the others are discovered). */
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

    /** The ports of the nodes that are masters now. */
    public List<Integer> masterPorts() {
        List<Integer> out = new ArrayList<>();
        for (RedisProcess p : nodes) {
            if (p.running() && cli("-p", Integer.toString(p.port()), "role").startsWith("master")) {
                out.add(p.port());
            }
        }
        return out;
    }

    /** The node id of the node on {@code port}. */
    public String nodeId(int port) {
        return cli("-p", Integer.toString(port), "cluster", "myid").trim();
    }

    /** A replica (now) of the master on {@code masterPort}. */
    public int replicaOf(int masterPort) {
        String id = nodeId(masterPort);
        for (RedisProcess p : nodes) {
            if (p.running() && p.port() != masterPort) {
                String[] role = cli("-p", Integer.toString(p.port()), "role").split("\\R");
                if (role.length > 2 && role[0].equals("slave") && role[2].trim().equals(Integer.toString(masterPort))) {
                    return p.port();
                }
            }
        }
        throw new IllegalStateException("no replica of " + masterPort + " (" + id + ")");
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
                last = cli("-p", Integer.toString(p.port()), "cluster", "info");
                if (!last.contains("cluster_state:ok") || !last.contains("cluster_slots_ok:16384")) {
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

    /** Runs {@code redis-cli} with the arguments (host 127.0.0.1) and returns its output; fails on a non-zero exit. */
    public String cli(String... args) {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1"));
        command.addAll(cliTls);
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
            throw new IllegalStateException("cannot run redis-cli (it must be on the PATH for the cluster tests)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        nodes.forEach(RedisProcess::close);
    }
}
