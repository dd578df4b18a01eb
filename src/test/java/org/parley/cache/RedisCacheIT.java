package org.parley.cache;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parley.testing.FreePort;
import org.parley.testing.RedisProcess;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * RedisCache against real redis-server processes: the shared cache contract ({@link CacheContract}, the same
 * tests memcached passes), TTLs as Redis keeps them, and what Parley sees when Redis hangs, is not there at start,
 * or fails over behind Sentinel.
 */
class RedisCacheIT extends CacheContract {
    private final List<AutoCloseable> opened = new ArrayList<>();
    private RedisProcess server;

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : opened.reversed()) {
            c.close();
        }
    }

    @Test
    void everyKeyHasTheTtlItWasGivenAndACounterKeepsItsFirst() {
        RedisProcess redis = redis();
        Cache cache = connectedClient(RELAXED, redis.url());
        cache.set(CacheKeys.of("test", "page"), "v", Duration.ofMinutes(10));
        cache.add(CacheKeys.of("test", "lease"), "me", Duration.ofMillis(4500));
        cache.raise(CacheKeys.of("test", "version"), 3, MINUTE);
        cache.incr(CacheKeys.of("test", "count"), Duration.ofSeconds(30));
        cache.incr(CacheKeys.of("test", "count"), Duration.ofSeconds(90));

        assertThat(ttl(redis, CacheKeys.of("test", "page"))).isBetween(590L, 600L);
        assertThat(ttl(redis, CacheKeys.of("test", "lease"))).as("rounded up to whole seconds").isBetween(3L, 5L);
        assertThat(ttl(redis, CacheKeys.of("test", "version"))).isBetween(50L, 60L);
        assertThat(ttl(redis, CacheKeys.of("test", "count"))).as("not extended by later increments").isBetween(20L, 30L);
    }

    @Test
    void aHungRedisCostsEachCallOnlyTheTimeout() {
        RedisProcess redis = redis();
        Cache cache = connectedClient(RedisCache.OP_TIMEOUT, redis.url());
        String key = CacheKeys.of("test", "hung");
        cache.set(key, "v", MINUTE);

        redis.pause();
        try {
            assertTimeoutPreemptively(HUNDRED_CALLS_BUDGET, () -> {
                for (int i = 0; i < 100; i++) {
                    assertThat(cache.get(key)).isEmpty();
                }
            });
            assertThat(metrics.errors().getCount()).isGreaterThanOrEqualTo(100);
        } finally {
            redis.resume();
        }
        await().atMost(RECOVERY).until(() -> cache.get(key).isPresent());
    }

    @Test
    void aClientStartedWhileRedisIsDownStartsAndConnectsWhenItComes() {
        int port = FreePort.find();
        Cache cache = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> client(RedisCache.OP_TIMEOUT, "redis://127.0.0.1:" + port));
        String key = CacheKeys.of("test", "late");
        assertThat(cache.get(key)).isEmpty();
        assertThat(cache.add(CacheKeys.of("test", "lease"), "me", MINUTE)).isTrue();

        RedisProcess late = RedisProcess.startOn(port);
        opened.add(late);
        await().atMost(RECOVERY).until(() -> {
            cache.set(key, "here", MINUTE);
            return cache.get(key).isPresent();
        });
        assertThat(late.cli("get", key)).isEqualTo("here");
    }

    @Test
    void aHostWhoseNameDoesNotResolveIsMissesNotAFailedStart() {
        Cache cache = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> client(RedisCache.OP_TIMEOUT, "redis://no-such-host.invalid:6379"));

        assertThat(cache.get(CacheKeys.of("test", "x"))).isEmpty();
        assertThat(cache.add(CacheKeys.of("test", "lease"), "me", MINUTE)).isTrue();
        assertThat(cache.incr(CacheKeys.of("test", "n"), MINUTE)).isEqualTo(Cache.NOT_COUNTED);
        assertThat(metrics.errors().getCount()).isEqualTo(3);
    }

    @Test
    void aPasswordInTheUrlIsUsedAndAWrongOneReadsAsMisses() {
        RedisProcess redis = track(RedisProcess.startWithPassword("s3cret"));
        String key = CacheKeys.of("test", "auth");
        Cache allowed = connectedClient(RELAXED, "redis://:s3cret@" + redis.address());
        allowed.set(key, "kept", MINUTE);
        assertThat(allowed.get(key)).hasValue("kept");
        assertThat(metrics.errors().getCount()).isZero();

        Cache refused = client(RedisCache.OP_TIMEOUT, "redis://:wrong@" + redis.address());
        assertThat(refused.get(key)).isEmpty();
        assertThat(refused.add(CacheKeys.of("test", "lease"), "me", MINUTE)).as("granted, as in any outage").isTrue();
        assertThat(metrics.errors().getCount()).isEqualTo(2);
    }

    @Test
    void throughSentinelTheCacheFindsTheMasterAndFollowsAFailover() {
        RedisProcess master = redis();
        RedisProcess replica = track(RedisProcess.replicaOf(master));
        RedisProcess sentinel = track(RedisProcess.sentinel(master, "parley"));
        Cache cache = connectedClient(RELAXED, "redis-sentinel://" + sentinel.address() + "/0#parley");
        String key = CacheKeys.of("test", "sentinel");
        cache.set(key, "on the master", MINUTE);
        assertThat(master.cli("get", key)).isEqualTo("on the master");

        master.kill();
        // Sentinel declares the master down after 1 s and promotes the replica; the client asks it again
        await().atMost(Duration.ofSeconds(40)).until(() -> {
            cache.set(key, "on the new master", MINUTE);
            return cache.get(key).isPresent();
        });
        assertThat(replica.cli("get", key)).isEqualTo("on the new master");
        assertThat(replica.cli("role")).startsWith("master");
    }

    @Override
    void startServer() {
        server = redis();
    }

    @Override
    Cache client(Duration timeout) {
        return connectedClient(timeout, server.url());
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
        return ((RedisCache) cache).failing();
    }

    private RedisProcess redis() {
        return track(RedisProcess.start());
    }

    private RedisProcess track(RedisProcess process) {
        opened.add(process);
        return process;
    }

    private Cache client(Duration timeout, String url) {
        RedisTarget target = RedisTarget.parse("PARLEY_REDIS_URL", url).orElseThrow();
        RedisCache cache = RedisCache.connect(target, timeout, metrics);
        opened.add(cache);
        return cache;
    }

    /** A client of a server that is up, once connected: a first connection slower than a call is not what is tested. */
    private Cache connectedClient(Duration timeout, String url) {
        RedisCache cache = (RedisCache) client(timeout, url);
        await().atMost(RECOVERY).until(cache::connected);
        return cache;
    }

    private static long ttl(RedisProcess redis, String key) {
        return Long.parseLong(redis.cli("ttl", key));
    }
}
