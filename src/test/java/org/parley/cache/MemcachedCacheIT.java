package org.parley.cache;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parley.testing.FreePort;
import org.parley.testing.MemcachedProcess;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * MemcachedCache against real memcached processes: the operations, consistent hashing over two nodes, and what
 * Parley sees when memcached crashes, hangs or is not there at start (misses, quickly, then recovery).
 */
class MemcachedCacheIT {
    private static final Duration MINUTE = Duration.ofMinutes(1);
    /** A hundred calls against a dead or hung server in this time means each one gave up quickly. */
    private static final Duration HUNDRED_CALLS_BUDGET = Duration.ofSeconds(10);
    private static final Duration RECOVERY = Duration.ofSeconds(20);
    /**
     * For tests about what the operations do, not about failure: two shared cores running other builds can stall
     * a call past the production 50 ms, which would read as a miss. Failure tests use the real timeout.
     */
    static final Duration RELAXED = Duration.ofSeconds(1);

    private final List<AutoCloseable> opened = new ArrayList<>();
    private final CacheMetrics metrics = CacheMetrics.unregistered();

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
    void addStoresOnlyWhenAbsentAndDeleteFrees() {
        MemcachedCache cache = relaxedClient(memcached().node());
        String lease = CacheKeys.of("test", "lease");

        assertThat(cache.add(lease, "me", MINUTE)).isTrue();
        assertThat(cache.add(lease, "you", MINUTE)).isFalse();
        assertThat(cache.get(lease)).hasValue("me");
        cache.delete(lease);
        assertThat(cache.add(lease, "you", MINUTE)).isTrue();
    }

    @Test
    void raiseOnlyEverMovesANumberForwardWhateverOrderClientsFinishIn() throws Exception {
        MemcachedProcess server = memcached();
        MemcachedCache one = relaxedClient(server.node());
        MemcachedCache other = relaxedClient(server.node());
        String version = CacheKeys.of("test", "version");

        one.raise(version, 7, MINUTE);
        other.raise(version, 5, MINUTE);
        assertThat(one.get(version)).as("an older number set last does not win").hasValue("7");
        one.set(version, "not a number", MINUTE);
        other.raise(version, 3, MINUTE);
        assertThat(one.get(version)).hasValue("3");

        // two instances' writers and readers at once, each raising to numbers in its own shuffled order
        String contended = CacheKeys.of("test", "contended");
        List<Long> numbers = new ArrayList<>();
        for (long n = 1; n <= 400; n++) {
            numbers.add(n);
        }
        try (var pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> raised = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                MemcachedCache client = t % 2 == 0 ? one : other;
                List<Long> mine = new ArrayList<>(numbers.subList(t * 50, t * 50 + 50));
                Collections.shuffle(mine);
                raised.add(pool.submit(() -> mine.forEach(n -> client.raise(contended, n, MINUTE))));
            }
            for (var r : raised) {
                r.get();
            }
        }
        assertThat(one.get(contended)).hasValue("400");
        assertThat(metrics.errors().getCount()).isZero();
    }

    @Test
    void incrStartsAtOneAndTheCounterExpiresWithItsFirstTtl() {
        MemcachedCache cache = relaxedClient(memcached().node());
        String counter = CacheKeys.of("test", "counter");

        assertThat(cache.incr(counter, Duration.ofSeconds(2))).isEqualTo(1);
        assertThat(cache.incr(counter, Duration.ofSeconds(2))).isEqualTo(2);
        assertThat(cache.get(counter)).hasValue("2");
        await().atMost(Duration.ofSeconds(5)).until(() -> cache.get(counter).isEmpty());
        assertThat(cache.incr(counter, Duration.ofSeconds(2))).isEqualTo(1);
    }

    @Test
    void aKilledMemcachedMeansQuickMissesAndTheClientFindsItAgainOnTheSamePort() {
        MemcachedProcess server = memcached();
        MemcachedCache cache = client(server.node());
        String key = CacheKeys.of("test", "survivor");
        cache.set(key, "before", MINUTE);
        assertThat(cache.get(key)).hasValue("before");

        server.kill();
        assertTimeoutPreemptively(HUNDRED_CALLS_BUDGET, () -> {
            for (int i = 0; i < 100; i++) {
                assertThat(cache.get(key)).isEmpty();
                assertThat(cache.getMulti(List.of(key))).isEmpty();
                cache.set(key, "during", MINUTE);
                assertThat(cache.incr(CacheKeys.of("test", "n"), MINUTE)).isEqualTo(Cache.NOT_COUNTED);
                assertThat(cache.add(CacheKeys.of("test", "lease"), "me", MINUTE))
                        .as("a lease the cache cannot record is granted").isTrue();
                cache.delete(key);
            }
        });
        assertThat(metrics.errors().getCount()).isGreaterThanOrEqualTo(100);
        assertThat(metrics.misses().getCount()).isGreaterThanOrEqualTo(200);
        assertThat(cache.failing()).isTrue();

        server.startAgain();
        await().atMost(RECOVERY).until(() -> {
            cache.set(key, "after", MINUTE);
            return cache.get(key).equals(java.util.Optional.of("after"));
        });
        await().atMost(Outages.PROBE_INTERVAL.multipliedBy(5)).until(() -> cache.get(key).isPresent() && !cache.failing());
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
