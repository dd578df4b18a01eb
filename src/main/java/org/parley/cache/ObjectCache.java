package org.parley.cache;

import org.parley.data.DatabaseUnavailable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Rows that pages read on every request and that rarely change (a site, an account), kept in the cache as text
 * for a short time, so a page skips their queries. Whoever changes such a row calls {@link #invalidate} after
 * the write; a change made behind Parley's back (SQL by hand) shows within the TTL.
 *
 * <p>Only found rows are cached: a name that does not exist costs its query each time, and creating it needs no
 * invalidation to be seen.
 *
 * <p>Each load also keeps a last-known copy for {@link #LAST_KNOWN_TTL}. It is read only when the database cannot
 * be reached ({@link DatabaseUnavailable}): a page whose site entry expired during an outage is still served
 * from the cache with the site as it was, rather than failing for a row that almost never changes.
 *
 * @param <T> the record; {@code encode}/{@code decode} turn it into text and back (see {@link TextRecord})
 */
public final class ObjectCache<T> {
    /** How long a last-known copy is kept for outages: longer than any outage worth riding out. */
    static final Duration LAST_KNOWN_TTL = Duration.ofDays(1);
    private static final Logger log = LoggerFactory.getLogger(ObjectCache.class);

    private final Cache cache;
    private final String kind;
    private final String version;
    private final Duration ttl;
    private final Function<T, String> encode;
    private final Function<String, T> decode;
    private final AtomicBoolean warnedUnreadable = new AtomicBoolean();

    /** @param formatVersion goes into every key: bump it whenever encode's output changes */
    public ObjectCache(Cache cache, String kind, int formatVersion, Duration ttl, Function<T, String> encode,
                       Function<String, T> decode) {
        this.cache = cache;
        this.kind = kind;
        this.version = "v" + formatVersion;
        this.ttl = ttl;
        this.encode = encode;
        this.decode = decode;
        CacheKeys.of(kind); // a bad kind fails here, at wiring, not on the first request
    }

    /** The cached record for id, else what load finds (cached when found). */
    public Optional<T> get(Object id, Supplier<Optional<T>> load) {
        return get(id, cache.get(key(id)), load);
    }

    /**
     * {@link #get} with the cache's answer for {@link #key key(id)} already read, together with other keys in one
     * round trip: empty when the cache does not hold it.
     */
    public Optional<T> get(Object id, Optional<String> cached, Supplier<Optional<T>> load) {
        String key = key(id);
        if (cached.isPresent()) {
            try {
                return Optional.of(decode.apply(cached.get()));
            } catch (RuntimeException e) {
                unreadable(key, e); // then load it afresh, which overwrites the bad value
            }
        }
        Optional<T> loaded;
        try {
            loaded = load.get();
        } catch (RuntimeException e) {
            Optional<T> lastKnown = DatabaseUnavailable.causeOf(e).isPresent() ? lastKnown(id) : Optional.empty();
            if (lastKnown.isEmpty()) {
                throw e;
            }
            return lastKnown;
        }
        loaded.ifPresent(value -> {
            String text = encode.apply(value);
            cache.set(key, text, ttl);
            cache.set(lastKnownKey(id), text, LAST_KNOWN_TTL);
        });
        return loaded;
    }

    /** Forgets the record for id, after a write that changed it (its last-known copy too: it is wrong now). */
    public void invalidate(Object id) {
        cache.delete(key(id));
        cache.delete(lastKnownKey(id));
    }

    /** The cache key the record for id is kept under. */
    public String key(Object id) {
        return CacheKeys.of(kind, version, id);
    }

    private String lastKnownKey(Object id) {
        return CacheKeys.of("last-known", kind, version, id);
    }

    private Optional<T> lastKnown(Object id) {
        String key = lastKnownKey(id);
        Optional<String> text = cache.get(key);
        try {
            return text.map(decode);
        } catch (RuntimeException e) {
            unreadable(key, e);
            return Optional.empty();
        }
    }

    private void unreadable(String key, RuntimeException e) {
        if (warnedUnreadable.compareAndSet(false, true)) {
            log.warn("Cached {} at {} cannot be read ({}); reading the database instead. Was its format changed"
                    + " without a new format version? (logged once)", kind, key, e.getMessage());
        }
    }
}
