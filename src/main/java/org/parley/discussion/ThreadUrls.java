package org.parley.discussion;


import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The public URLs of a thread — a contract with host sites and bookmarks, so they are built in one place:
 * {@code /t/{site}/{key}} standalone, {@code /embed/{site}?key=…&url=…&title=…} in the host page's iframe,
 * {@code #comment-{id}} for one comment.
 *
 * <p>A key is any text a host page chose (often its path, "/2024/11/post/"), but a path segment cannot carry
 * every text: browsers and Jetty remove {@code .} and {@code ..} segments, Jetty refuses {@code %25} and
 * {@code %5C}, and {@code %2F} is read as a separator by some proxies and by Jetty's own redirects. So the
 * standalone page writes a key one of two ways ({@link #keySegment}): a <em>plain</em> key percent-encoded as it
 * always was ({@code post-42}, {@code caf%C3%A9}, {@code q%3Fx}), any other key as {@code ~} and the base64url of
 * its UTF-8 bytes ({@code ~LzIwMjQvMTEvcG9zdC8}), which only uses letters, digits, {@code -} and {@code _}.
 * Reading accepts both ({@link #keyOf}), so links made before, with {@code %2F}, still open their thread.
 */
public final class ThreadUrls {
    private static final String EMBED_PREFIX = "/embed/";
    /** Starts a key written as base64url; percent-encoding never wrote a raw "~" (it writes %7E). */
    private static final String ENCODED_KEY = "~";

    private ThreadUrls() {
    }

    public static String standalone(String site, String key) {
        return "/t/" + segment(site) + "/" + keySegment(key);
    }

    /**
     * A thread key as one path segment: percent-encoded when it is plain, else {@code ~} + base64url. Plain means
     * that every browser, proxy and Jetty passes the encoded segment on unchanged: no "/", "\" or "%" (written
     * %2F, %5C, %25), no control character, not "." or "..", and no leading "~" (which marks the other form).
     */
    public static String keySegment(String key) {
        if (plain(key)) {
            return segment(key);
        }
        return ENCODED_KEY + Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The key a percent-decoded path segment names: the base64url form when the segment is exactly what
     * {@link #keySegment} writes for some key, else the segment itself (a plain key, or an older link such as
     * {@code a%2Fb}, or {@code ~x} typed by hand).
     */
    public static String keyOf(String segment) {
        if (!segment.startsWith(ENCODED_KEY)) {
            return segment;
        }
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(segment.substring(ENCODED_KEY.length()));
            String key = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
            return !key.isEmpty() && !plain(key) && keySegment(key).equals(segment) ? key : segment;
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return segment; // not base64url of UTF-8 text: a key that merely starts with "~"
        }
    }

    private static boolean plain(String key) {
        if (key.isEmpty() || key.equals(".") || key.equals("..") || key.startsWith(ENCODED_KEY)) {
            return false;
        }
        return key.chars().noneMatch(c -> c == '/' || c == '\\' || c == '%' || c < 0x20 || c == 0x7f);
    }

    /**
     * Every address an edge may keep a guest's copy of the thread under, as path wildcards for an edge without
     * surrogate keys (CloudFront): the standalone page with its sorts, pages and feeds, and the site's embed pages
     * (the embed names its thread in the query, which an invalidation path cannot select on, so all of them go).
     */
    public static java.util.List<String> edgePaths(String site, String key) {
        return java.util.List.of(standalone(site, key) + "*", embedBase(site) + "*");
    }

    /** The embed page's address without its query: every embed of the site's threads starts with it. */
    public static String embedBase(String site) {
        return EMBED_PREFIX + segment(site);
    }

    public static String embed(String site, EmbedParams p) {
        StringBuilder url = new StringBuilder(EMBED_PREFIX).append(segment(site)).append("?key=").append(query(p.key()));
        if (p.url() != null) {
            url.append("&url=").append(query(p.url()));
        }
        if (p.title() != null) {
            url.append("&title=").append(query(p.title()));
        }
        if (p.theme() != null) {
            url.append("&theme=").append(query(p.theme()));
        }
        if (p.lang() != null) {
            url.append("&lang=").append(query(p.lang()));
        }
        return url.toString();
    }

    /** {@code base} with a sort and a page cursor added, for the sort links and "load more". */
    public static String withPage(String base, Sort sort, String after) {
        String separator = base.contains("?") ? "&" : "?";
        String url = base + separator + "sort=" + sort.urlValue();
        return after == null ? url : url + "&after=" + query(after);
    }

    /**
     * The site an embed URL ({@code /embed/{site}?…}) belongs to, e.g. a form's return address, so a page
     * opened from inside the embed can be framed by that site's origins; empty for any other URL.
     */
    public static Optional<String> embedSite(String url) {
        if (url == null || !url.startsWith(EMBED_PREFIX)) {
            return Optional.empty();
        }
        String rest = url.substring(EMBED_PREFIX.length());
        int end = rest.length();
        for (char stop : new char[] {'?', '#', '/'}) {
            int i = rest.indexOf(stop);
            end = i >= 0 ? Math.min(end, i) : end;
        }
        try {
            String site = URLDecoder.decode(rest.substring(0, end), StandardCharsets.UTF_8);
            return site.isEmpty() ? Optional.empty() : Optional.of(site);
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // a malformed escape: not an embed URL we made
        }
    }

    /** Percent-encodes a path segment: "/" becomes %2F and a space %20, so the key survives the round trip. */
    static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String query(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /**
     * What the host page told the embed: its thread key, its URL and title, a forced theme and a forced language
     * ({@code data-lang}, one Parley has) if any. Every embed address Parley builds keeps them, so the frame stays
     * in its theme and language after a post, a sort or "load more".
     */
    public record EmbedParams(String key, String url, String title, String theme, String lang) {
        public EmbedParams(String key, String url, String title, String theme) {
            this(key, url, title, theme, null);
        }
    }
}
