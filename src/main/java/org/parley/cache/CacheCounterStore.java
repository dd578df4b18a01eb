package org.parley.cache;

import org.parley.web.CounterStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rate-limit windows and sign-in lockouts in the shared cache, so every instance behind the balancer counts the
 * same events: a client cannot multiply its allowance by the number of instances.
 *
 * <p>A counter is two keys: the count ({@code incr}, created at 1 with the window as its TTL, so the window
 * starts at the first event as with {@code LocalCounters}) and, written by whoever created the count, the moment
 * it resets, because Memcached's text protocol cannot tell a key's remaining TTL and a refusal must say when to
 * retry. An increment costs two round trips (incr, then set or get); a peek one (both keys in one get).
 * Should the reset moment be missing (evicted, or its write failed), the answer is approximate: the whole window
 * from now for an increment, {@link #UNKNOWN_RESET} from now for a peek — a Retry-After too late, never too early.
 *
 * <p><b>Fails open.</b> When the cache cannot count, {@code increment} answers a count of 0 and {@code peek}
 * finds nothing, so limits and lockouts are off for the duration of an outage. The alternative, refusing
 * everyone, would turn a cache outage into a site outage; abuse control may loosen, commenting must go on.
 */
public final class CacheCounterStore implements CounterStore {
    /** The Retry-After a peek reports when the reset moment was lost: the longest lockout Parley uses. */
    public static final Duration UNKNOWN_RESET = Duration.ofMinutes(15);
    private static final String COUNT = "counter";
    private static final String RESETS_AT = "counter-end";

    private final Cache cache;
    private final Clock clock;

    public CacheCounterStore(Cache cache, Clock clock) {
        this.cache = cache;
        this.clock = clock;
    }

    @Override
    public Count increment(String key, Duration window) {
        Instant now = clock.instant();
        long value = cache.incr(countKey(key), window);
        if (value == Cache.NOT_COUNTED) {
            return new Count(0, now.plus(window)); // fail open: nothing counted, nothing refused
        }
        Instant windowEnd = now.plusSeconds(Cache.ttlSeconds(window)); // Memcached keeps whole seconds
        if (value == 1) {
            cache.set(resetKey(key), Long.toString(windowEnd.toEpochMilli()), window);
            return new Count(1, windowEnd);
        }
        return new Count(value, cache.get(resetKey(key)).flatMap(CacheCounterStore::instant).orElse(windowEnd));
    }

    @Override
    public Optional<Count> peek(String key) {
        Instant now = clock.instant();
        String countKey = countKey(key);
        String resetKey = resetKey(key);
        Map<String, String> found = cache.getMulti(List.of(countKey, resetKey));
        Optional<Long> value = number(found.get(countKey));
        if (value.isEmpty()) {
            return Optional.empty();
        }
        Instant resetsAt = instant(found.get(resetKey)).orElse(now.plus(UNKNOWN_RESET));
        // the two keys expire up to a second apart: a count whose window is over is gone
        return resetsAt.isAfter(now) ? Optional.of(new Count(value.get(), resetsAt)) : Optional.empty();
    }

    @Override
    public void reset(String key) {
        cache.delete(countKey(key)); // the reset moment is rewritten by the next first event, or expires
    }

    /** CounterStore keys are {@code kind:…:hex}; split on ':' they become key parts and stay readable. */
    private static String countKey(String key) {
        return CacheKeys.of(COUNT, (Object[]) key.split(":", -1));
    }

    private static String resetKey(String key) {
        return CacheKeys.of(RESETS_AT, (Object[]) key.split(":", -1));
    }

    private static Optional<Instant> instant(String millis) {
        return number(millis).map(Instant::ofEpochMilli);
    }

    private static Optional<Long> number(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(text.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty(); // not ours (or damaged): as good as absent
        }
    }
}
