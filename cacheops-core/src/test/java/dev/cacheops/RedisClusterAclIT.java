package dev.cacheops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheops.testing.RedisCluster;
import dev.cacheops.testing.RedisProcess;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.resps.AccessControlLogEntry;

/**
 * The behaviour suite on a Redis Cluster of its own (3 masters) as the README's least-privilege
 * ACL user ({@link RedisAclIT#RULES}) with what Lettuce's cluster client needs beside them
 * ({@link #CLUSTER_RULES}: its topology discovery sends {@code CLUSTER NODES} and
 * {@code CLUSTER MYID} and names its connections with {@code CLIENT SETNAME}), set on every node.
 * After every test no node's {@code ACL LOG} may hold a denial other than those the standalone
 * suite tolerates, and the store must have counted no error.
 */
class RedisClusterAclIT extends CachingBehaviour {
    /** What a cluster user needs beside {@link RedisAclIT#RULES}. */
    static final String CLUSTER_RULES = " +cluster|nodes +cluster|myid +client|setname";

    private RedisCluster cluster;

    @BeforeAll
    void startCluster() {
        cluster = RedisCluster.start(3, 0);
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    protected Cacheops.Builder store(Cacheops.Builder builder) {
        // The suite's manual-scope test runs a second instance with the prefix + "m".
        String rules = String.format(RedisAclIT.RULES, prefix) + " ~" + prefix + "m:*" + CLUSTER_RULES;
        for (RedisProcess node : cluster.nodes()) {
            try (Jedis admin = new Jedis("127.0.0.1", node.port())) {
                admin.aclDelUser("cacheops");
                admin.aclSetUser("cacheops", rules.split(" "));
                admin.aclLogReset();
            }
        }
        // Connecting discovers the topology and opens a connection to every node: in a cold JVM on
        // a loaded machine that outlasted the default 1 s, and reads before it count store errors.
        return builder.redis("redis-cluster://cacheops:secret@127.0.0.1:" + cluster.nodes().get(0).port())
                .redisConnectTimeout(java.time.Duration.ofSeconds(5));
    }

    @AfterEach
    void noDenialAndNoStoreError() {
        List<String> denied = new ArrayList<>();
        for (RedisProcess node : cluster.nodes()) {
            try (Jedis admin = new Jedis("127.0.0.1", node.port())) {
                for (AccessControlLogEntry e : admin.aclLog()) {
                    if (!Set.of("config|get", "config", "client", "client|setinfo").contains(e.getObject())) {
                        denied.add(node.port() + ": " + e.getReason() + " " + e.getContext() + " " + e.getObject());
                    }
                }
                admin.aclLogReset();
            }
        }
        assertThat(denied).as("commands or keys the ACL refused").isEmpty();
        assertThat(cacheops.stats().storeErrors()).as("store errors: %s", cacheops.stats()).isZero();
    }
}
