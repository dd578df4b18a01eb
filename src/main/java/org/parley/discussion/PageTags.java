package org.parley.discussion;

import jakarta.servlet.http.HttpServletRequest;
import org.parley.build.BuildInfo;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HTTP caching of the shared thread page (docs/caching.md, "HTTP"): its ETag {@code "t{threadId}-v{version}-{hash}"},
 * where the hash covers what else the page's bytes depend on — this build (templates change with it), the page's
 * address and the language — and nothing about the visitor, because the shared page holds nothing of theirs.
 */
final class PageTags {
    /**
     * Guests' pages: any cache may keep them. Shared caches (nginx, a CDN) serve them for 10 s and then, for 30 s
     * more, while they revalidate in the background, so a viral thread reaches Parley a few times a minute per
     * cache, and what guests see lags a write by at most 10 s plus one revalidation (the writer's own redirect
     * carries {@code posted=}, a different address, and is never stored). Browsers revalidate on every view
     * ({@code max-age=0}): a 304 costs no SQL.
     */
    static final String PUBLIC_CACHE_CONTROL = "public, max-age=0, s-maxage=10, stale-while-revalidate=30";
    /** A signed-in viewer's copy of the shared page: the same bytes, but their request carries their session. */
    static final String SIGNED_IN_CACHE_CONTROL = "private, no-cache";
    /** A signed-in viewer without the script cookie gets their own page; so may a guest with an old cookie. */
    static final String VARY = "Cookie, Accept-Language";
    /** A build without a version (run from the source tree) gets one per process: it may have new templates. */
    private static final String RELEASE = BuildInfo.version().orElse("dev-" + UUID.randomUUID());
    /**
     * Variants hashed lately, by what they hash: every view of a hot page asks for the same one, and SHA-256 with
     * its provider lookup was about 2 % of a stored page's CPU (JFR, issue 18). A hash never changes for its text.
     * Bounded in count and in the length of what is kept (the query string is the visitor's to choose): at most
     * about 2 MB, however the addresses are padded.
     */
    private static final Map<String, String> VARIANTS = new ConcurrentHashMap<>();
    private static final int MAX_VARIANTS = 1_024;
    private static final int MAX_REMEMBERED_TEXT = 1_024;

    private PageTags() {
    }

    /**
     * @param siteStamp {@link #siteStamp} of the site as the page shows it: its settings (closed, guests allowed,
     *                  its name) and embed origins are on the page but not in the thread's version, so a settings
     *                  change in the console must change the tag by itself
     */
    static String etag(HttpServletRequest req, long threadId, long version, String siteStamp) {
        return etag(threadId, version, variant(req, siteStamp));
    }

    /** The tag of a page whose {@link #variant} is known. */
    static String etag(long threadId, long version, String variant) {
        return "\"t" + threadId + "-v" + version + "-" + variant + "\"";
    }

    /**
     * A hash of everything but the thread's version that the shared page's bytes depend on: the tag's last part
     * and, so that the two cannot drift apart, the whole-page cache's key ({@link PageCache}).
     */
    static String variant(HttpServletRequest req, String siteStamp) {
        String query = req.getQueryString();
        String input = RELEASE + "|" + req.getRequestURI() + "?" + (query == null ? "" : query)
                + "|" + org.parley.web.Languages.of(req).toLanguageTag() + "|" + siteStamp;
        if (input.length() > MAX_REMEMBERED_TEXT) {
            return CommentListCache.shortHash(input);
        }
        String known = VARIANTS.get(input);
        if (known == null) {
            known = CommentListCache.shortHash(input);
            if (VARIANTS.size() >= MAX_VARIANTS) {
                VARIANTS.clear(); // forgetting costs one hash each
            }
            VARIANTS.put(input, known);
        }
        return known;
    }

    /** Everything of the site a thread page depends on (the record's every field, and who may frame it). */
    static String siteStamp(org.parley.site.Site site, java.util.List<String> frameAncestors) {
        return site + "|" + frameAncestors;
    }

    /** Does If-None-Match name this tag? (Weak or strong, and as the compression handler may have suffixed it.) */
    static boolean matches(HttpServletRequest req, String etag) {
        String header = req.getHeader("If-None-Match");
        if (header == null) {
            return false;
        }
        String bare = etag.substring(1, etag.length() - 1);
        for (String candidate : header.split(",")) {
            String tag = candidate.strip();
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.startsWith("\"") && tag.endsWith("\"") && tag.length() >= 2) {
                tag = tag.substring(1, tag.length() - 1);
            }
            if (tag.equals(bare) || tag.equals(bare + "--gzip") || tag.equals(bare + "--br")) {
                return true;
            }
        }
        return false;
    }
}
