package org.parley.cache;

import com.codahale.metrics.MetricRegistry;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** Picks the cache an instance uses: Memcached when PARLEY_MEMCACHED names servers, else this process's memory. */
public final class Caches {
    private Caches() {
    }

    public static Cache open(List<CacheNode> memcached, Duration timeout, MetricRegistry registry) {
        CacheMetrics metrics = CacheMetrics.in(registry);
        return memcached.isEmpty()
                ? new LocalCache(Clock.systemUTC(), metrics)
                : MemcachedCache.connect(memcached, timeout, metrics);
    }
}
