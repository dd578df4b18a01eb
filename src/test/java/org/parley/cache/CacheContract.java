package org.parley.cache;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * What every shared cache must do, as {@link Cache}'s javadoc says it, against a real server: run by
 * {@code MemcachedCacheIT} and {@code RedisCacheIT}, so both read and fail the same way under Parley's callers.
 * A subclass starts its server, makes clients of it and kills and restarts it; it closes all of them after each test.
 */
abstract class CacheContract {
    static final Duration MINUTE = Duration.ofMinutes(1);
    /**
     * For tests about what the operations do, not about failure: two shared cores running other builds can stall
     * a call past the production timeout, which would read as a miss. Failure tests use the real timeout.
     */
    static final Duration RELAXED = Duration.ofSeconds(5);
    /** A hundred rounds of calls against a dead server in this time means each one gave up quickly. */
    static final Duration HUNDRED_CALLS_BUDGET = Duration.ofSeconds(10);
    static final Duration RECOVERY = Duration.ofSeconds(20);

    final CacheMetrics metrics = CacheMetrics.unregistered();

    /** Starts a server for this test (the one the clients below talk to). */
    abstract void startServer();

    /** A new client of that server, counting into {@link #metrics}, closed after the test. */
    abstract Cache client(Duration timeout);

    abstract void killServer();

    /** Starts the killed server again on the same port, empty. */
    abstract void startServerAgain();

    /** Whether the client's failure detector holds an outage open. */
    abstract boolean failing(Cache cache);

    @Test
    void valuesRoundTripAsTheyWereWrittenAndAMultiGetFindsOnlyWhatIsThere() {
        startServer();
        Cache cache = client(RELAXED);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String key = CacheKeys.of("test", "k", i);
            keys.add(key);
            if (i % 2 == 0) {
                cache.set(key, "välue " + i + " <&> 💬 \r\n", MINUTE);
            }
        }

        assertThat(cache.get(keys.get(8))).hasValue("välue 8 <&> 💬 \r\n");
        assertThat(cache.get(keys.get(7))).isEmpty();
        var found = cache.getMulti(keys);
        assertThat(found).hasSize(100).containsEntry(keys.get(198), "välue 198 <&> 💬 \r\n")
                .doesNotContainKey(keys.get(199));
        assertThat(metrics.hits().getCount()).isEqualTo(101);
        assertThat(metrics.misses().getCount()).isEqualTo(101);
        assertThat(metrics.errors().getCount()).isZero();
    }

    @Test
    void aValueExpiresWithItsTtl() {
        startServer();
        Cache cache = client(RELAXED);
        String key = CacheKeys.of("test", "short");
        // 2 s, not 1: memcached's clock ticks once a second, so an item of 1 s lives 0 to 1 s and could be gone
        // before the read below
        cache.set(key, "v", Duration.ofSeconds(2));

        assertThat(cache.get(key)).hasValue("v");
        await().atMost(Duration.ofSeconds(5)).until(() -> cache.get(key).isEmpty());
    }

    @Test
    void addStoresOnlyWhenAbsentAndDeleteFrees() {
        startServer();
        Cache cache = client(RELAXED);
        String lease = CacheKeys.of("test", "lease");

        assertThat(cache.add(lease, "me", MINUTE)).isTrue();
        assertThat(cache.add(lease, "you", MINUTE)).isFalse();
        assertThat(cache.get(lease)).hasValue("me");
        cache.delete(lease);
        assertThat(cache.add(lease, "you", MINUTE)).isTrue();
        assertThat(cache.get(lease)).hasValue("you");
    }

    @Test
    void aValueTooLargeToKeepIsNotStoredAndTheOldOneIsGone() {
        startServer();
        Cache cache = client(RELAXED);
        String key = CacheKeys.of("test", "large");
        cache.set(key, "small", MINUTE);

        cache.set(key, "x".repeat(Cache.MAX_VALUE_BYTES + 1), MINUTE);
        assertThat(cache.get(key)).as("no stale value stays behind").isEmpty();
        assertThat(cache.add(key, "é".repeat(Cache.MAX_VALUE_BYTES / 2 + 1), MINUTE)).isFalse();
        assertThat(cache.get(key)).isEmpty();
    }

    @Test
    void raiseOnlyEverMovesANumberForwardWhateverOrderClientsFinishIn() throws Exception {
        startServer();
        Cache one = client(RELAXED);
        Cache other = client(RELAXED);
        String version = CacheKeys.of("test", "version");

        one.raise(version, 7, MINUTE);
        other.raise(version, 5, MINUTE);
        assertThat(one.get(version)).as("an older number set last does not win").hasValue("7");
        other.raise(version, 12, MINUTE);
        assertThat(one.get(version)).hasValue("12");
        one.set(version, "not a number", MINUTE);
        other.raise(version, 3, MINUTE);
        assertThat(one.get(version)).as("what is not a number is replaced").hasValue("3");

        // two instances' writers and readers at once, each raising to numbers in its own shuffled order
        String contended = CacheKeys.of("test", "contended");
        List<Long> numbers = new ArrayList<>();
        for (long n = 1; n <= 400; n++) {
            numbers.add(n);
        }
        try (var pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> raised = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                Cache client = t % 2 == 0 ? one : other;
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
        startServer();
        Cache cache = client(RELAXED);
        String counter = CacheKeys.of("test", "counter");

        assertThat(cache.incr(counter, Duration.ofSeconds(2))).isEqualTo(1);
        assertThat(cache.incr(counter, Duration.ofSeconds(2))).isEqualTo(2);
        assertThat(cache.get(counter)).hasValue("2");
        await().atMost(Duration.ofSeconds(5)).until(() -> cache.get(counter).isEmpty());
        assertThat(cache.incr(counter, Duration.ofSeconds(2))).isEqualTo(1);
    }

    @Test
    void incrCountsEveryEventOfManyClientsAtOnce() throws Exception {
        startServer();
        Cache one = client(RELAXED);
        Cache other = client(RELAXED);
        String counter = CacheKeys.of("test", "busy");
        try (var pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> counted = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                Cache client = t % 2 == 0 ? one : other;
                counted.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        client.incr(counter, MINUTE);
                    }
                }));
            }
            for (var c : counted) {
                c.get();
            }
        }
        assertThat(one.get(counter)).hasValue("400");
    }

    @Test
    void incrOfSomethingThatIsNotANumberCountsNothing() {
        startServer();
        Cache cache = client(RELAXED);
        String key = CacheKeys.of("test", "text");
        cache.set(key, "hello", MINUTE);

        assertThat(cache.incr(key, MINUTE)).isEqualTo(Cache.NOT_COUNTED);
        assertThat(cache.get(key)).hasValue("hello");
    }

    @Test
    void aKilledServerMeansQuickMissesAndTheClientFindsItAgainOnTheSamePort() {
        startServer();
        Cache cache = client(MemcachedCache.OP_TIMEOUT);
        String key = CacheKeys.of("test", "survivor");
        cache.set(key, "before", MINUTE);
        assertThat(cache.get(key)).hasValue("before");

        killServer();
        assertTimeoutPreemptively(HUNDRED_CALLS_BUDGET, () -> {
            for (int i = 0; i < 100; i++) {
                assertThat(cache.get(key)).isEmpty();
                assertThat(cache.getMulti(List.of(key))).isEmpty();
                cache.set(key, "during", MINUTE);
                cache.raise(CacheKeys.of("test", "version"), i, MINUTE);
                assertThat(cache.incr(CacheKeys.of("test", "n"), MINUTE)).isEqualTo(Cache.NOT_COUNTED);
                assertThat(cache.add(CacheKeys.of("test", "lease"), "me", MINUTE))
                        .as("a lease the cache cannot record is granted").isTrue();
                cache.delete(key);
            }
        });
        assertThat(metrics.errors().getCount()).isGreaterThanOrEqualTo(100);
        assertThat(metrics.misses().getCount()).isGreaterThanOrEqualTo(200);
        assertThat(failing(cache)).isTrue();

        startServerAgain();
        await().atMost(RECOVERY).until(() -> {
            cache.set(key, "after", MINUTE);
            return cache.get(key).equals(Optional.of("after"));
        });
        // keys on every node (a Cluster's masters each end their own outage at their first call)
        List<String> spread = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            spread.add(CacheKeys.of("test", "spread", i));
        }
        await().atMost(Outages.PROBE_INTERVAL.multipliedBy(5)).until(() -> {
            cache.getMulti(spread);
            return cache.get(key).isPresent() && !failing(cache);
        });
    }
}
