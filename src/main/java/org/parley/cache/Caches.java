package org.parley.cache;

import com.codahale.metrics.MetricRegistry;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Picks the cache an instance uses: Memcached when PARLEY_MEMCACHED names servers, Redis when PARLEY_REDIS_URL
 * names one (the configuration refuses both), else this process's memory.
 */
public final class Caches {
    private Caches() {
    }

    public static Cache open(List<CacheNode> memcached, Duration memcachedTimeout, Optional<RedisTarget> redis,
                             Duration redisTimeout, MetricRegistry registry) {
        CacheMetrics metrics = CacheMetrics.in(registry);
        if (!memcached.isEmpty()) {
            return MemcachedCache.connect(memcached, memcachedTimeout, metrics);
        }
        if (redis.isPresent()) {
            return RedisCache.connect(redis.get(), redisTimeout, metrics);
        }
        return new LocalCache(Clock.systemUTC(), metrics);
    }
}
