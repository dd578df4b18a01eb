package org.parley.discussion;

import org.parley.cache.Cache;
import org.parley.cache.CacheKeys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The rendered comment list of a guest's thread page, cached under a key that names the thread's version: a write
 * bumps the version, so the next page view asks for a key nobody has written yet and renders the list afresh.
 * Nothing is ever deleted; old versions age out (or are evicted first, being unread).
 *
 * <p>A hot thread must not send every visitor to PostgreSQL when its list changes. So on a miss one request takes
 * a lease ({@link Cache#add}) and renders; the others wait for that render while the lease is held (the holder
 * drops it once the render is stored, or has failed), and render themselves only when the lease went without a
 * render stored (the holder failed, or the render was too large to keep) or after {@link #MAX_WAIT}. Nobody is
 * served the previous version: a request that arrives after a write was acknowledged must show it, so waiting for
 * the one render in progress is the price (docs/caching.md, "One render per change"). With the cache down every
 * {@code add} is granted, so every request renders — slower, never waiting on a lease nobody holds.
 *
 * <p>What is stored under a version was rendered from data at least that new: the render reads the thread row's
 * version first (the caller's), and the list afterwards, on the same server or the primary (RoutedReads keeps a
 * request's reads from going back in time), so a list may hold a write newer than its key, never lack one.
 */
final class CommentListCache {
    /** How long a rendered list is kept; a newer version makes it unread long before. */
    static final Duration FRAGMENT_TTL = Duration.ofMinutes(10);
    /** Longer than any render; a renderer that dies holding it only delays the others by this much. */
    static final Duration LEASE_TTL = Duration.ofSeconds(5);
    /** Waiting for another request's render stops here even if its lease is still seen. */
    static final Duration MAX_WAIT = LEASE_TTL.plusSeconds(1);
    /** The first pause between two looks for another request's render; each next is twice as long, to MAX_POLL. */
    static final Duration FIRST_POLL = Duration.ofMillis(2);
    static final Duration MAX_POLL = Duration.ofMillis(50);
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

    /** The two keys a versioned render is stored under (the list's here, the whole page's in PageCache). */
    interface Keys {
        /** The render of this version. */
        String key(long version);

        /** Who renders this version. */
        String leaseKey(long version);
    }

    /** The list for this variant at version (UTF-8), from the cache or from render (which is then stored). */
    byte[] get(Variant variant, long version, Supplier<byte[]> render) {
        return fetch(variant, version, render);
    }

    /**
     * The render under keys at version: stored, rendered by another request meanwhile, or rendered here and stored.
     * Never another version's.
     */
    byte[] fetch(Keys keys, long version, Supplier<byte[]> render) {
        if (!cache.keeps()) {
            // PARLEY_CACHE=off: no lease to take, and no text copy of the render for a store that drops it
            return render.get();
        }
        String key = keys.key(version);
        String lease = keys.leaseKey(version);
        long deadline = System.nanoTime() + MAX_WAIT.toNanos();
        Duration pause = FIRST_POLL;
        boolean waited = false;
        while (true) {
            Map<String, String> found = cache.getMulti(List.of(key, lease));
            if (found.containsKey(key)) {
                return found.get(key).getBytes(StandardCharsets.UTF_8);
            }
            if (!found.containsKey(lease)) {
                if (waited) {
                    // the holder is done and stored nothing (it failed, or the render is too large to keep): all of
                    // us render now, side by side, rather than one after another behind a new lease each
                    return renderAndStore(keys, version, render, false);
                }
                if (cache.add(lease, "1", LEASE_TTL)) {
                    return renderAndStore(keys, version, render, true);
                }
            }
            // another request renders this version (or took the lease just now): its render is what we serve
            waited = true;
            if (System.nanoTime() - deadline > 0 || !pause(pause)) {
                return renderAndStore(keys, version, render, false); // its holder is stuck: we waited long enough
            }
            pause = pause.multipliedBy(2).compareTo(MAX_POLL) > 0 ? MAX_POLL : pause.multipliedBy(2);
        }
    }

    private byte[] renderAndStore(Keys keys, long version, Supplier<byte[]> render, boolean holdingLease) {
        try {
            byte[] html = render.get();
            cache.set(keys.key(version), new String(html, StandardCharsets.UTF_8), FRAGMENT_TTL); // values are text
            return html;
        } finally {
            if (holdingLease) {
                // those waiting see the render now, or (it failed, or was too large to store) render themselves
                cache.delete(keys.leaseKey(version));
            }
        }
    }

    /** Sleeps one poll interval; false when interrupted (the flag is kept, and the caller renders at once). */
    private static boolean pause(Duration pause) {
        try {
            Thread.sleep(pause);
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
