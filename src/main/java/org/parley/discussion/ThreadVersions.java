package org.parley.discussion;

import org.parley.cache.Cache;
import org.parley.cache.CacheKeys;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Each thread's current version in the cache, so that a conditional GET can be answered 304 before any SQL: the
 * page's address gives (site, key) → thread id ({@code thread-id}, which never changes) → version
 * ({@code threadver}). Writers set the version after their transaction commits, before they answer; page views
 * repair it from the row they read, so a lost write (cache down at the time) lasts until the next page view or
 * {@link #VERSION_TTL}. Both only ever raise it ({@link Cache#raise}): once a write is acknowledged the cache names
 * its version or a newer one, and no page stored under an older version is served as current.
 * A miss on either key only means the page is served the ordinary way.
 */
public final class ThreadVersions {
    /** Bounds how long a version whose update was lost can answer 304 for an older page. */
    static final Duration VERSION_TTL = Duration.ofSeconds(60);
    static final Duration ID_TTL = Duration.ofDays(1);

    /** Thread ids this process has looked up lately: at most this many (about 100 bytes each). */
    static final int LOCAL_IDS = 10_000;

    private final Cache cache;
    private final org.parley.edge.EdgePurges edgePurges;
    /**
     * (site, key) → thread id as this process last read it. An id never changes, so a local copy is as right as
     * the cache's and spares one of the stored page's three round trips to Memcached; the version, which does
     * change, is always asked of the cache.
     */
    private final Map<String, Long> localIds = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > LOCAL_IDS;
        }
    };

    public ThreadVersions(Cache cache) {
        this(cache, org.parley.edge.EdgePurges.NONE);
    }

    /**
     * @param edgePurges the edge in front of the pages keeps them by thread as this cache keeps their versions:
     *                   whoever bumps a version through these versions ({@link ThreadWrites}) purges it there too
     */
    public ThreadVersions(Cache cache, org.parley.edge.EdgePurges edgePurges) {
        this.cache = cache;
        this.edgePurges = edgePurges;
    }

    /** What {@link ThreadWrites} queues a purge of the edge through (nothing without an edge). */
    org.parley.edge.EdgePurges edgePurges() {
        return edgePurges;
    }

    /**
     * After a committed write that bumped the thread's version to version. Only ever forward: two writers of one
     * thread may finish in either order, and the one that committed first must not set its older version last
     * (the stored page of that older version, without the other's comment, would then be served as current).
     */
    public void written(long threadId, long version) {
        cache.raise(versionKey(threadId), version, VERSION_TTL);
    }

    /**
     * The cached versions of many threads in one round trip (live updates ask this twice a second for every thread
     * someone is watching on this instance). A thread whose version key has expired (quiet for a minute) is
     * absent: nothing has changed that a watcher needs to hear of.
     */
    public Map<Long, Long> versions(java.util.Collection<Long> threadIds) {
        Map<String, Long> byKey = new java.util.HashMap<>();
        threadIds.forEach(id -> byKey.put(versionKey(id), id));
        Map<Long, Long> found = new java.util.HashMap<>();
        cache.getMulti(List.copyOf(byKey.keySet())).forEach((key, text) ->
                number(text).ifPresent(v -> found.put(byKey.get(key), v)));
        return found;
    }

    /**
     * A page view read this thread row: make sure the cache knows where it is and what version it has.
     *
     * @return false when the cache already names a newer version than the row: the row came from a replica that has
     * not replayed the latest write yet, so the page is behind (correctly tagged, but not for an edge to keep long)
     */
    public boolean seen(String siteName, CommentThread thread) {
        String idKey = idKey(siteName, thread.key());
        String versionKey = versionKey(thread.id());
        remember(idKey, thread.id());
        Map<String, String> found = cache.getMulti(List.of(idKey, versionKey));
        if (!Long.toString(thread.id()).equals(found.get(idKey))) {
            cache.set(idKey, Long.toString(thread.id()), ID_TTL);
        }
        OptionalLong cached = number(found.get(versionKey));
        // only ever forward, and atomically so (raise): a row read before a write committed must not undo the
        // writer's newer version, whether it was read from a lagging replica or merely set after the writer's
        if (cached.isEmpty() || cached.getAsLong() < thread.version()) {
            cache.raise(versionKey, thread.version(), VERSION_TTL);
        }
        return cached.isEmpty() || cached.getAsLong() <= thread.version();
    }

    /** A thread's id and version as the cache knows them. */
    public record Known(long threadId, long version) {
    }

    /** The thread's id and version as the cache knows them, without SQL; empty when it does not. */
    public Optional<Known> current(String siteName, String key) {
        String idKey = idKey(siteName, key);
        Long local = localId(idKey);
        OptionalLong id = local != null ? OptionalLong.of(local) : number(cache.get(idKey).orElse(null));
        if (id.isEmpty()) {
            return Optional.empty();
        }
        if (local == null) {
            remember(idKey, id.getAsLong());
        }
        OptionalLong version = number(cache.get(versionKey(id.getAsLong())).orElse(null));
        return version.isEmpty() ? Optional.empty() : Optional.of(new Known(id.getAsLong(), version.getAsLong()));
    }

    /**
     * The key of the thread's version when this process knows the thread's id (its own copy), for reading it
     * together with other keys in one round trip; {@link #known} reads the answer.
     */
    Optional<Unread> unread(String siteName, String key) {
        Long local = localId(idKey(siteName, key));
        return local == null ? Optional.empty() : Optional.of(new Unread(local, versionKey(local)));
    }

    /** A thread whose id this process knows, and the key its version is kept under. */
    record Unread(long threadId, String versionKey) {
    }

    /** What {@link #current} says, from the cache's answer for {@code thread}'s version key (null: not there). */
    Optional<Known> known(Unread thread, String versionText) {
        OptionalLong version = number(versionText);
        return version.isEmpty() ? Optional.empty() : Optional.of(new Known(thread.threadId(), version.getAsLong()));
    }

    /**
     * The thread's id alone (this process's copy, else the cache's), without its version: what the stale page of an
     * outage needs, since the version key is short-lived and may have expired meanwhile.
     */
    OptionalLong knownId(String siteName, String key) {
        String idKey = idKey(siteName, key);
        Long local = localId(idKey);
        return local != null ? OptionalLong.of(local) : number(cache.get(idKey).orElse(null));
    }

    private synchronized Long localId(String idKey) {
        return localIds.get(idKey);
    }

    private synchronized void remember(String idKey, long threadId) {
        localIds.put(idKey, threadId);
    }

    private static OptionalLong number(String text) {
        return text != null && text.matches("\\d{1,18}") ? OptionalLong.of(Long.parseLong(text)) : OptionalLong.empty();
    }

    private static String idKey(String siteName, String key) {
        return CacheKeys.of("thread-id", siteName, key);
    }

    private static String versionKey(long threadId) {
        return CacheKeys.of("threadver", threadId);
    }
}
