package org.parley.discussion;

import jakarta.servlet.http.HttpServletRequest;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where a comment's links and forms were shown — the standalone page, or a site's embed with the theme its host
 * forced — and in which sort: all a comment action needs to send the visitor back, since the rest (the thread,
 * the page of the sort that holds the comment) follows from the comment itself.
 *
 * <p>Issue 17: each comment used to carry its page's whole address ({@code return=/embed/site?key=…&url=…&sort=…})
 * three times, up to 400 bytes a comment. Now the list writes {@link #query} after each action URL, the same few
 * bytes for every comment of a list and none at all on the standalone page in the default sort; the permalink
 * ({@code /c/{id}} with this query) then sends the visitor to the page holding the comment, at it. {@code embed}
 * names the site so that {@link EmbedFraming} can let its origins frame the answer without a lookup, as it does
 * for {@code return=/embed/{site}…}; where the visitor is sent is always the comment's own site.
 *
 * @param embedSite the embed's site name, or null for the standalone page
 * @param theme     the theme the host forced ("light" or "dark"), or null
 * @param lang      the language the host forced (data-lang), or null: the forms opened from the embed keep it
 * @param sort      the list's sort
 */
public record ShownIn(String embedSite, String theme, String lang, Sort sort) {
    public static final String EMBED = "embed";
    static final String THEME = "theme";
    static final String SORT = "sort";
    static final String LANG = "lang";
    private static final Set<String> THEMES = Set.of("light", "dark");
    /** Every site's name matches it (the site table's CHECK). */
    private static final Pattern SITE_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,49}");

    public ShownIn {
        embedSite = embedSite != null && SITE_NAME.matcher(embedSite).matches() ? embedSite : null;
        theme = embedSite != null && theme != null && THEMES.contains(theme) ? theme : null;
        lang = embedSite != null ? org.parley.web.Languages.supported(lang) : null;
        sort = sort == null ? Sort.DEFAULT : sort;
    }

    /** What a request says, anything unknown ignored (a wrong value only changes where the visitor lands). */
    public static ShownIn of(HttpServletRequest req) {
        return new ShownIn(req.getParameter(EMBED), req.getParameter(THEME), req.getParameter(LANG),
                Sort.parse(req.getParameter(SORT)));
    }

    public boolean embed() {
        return embedSite != null;
    }

    /** {@code ""}, or {@code ?embed=…&theme=…&lang=…&sort=…} with only what differs from the standalone default page. */
    public String query() {
        StringBuilder query = new StringBuilder();
        if (embedSite != null) {
            query.append('&').append(EMBED).append('=').append(embedSite);
        }
        if (theme != null) {
            query.append('&').append(THEME).append('=').append(theme);
        }
        if (lang != null) {
            query.append('&').append(LANG).append('=').append(lang);
        }
        if (sort != Sort.DEFAULT) {
            query.append('&').append(SORT).append('=').append(sort.urlValue());
        }
        return query.isEmpty() ? "" : "?" + query.substring(1);
    }

    /** The comment's permalink as seen from here: it leads to the page of this sort that holds it. */
    public String permalink(long commentId) {
        return "/c/" + commentId + query();
    }

    /**
     * The embed site a return target ({@code return=}, already checked to be Parley's own) points into: an embed
     * page {@code /embed/{site}?…}, or a permalink shown in one, {@code /c/{id}?embed={site}}.
     */
    public static Optional<String> embedSiteOf(String target) {
        if (target == null) {
            return Optional.empty();
        }
        if (!target.startsWith("/c/")) {
            return ThreadUrls.embedSite(target);
        }
        String query = URI.create(target.replaceFirst("#.*$", "")).getRawQuery();
        if (query == null) {
            return Optional.empty();
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith(EMBED + "=")) {
                String site = URLDecoder.decode(pair.substring(EMBED.length() + 1), StandardCharsets.UTF_8);
                return SITE_NAME.matcher(site).matches() ? Optional.of(site) : Optional.empty();
            }
        }
        return Optional.empty();
    }
}
