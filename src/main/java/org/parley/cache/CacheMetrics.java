package org.parley.cache;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;

/**
 * The cache's counters in the instance's metric registry: a hit rate says whether caching pays, an error count
 * that moves says Memcached is slow or gone (pages are then served from PostgreSQL, slower).
 */
public record CacheMetrics(Counter hits, Counter misses, Counter errors) {
    public static final String HITS = "parley.cache.hits";
    public static final String MISSES = "parley.cache.misses";
    public static final String ERRORS = "parley.cache.errors";

    public static CacheMetrics in(MetricRegistry registry) {
        return new CacheMetrics(registry.counter(HITS), registry.counter(MISSES), registry.counter(ERRORS));
    }

    /** Counters nobody reads: for caches built outside a server (tests, tools). */
    public static CacheMetrics unregistered() {
        return in(new MetricRegistry());
    }

    void lookedUp(boolean hit) {
        (hit ? hits : misses).inc();
    }
}
