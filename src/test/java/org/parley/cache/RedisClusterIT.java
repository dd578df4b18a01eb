package org.parley.cache;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parley.testing.RedisProcess;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * RedisCache on a Redis Cluster of three masters ({@code redis-cli --cluster create}, no replicas): the shared cache
 * contract with keys spread over every node (multi-gets split by slot, scripts on their key's node), and a lost
 * master costing only its own keys.
 */
class RedisClusterIT extends CacheContract {
    private final List<AutoCloseable> opened = new ArrayList<>();
    private List<RedisProcess> nodes;

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : opened.reversed()) {
            c.close();
        }
    }

    @Test
    void aKilledMasterCostsOnlyItsOwnKeysWhichHitAgainWhenItIsBack() {
        startServer();
        Cache cache = client(RedisCache.OP_TIMEOUT);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 90; i++) {
            String key = CacheKeys.of("test", "spread", i);
            keys.add(key);
            cache.set(key, "v" + i, MINUTE);
        }
        RedisProcess lost = nodes.get(1);
        int onLost = Integer.parseInt(lost.cli("dbsize"));
        assertThat(onLost).as("each master holds a share").isBetween(10, 80);

        lost.kill();
        await().atMost(RECOVERY).until(() -> cache.getMulti(keys).size() == keys.size() - onLost);
        assertTimeoutPreemptively(HUNDRED_CALLS_BUDGET, () -> {
            for (int round = 0; round < 20; round++) {
                Map<String, String> found = cache.getMulti(keys);
                assertThat(found).as("the other masters still answer").hasSize(keys.size() - onLost);
            }
        });

        lost.startAgain();
        await().atMost(RECOVERY).until(() -> {
            keys.forEach(key -> cache.set(key, "again", MINUTE));
            return cache.getMulti(keys).size() == keys.size();
        });
        assertThat(Integer.parseInt(lost.cli("dbsize"))).isEqualTo(onLost);
    }

    @Override
    void startServer() {
        nodes = RedisProcess.cluster(3);
        opened.addAll(nodes);
    }

    @Override
    Cache client(Duration timeout) {
        RedisTarget target = RedisTarget.parse("PARLEY_REDIS_URL", RedisProcess.clusterUrl(nodes)).orElseThrow();
        RedisCache cache = RedisCache.connect(target, timeout, metrics);
        opened.add(cache);
        // the topology and a connection to every master take longer than a call's timeout on a busy machine
        await().atMost(RECOVERY).until(cache::connected);
        return cache;
    }

    @Override
    void killServer() {
        nodes.forEach(RedisProcess::kill);
    }

    /** Each node again on its port with its nodes.conf: the cluster forms again with the same slots. */
    @Override
    void startServerAgain() {
        nodes.forEach(RedisProcess::startAgain);
    }

    @Override
    boolean failing(Cache cache) {
        return ((RedisCache) cache).failing();
    }
}
