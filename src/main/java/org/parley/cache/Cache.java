package org.parley.cache;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What Parley asks of a cache: strings under keys made by {@link CacheKeys}, each with a time to live. The
 * implementations are {@link MemcachedCache} and {@link RedisCache} (shared by every instance) and
 * {@link LocalCache} (this process).
 *
 * <p>The contract every caller relies on: <b>no method throws because the cache is slow or down</b>. An
 * unavailable cache behaves like an empty one that forgets what it is told, so a caller always has the database
 * to fall back on and never needs a try/catch. Nothing that must be right may live only in a cache.
 */
public interface Cache extends AutoCloseable {
    /** What {@link #incr} answers when it could not count (cache unavailable, or the value is not a number). */
    long NOT_COUNTED = 0;
    /** Memcached's default item size limit is 1 MiB including its own overhead; larger values are not stored. */
    int MAX_VALUE_BYTES = 1_000_000;
    /** Memcached reads a TTL over 30 days as an absolute Unix time; no Parley TTL needs to be that long. */
    Duration MAX_TTL = Duration.ofDays(30);

    /** The value under key, or empty when there is none, it expired, or the cache is unavailable. */
    Optional<String> get(String key);

    /**
     * The values of those keys that have one, in one round trip where the cache supports it; a key with no
     * value is absent from the map (and all are, when the cache is unavailable).
     */
    default Map<String, String> getMulti(Collection<String> keys) {
        Map<String, String> found = new LinkedHashMap<>();
        for (String key : keys) {
            get(key).ifPresent(value -> found.put(key, value));
        }
        return found;
    }

    /** Stores value under key for ttl, replacing what was there. Dropped silently when the cache is unavailable. */
    void set(String key, String value, Duration ttl);

    /**
     * Stores value under key only if the key holds nothing: the primitive behind leases ("one renderer at a time").
     *
     * @return true when this call stored it, <b>and also when the cache is unavailable</b>: a lease the cache
     *         cannot record is granted, so the caller renders from the database instead of waiting for a holder
     *         that cannot exist. That is the right answer for a lease and the wrong one for anything that must be
     *         exclusive, which is why nothing that must be exclusive may rely on a cache.
     */
    boolean add(String key, String value, Duration ttl);

    /**
     * Stores number under key unless the key already holds a number at least as large, atomically against every
     * other client's {@code raise}: for a value that may only move forward, such as a thread's version, which
     * writers and readers set concurrently and finish in any order. A plain {@code set} by each would let the last
     * to finish win, however old its number. A value that is not a number is replaced. Dropped silently when the
     * cache is unavailable; with Memcached, a few rounds of {@code gets}/{@code cas} (or {@code add} when absent).
     */
    void raise(String key, long number, Duration ttl);

    /** Removes key. Dropped silently when the cache is unavailable (the entry's TTL still bounds its life). */
    void delete(String key);

    /**
     * Adds one to the number under key, creating it at 1 with ttl when absent; the TTL is not extended by later
     * increments, so a counter lives ttl from its first event.
     *
     * @return the new value (1 or more), or {@link #NOT_COUNTED} when the cache could not count
     */
    long incr(String key, Duration ttl);

    /**
     * False only when nothing is ever kept ({@code PARLEY_CACHE=off}): a caller may then skip preparing a value
     * (encoding a page as text) that {@link #set} would drop.
     */
    default boolean keeps() {
        return true;
    }

    /** Releases connections; a no-op for caches that hold none. */
    @Override
    default void close() {
    }

    /** The TTL in whole seconds as Memcached takes it: rounded up, at least 1, at most {@link #MAX_TTL}. */
    static int ttlSeconds(Duration ttl) {
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("a cache TTL must be between 1 ms and " + MAX_TTL.toDays()
                    + " days, got " + ttl);
        }
        long seconds = ttl.toSeconds() + (ttl.toNanosPart() > 0 ? 1 : 0);
        return (int) Math.max(1, seconds);
    }
}
