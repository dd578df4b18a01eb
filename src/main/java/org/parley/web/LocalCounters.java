package org.parley.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counters in this process's memory: right for one instance, and the fallback until the Memcached store exists.
 *
 * Bounded, because subjects come from the outside: a flood from many addresses makes a counter per address. At
 * the bound, expired counters are dropped first; if that is not enough, a tenth of the live ones are forgotten
 * (as Memcached itself evicts under memory pressure), so limits loosen for a while instead of memory running
 * out. That is logged once per episode.
 */
public final class LocalCounters implements CounterStore {
    /** About 20 MB at the bound: the longest window is an hour, so this is 100 000 subjects in an hour. */
    public static final int DEFAULT_MAX_ENTRIES = 100_000;
    private static final int EVICT_DIVISOR = 10;
    private static final Logger log = LoggerFactory.getLogger(LocalCounters.class);

    private final ConcurrentHashMap<String, Count> counters = new ConcurrentHashMap<>();
    private final Clock clock;
    private final int maxEntries;
    private boolean evicting; // guarded by this

    public LocalCounters(Clock clock, int maxEntries) {
        if (maxEntries < EVICT_DIVISOR) {
            throw new IllegalArgumentException("maxEntries must be at least " + EVICT_DIVISOR + ", got " + maxEntries);
        }
        this.clock = clock;
        this.maxEntries = maxEntries;
    }

    public LocalCounters(Clock clock) {
        this(clock, DEFAULT_MAX_ENTRIES);
    }

    @Override
    public Count increment(String key, Duration window) {
        Instant now = clock.instant();
        if (counters.size() >= maxEntries && !counters.containsKey(key)) {
            makeRoom(now);
        }
        return counters.compute(key, (k, count) -> count == null || expired(count, now)
                ? new Count(1, now.plus(window))
                : new Count(count.value() + 1, count.resetsAt()));
    }

    @Override
    public Optional<Count> peek(String key) {
        Count count = counters.get(key);
        return count == null || expired(count, clock.instant()) ? Optional.empty() : Optional.of(count);
    }

    @Override
    public void reset(String key) {
        counters.remove(key);
    }

    /** Counters held now, expired ones included until the next sweep. */
    public int size() {
        return counters.size();
    }

    private synchronized void makeRoom(Instant now) {
        if (counters.size() < maxEntries) {
            return; // another thread made room meanwhile
        }
        counters.values().removeIf(count -> expired(count, now));
        int target = maxEntries - maxEntries / EVICT_DIVISOR;
        if (counters.size() <= target) {
            evicting = false;
            return;
        }
        if (!evicting) {
            log.warn("Rate-limit counters are full ({} subjects, the bound is {}): forgetting live counters, so"
                    + " limits are looser until the flood passes", counters.size(), maxEntries);
            evicting = true;
        }
        Iterator<String> keys = counters.keySet().iterator();
        while (counters.size() > target && keys.hasNext()) {
            keys.next();
            keys.remove();
        }
    }

    private static boolean expired(Count count, Instant now) {
        return !now.isBefore(count.resetsAt());
    }
}
