package org.parley.thread;

import org.parley.cache.Cache;
import org.parley.cache.CacheKeys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The rendered comment list of a guest's thread page, cached under a key that names the thread's version: a write
 * bumps the version, so the next page view asks for a key nobody has written yet and renders the list afresh.
 * Nothing is ever deleted; old versions age out (or are evicted first, being unread).
 *
 * <p>A hot thread must not send every visitor to PostgreSQL when its list changes. So on a miss one request takes
 * a lease ({@link Cache#add}) and renders; the others serve the previous version's list, found through a
 * per-variant pointer to the last version rendered, or, when there is none, wait up to {@link #WAIT} for the
 * renderer before rendering themselves. A request that must see the newest version (the writer's own redirect)
 * never takes the previous version: it waits or renders. With the cache down every {@code add} is granted, so
 * every request renders — slower, never waiting on a lease nobody holds.
 */
final class CommentListCache {
    /** How long a rendered list is kept; a newer version makes it unread long before. */
    static final Duration FRAGMENT_TTL = Duration.ofMinutes(10);
    /** Longer than any render; a renderer that dies holding it only delays the others by this much. */
    static final Duration LEASE_TTL = Duration.ofSeconds(5);
    static final Duration WAIT = Duration.ofMillis(200);
    private static final int WAIT_POLLS = 8;
    private static final HexFormat HEX = HexFormat.of();

    /**
     * Everything besides the version that the list's HTML depends on. {@code pageUrl} is the page's own address
     * (embed or standalone, theme, the host page's url and title, sort, cursor): it is in every link of the list,
     * so it is part of the key, hashed; the readable parts are there for {@code memcached-tool … dump}.
     */
    record Variant(long threadId, String sort, String after, String locale, String mode, String theme,
                   boolean closed, String pageUrl) implements Keys {

        @Override
        public String key(long version) {
            return CacheKeys.of("frag", threadId, "v" + version, sort, after, locale, mode, theme, rest());
        }

        @Override
        public String latestKey() {
            return CacheKeys.of("frag-latest", threadId, sort, after, locale, mode, theme, rest());
        }

        @Override
        public String leaseKey(long version) {
            return CacheKeys.of("frag-lease", threadId, "v" + version, sort, after, locale, mode, theme, rest());
        }

        private String rest() {
            return (closed ? "closed-" : "open-") + shortHash(pageUrl);
        }
    }

    private final Cache cache;

    CommentListCache(Cache cache) {
        this.cache = cache;
    }

    /** The three keys a versioned render is stored under (the list's here, the whole page's in PageCache). */
    interface Keys {
        /** The render of this version. */
        String key(long version);

        /** The last version rendered, for losers of a lease to serve meanwhile. */
        String latestKey();

        /** Who renders this version. */
        String leaseKey(long version);
    }

    /** A render and the version it is of (older than asked for while another request renders the new one). */
    record Rendered(long version, String text) {
    }

    /**
     * The list for this variant at version, from the cache or from render (which is then stored).
     *
     * @param newest true when the previous version must not be served (the request follows the viewer's own write)
     */
    String get(Variant variant, long version, boolean newest, Supplier<String> render) {
        return fetch(variant, version, newest, render).text();
    }

    /** The render under keys at version, or (while another request renders it) the previous version's. */
    Rendered fetch(Keys keys, long version, boolean newest, Supplier<String> render) {
        String key = keys.key(version);
        Map<String, String> found = cache.getMulti(List.of(key, keys.latestKey()));
        String hit = found.get(key);
        if (hit != null) {
            return new Rendered(version, hit);
        }
        if (cache.add(keys.leaseKey(version), "1", LEASE_TTL)) {
            return renderAndStore(keys, version, render);
        }
        if (!newest) {
            Optional<Rendered> previous = previous(found.get(keys.latestKey()), keys, version);
            if (previous.isPresent()) {
                return previous.get();
            }
        }
        for (int i = 0; i < WAIT_POLLS; i++) {
            if (!pause()) {
                break;
            }
            Optional<String> rendered = cache.get(key);
            if (rendered.isPresent()) {
                return new Rendered(version, rendered.get());
            }
        }
        return renderAndStore(keys, version, render); // the lease holder is slow or gone
    }

    private Optional<Rendered> previous(String latest, Keys keys, long version) {
        if (latest == null || !latest.matches("\\d{1,18}")) {
            return Optional.empty();
        }
        long previous = Long.parseLong(latest);
        // a pointer ahead of us came from a newer row than ours (a lagging read): render rather than guess
        return previous < version
                ? cache.get(keys.key(previous)).map(text -> new Rendered(previous, text))
                : Optional.empty();
    }

    private Rendered renderAndStore(Keys keys, long version, Supplier<String> render) {
        String html = render.get();
        cache.set(keys.key(version), html, FRAGMENT_TTL);
        // two renderers may race and leave the older version here: it is then served only while a lease is held
        cache.set(keys.latestKey(), Long.toString(version), FRAGMENT_TTL);
        return new Rendered(version, html);
    }

    /** Sleeps one poll interval; false when interrupted (the flag is kept, and the caller renders at once). */
    private static boolean pause() {
        try {
            Thread.sleep(WAIT.dividedBy(WAIT_POLLS));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static String shortHash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HEX.formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
