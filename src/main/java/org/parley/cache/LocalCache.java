package org.parley.cache;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The cache of one process: the embedded default's stand-in for Memcached, with the same contract, so code
 * written against {@link Cache} behaves the same on a laptop and behind a balancer (minus the sharing).
 *
 * <p>Bounded by an approximate size in bytes, because what is cached may be large (rendered fragments) and keys
 * come from the outside. At the bound it drops expired entries first, then the least recently used, down to
 * nine tenths of the bound, so the sweep's cost is spread over many inserts. One lock guards it: an access-ordered
 * map is simplest to get right, and one instance's cache is never the bottleneck that Memcached is there for.
 */
public final class LocalCache implements Cache {
    /** 64 MiB: the same as the memcached the tests start, and small beside a JVM's heap. */
    public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;
    /** What an entry costs beyond its characters: the map node, the entry record, two string headers. */
    private static final int ENTRY_OVERHEAD_BYTES = 120;
    private static final int EVICT_DIVISOR = 10;

    private record Entry(String value, Instant expiresAt, long bytes) {
    }

    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(256, 0.75f, true); // guarded by this
    private final Clock clock;
    private final long maxBytes;
    private final CacheMetrics metrics;
    private long bytes; // guarded by this

    public LocalCache(Clock clock, long maxBytes, CacheMetrics metrics) {
        if (maxBytes < 1024) {
            throw new IllegalArgumentException("a local cache needs at least 1024 bytes, got " + maxBytes);
        }
        this.clock = clock;
        this.maxBytes = maxBytes;
        this.metrics = metrics;
    }

    public LocalCache(Clock clock, CacheMetrics metrics) {
        this(clock, DEFAULT_MAX_BYTES, metrics);
    }

    @Override
    public synchronized Optional<String> get(String key) {
        Entry entry = live(key, clock.instant());
        metrics.lookedUp(entry != null);
        return entry == null ? Optional.empty() : Optional.of(entry.value());
    }

    @Override
    public synchronized void set(String key, String value, Duration ttl) {
        put(key, value, ttl);
    }

    @Override
    public synchronized boolean add(String key, String value, Duration ttl) {
        if (live(key, clock.instant()) != null) {
            return false;
        }
        return put(key, value, ttl);
    }

    @Override
    public synchronized void raise(String key, long number, Duration ttl) {
        Entry entry = live(key, clock.instant());
        if (entry == null || !atLeast(entry.value(), number)) {
            put(key, Long.toString(number), ttl);
        }
    }

    @Override
    public synchronized void delete(String key) {
        remove(key);
    }

    @Override
    public synchronized long incr(String key, Duration ttl) {
        Instant now = clock.instant();
        Entry entry = live(key, now);
        if (entry == null) {
            put(key, "1", ttl);
            return 1;
        }
        long next;
        try {
            next = Long.parseLong(entry.value().strip()) + 1;
        } catch (NumberFormatException e) {
            return NOT_COUNTED; // as Memcached: a counter must hold a number
        }
        replace(key, new Entry(Long.toString(next), entry.expiresAt(), weight(key, Long.toString(next))));
        return next;
    }

    /** Does value hold a number of at least number? (Memcached's counters are unsigned decimal text.) */
    static boolean atLeast(String value, long number) {
        try {
            return Long.parseLong(value.strip()) >= number;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Entries held now, expired ones included until they are looked up or swept. */
    public synchronized int size() {
        return entries.size();
    }

    /** The approximate bytes held, which the bound applies to. */
    public synchronized long bytes() {
        return bytes;
    }

    private Entry live(String key, Instant now) {
        Entry entry = entries.get(key);
        if (entry != null && !now.isBefore(entry.expiresAt())) {
            remove(key);
            return null;
        }
        return entry;
    }

    /** @return false when value is too large to keep (nothing is stored then, and the old value is gone) */
    private boolean put(String key, String value, Duration ttl) {
        Duration kept = Duration.ofSeconds(Cache.ttlSeconds(ttl)); // whole seconds, as Memcached keeps them
        if (value.length() > MAX_VALUE_BYTES / 3 && value.getBytes(StandardCharsets.UTF_8).length > MAX_VALUE_BYTES) {
            remove(key); // too large for Memcached: behave the same here, and drop the stale value
            return false;
        }
        replace(key, new Entry(value, clock.instant().plus(kept), weight(key, value)));
        if (bytes > maxBytes) {
            makeRoom();
        }
        return true;
    }

    private void replace(String key, Entry entry) {
        Entry old = entries.put(key, entry);
        bytes += entry.bytes() - (old == null ? 0 : old.bytes());
    }

    private void remove(String key) {
        Entry old = entries.remove(key);
        if (old != null) {
            bytes -= old.bytes();
        }
    }

    private void makeRoom() {
        Instant now = clock.instant();
        long target = maxBytes - maxBytes / EVICT_DIVISOR;
        entries.values().removeIf(entry -> {
            boolean expired = !now.isBefore(entry.expiresAt());
            if (expired) {
                bytes -= entry.bytes();
            }
            return expired;
        });
        Iterator<Map.Entry<String, Entry>> eldest = entries.entrySet().iterator(); // least recently used first
        while (bytes > target && eldest.hasNext()) {
            bytes -= eldest.next().getValue().bytes();
            eldest.remove();
        }
    }

    private static long weight(String key, String value) {
        return ENTRY_OVERHEAD_BYTES + 2L * (key.length() + value.length());
    }
}
