package org.parley.discussion;

import org.parley.cache.Cache;
import org.parley.cache.CacheKeys;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.parley.web.Precompressed;

/**
 * The shared thread page's whole bytes, cached under the thread's version and the page's {@link PageTags#variant}
 * (the same hash its ETag ends in), so a hot page is served as stored bytes: no SQL when {@link ThreadVersions}
 * knows the version, no template, no encoding (docs/caching.md, "Whole pages").
 *
 * <p>Stored in the shared {@link Cache} (text, like every value there) with the comment list's lease protection
 * ({@link CommentListCache#fetch}): one render per change however many visitors ask, and those who ask while it
 * renders wait for it rather than get the previous version. This process also keeps the encoded bytes of the
 * pages it served lately ({@link #MEMO_BYTES} at most), with their gzip and brotli forms made once as they are
 * kept: a key names one version of one variant, whose bytes never change, so the copy cannot be stale; it spares
 * decoding and re-encoding a ~200 KB value, and compressing it, on every view. Invalidation stays the version: a
 * write bumps it and the next view asks for a key nobody wrote.
 */
final class PageCache {
    /** Bounds the in-process copies: about seventy 200 KB pages with their gzip and brotli forms. */
    static final long MEMO_BYTES = 16L * 1024 * 1024;
    /** How long the outage pointer outlives the last render of a variant: as long as a stored page may live. */
    static final Duration LATEST_TTL = CommentListCache.FRAGMENT_TTL;

    /** A page's keys: by thread (readable in a dump) and variant. */
    record Page(long threadId, String variant) implements CommentListCache.Keys {
        @Override
        public String key(long version) {
            return CacheKeys.of("page", threadId, "v" + version, variant);
        }

        @Override
        public String leaseKey(long version) {
            return CacheKeys.of("page-lease", threadId, "v" + version, variant);
        }

        /** The newest version of this variant anyone stored: only for serving while PostgreSQL is away. */
        String latestKey() {
            return CacheKeys.of("page-latest", threadId, variant);
        }
    }

    /** A stored page and the version it holds. */
    record Served(long version, Precompressed page) {
    }

    private final Cache cache;
    private final CommentListCache renders;
    private final Map<String, Precompressed> memo = new LinkedHashMap<>(64, 0.75f, true);
    private final long memoLimit;
    private long memoBytes;

    PageCache(Cache cache) {
        this.cache = cache;
        this.renders = new CommentListCache(cache);
        // PARLEY_CACHE=off means no cache of any kind (the benchmark's every-request-from-PostgreSQL row): no copies
        this.memoLimit = cache.keeps() ? MEMO_BYTES : 0;
    }

    /** The stored page at exactly this version, without rendering; empty when nobody stored it yet. */
    Optional<Precompressed> stored(Page page, long version) {
        String key = page.key(version);
        Precompressed known = remembered(key);
        if (known != null) {
            return Optional.of(known);
        }
        return cache.get(key).map(text -> remember(key, text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The newest version of the page anyone stored, whatever the thread's version is now: for serving a page while
     * the database cannot be asked for the current one (sent uncacheable and without an ETag, so nothing confirms
     * it as current later). Never used while the database answers: a stale page for a visitor after their write
     * is the defect docs/caching.md "Versions never run ahead of content" is about.
     */
    Optional<Served> latest(Page page) {
        String latest = cache.get(page.latestKey()).orElse(null);
        if (latest == null || !latest.matches("\\d{1,18}")) {
            return Optional.empty();
        }
        long version = Long.parseLong(latest);
        return stored(page, version).map(stored -> new Served(version, stored));
    }

    /**
     * The page at version, stored or rendered (once per version across instances, with the list's lease: others
     * wait for that render). Never another version's page: render must build it from the thread row at version and
     * a comment list at least that new, which is what the stored page then claims to be.
     */
    Precompressed fetch(Page page, long version, Supplier<byte[]> render) {
        String key = page.key(version);
        Precompressed known = remembered(key);
        if (known != null) {
            return known;
        }
        boolean[] renderedHere = new boolean[1];
        byte[] found = renders.fetch(page, version, () -> {
            renderedHere[0] = true;
            return render.get();
        });
        if (renderedHere[0]) {
            // only forward: a render finishing late must not point outage readers at an older page
            cache.raise(page.latestKey(), version, LATEST_TTL);
        }
        return remember(key, found);
    }

    private synchronized Precompressed remembered(String key) {
        return memo.get(key);
    }

    /**
     * Keeps the page with its compressed forms, made here once (about 5 ms for 200 KB, outside the lock; two
     * requests for the same new page may both compress it). A page that will not be kept is sent plain, and the
     * compression handler compresses it per request, as before.
     */
    private Precompressed remember(String key, byte[] bytes) {
        if (bytes.length > memoLimit / 4) {
            return Precompressed.plain(bytes);
        }
        Precompressed page = Precompressed.of(bytes);
        synchronized (this) {
            Precompressed old = memo.put(key, page);
            memoBytes += page.size() - (old == null ? 0 : old.size());
            var eldest = memo.entrySet().iterator();
            while (memoBytes > memoLimit && eldest.hasNext()) {
                memoBytes -= eldest.next().getValue().size();
                eldest.remove();
            }
        }
        return page;
    }
}
