package org.parley.cache;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import org.parley.data.QueryStats;

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
        found(hit ? 1 : 0, hit ? 0 : 1);
    }

    /** Counts lookups for the instance and for the request being served (the query inspector shows them). */
    void found(int hitCount, int missCount) {
        hits.inc(hitCount);
        misses.inc(missCount);
        QueryStats request = QueryStats.current();
        if (request != null) {
            request.cacheLookups(hitCount, missCount);
        }
    }
}
