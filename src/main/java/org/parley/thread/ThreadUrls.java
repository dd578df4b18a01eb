package org.parley.thread;

import org.parley.comment.Sort;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The public URLs of a thread — a contract with host sites and bookmarks, so they are built in one place:
 * {@code /t/{site}/{key}} standalone, {@code /embed/{site}?key=…&url=…&title=…} in the host page's iframe,
 * {@code #comment-{id}} for one comment.
 */
public final class ThreadUrls {
    private static final String EMBED_PREFIX = "/embed/";

    private ThreadUrls() {
    }

    public static String standalone(String site, String key) {
        return "/t/" + segment(site) + "/" + segment(key);
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

    /** What the host page told the embed: its thread key, its URL and title, and a forced theme if any. */
    public record EmbedParams(String key, String url, String title, String theme) {
    }
}
