package org.parley.cache;

import java.time.Duration;
import java.util.Optional;

/**
 * A cache that keeps nothing: every read misses, leases are always granted, counters never count. For code
 * that runs outside a server (first-run setup, tools, tests reading the database directly), and for measuring
 * Parley with caching off.
 */
public final class NoCache implements Cache {
    public static final NoCache INSTANCE = new NoCache();

    private NoCache() {
    }

    @Override
    public boolean keeps() {
        return false;
    }

    @Override
    public Optional<String> get(String key) {
        return Optional.empty();
    }

    @Override
    public void set(String key, String value, Duration ttl) {
        Cache.ttlSeconds(ttl); // the same argument check as the real caches
    }

    @Override
    public boolean add(String key, String value, Duration ttl) {
        Cache.ttlSeconds(ttl);
        return true;
    }

    @Override
    public void raise(String key, long number, Duration ttl) {
        Cache.ttlSeconds(ttl);
    }

    @Override
    public void delete(String key) {
        // nothing is kept, so nothing to forget
    }

    @Override
    public long incr(String key, Duration ttl) {
        Cache.ttlSeconds(ttl);
        return NOT_COUNTED;
    }
}
