package org.parley.cache;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parley.testing.FreePort;
import org.parley.testing.MemcachedProcess;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * MemcachedCache against real memcached processes: the shared cache contract ({@link CacheContract}), consistent
 * hashing over two nodes, and what Parley sees when memcached hangs or is not there at start (misses, quickly, then
 * recovery).
 */
class MemcachedCacheIT extends CacheContract {
    private final List<AutoCloseable> opened = new ArrayList<>();
    private MemcachedProcess server;

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : opened.reversed()) {
            c.close();
        }
    }

    @Test
    void valuesRoundTripAndKeysSpreadOverBothNodes() {
        MemcachedProcess a = memcached();
        MemcachedProcess b = memcached();
        MemcachedCache cache = relaxedClient(a.node(), b.node());
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String key = CacheKeys.of("test", "k", i);
            keys.add(key);
            cache.set(key, "välue " + i + " <&>", MINUTE);
        }

        assertThat(cache.get(keys.get(7))).hasValue("välue 7 <&>");
        assertThat(cache.getMulti(keys)).hasSize(200).containsEntry(keys.get(199), "välue 199 <&>");
        int onA = relaxedClient(a.node()).getMulti(keys).size();
        int onB = relaxedClient(b.node()).getMulti(keys).size();
        assertThat(onA + onB).isEqualTo(200);
        assertThat(onA).as("ketama gives each node a share").isBetween(40, 160);
        assertThat(metrics.errors().getCount()).isZero();
    }

    @Test
    void aHungMemcachedCostsEachCallOnlyTheTimeout() {
        MemcachedProcess server = memcached();
        MemcachedCache cache = client(server.node());
        String key = CacheKeys.of("test", "hung");
        cache.set(key, "v", MINUTE);

        server.pause();
        try {
            assertTimeoutPreemptively(HUNDRED_CALLS_BUDGET, () -> {
                for (int i = 0; i < 100; i++) {
                    assertThat(cache.get(key)).isEmpty();
                }
            });
            assertThat(metrics.errors().getCount()).isGreaterThanOrEqualTo(100);
        } finally {
            server.resume();
        }
        await().atMost(RECOVERY).until(() -> cache.get(key).isPresent());
    }

    @Test
    void aClientStartedWhileMemcachedIsDownStartsAndConnectsWhenItComes() {
        int port = FreePort.find();
        MemcachedCache cache = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> client(new CacheNode("127.0.0.1", port)));
        String key = CacheKeys.of("test", "late");
        assertThat(cache.get(key)).isEmpty();

        MemcachedProcess late = memcachedOn(port);
        await().atMost(RECOVERY).until(() -> {
            cache.set(key, "here", MINUTE);
            return cache.get(key).isPresent();
        });
        assertThat(late.port()).isEqualTo(port);
    }

    @Test
    void aNodeWhoseNameDoesNotResolveIsMissesNotAFailedStart() {
        MemcachedCache cache = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> client(new CacheNode("no-such-host.invalid", 11211)));

        assertThat(cache.get(CacheKeys.of("test", "x"))).isEmpty();
        assertThat(cache.add(CacheKeys.of("test", "lease"), "me", MINUTE)).isTrue();
        assertThat(metrics.errors().getCount()).isEqualTo(2);
    }

    @Test
    void withOneOfTwoNodesKilledItsKeysMoveToTheOther() {
        MemcachedProcess a = memcached();
        MemcachedProcess b = memcached();
        MemcachedCache cache = client(a.node(), b.node());
        a.kill();

        await().atMost(RECOVERY).until(() -> {
            for (int i = 0; i < 50; i++) {
                cache.set(CacheKeys.of("test", "moved", i), "v", MINUTE);
            }
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                keys.add(CacheKeys.of("test", "moved", i));
            }
            Map<String, String> found = cache.getMulti(keys);
            return found.size() == 50;
        });
    }

    @Override
    void startServer() {
        server = memcached();
    }

    @Override
    Cache client(Duration timeout) {
        return client(timeout, server.node());
    }

    @Override
    void killServer() {
        server.kill();
    }

    @Override
    void startServerAgain() {
        server.startAgain();
    }

    @Override
    boolean failing(Cache cache) {
        return ((MemcachedCache) cache).failing();
    }

    private MemcachedProcess memcached() {
        MemcachedProcess server = MemcachedProcess.start();
        opened.add(server);
        return server;
    }

    private MemcachedProcess memcachedOn(int port) {
        MemcachedProcess server = MemcachedProcess.startOn(port);
        opened.add(server);
        return server;
    }

    /** A client with the production timeout, {@link MemcachedCache#OP_TIMEOUT}. */
    private MemcachedCache client(CacheNode... nodes) {
        return client(MemcachedCache.OP_TIMEOUT, nodes);
    }

    private MemcachedCache relaxedClient(CacheNode... nodes) {
        return client(RELAXED, nodes);
    }

    private MemcachedCache client(Duration timeout, CacheNode... nodes) {
        MemcachedCache cache = MemcachedCache.connect(List.of(nodes), timeout, metrics);
        opened.add(cache);
        return cache;
    }
}
