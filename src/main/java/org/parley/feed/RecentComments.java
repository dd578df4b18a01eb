package org.parley.feed;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.discussion.ThreadUrls;
import org.parley.site.Site;
import org.parley.site.SiteRepository;
import org.parley.web.HtmlEntities;
import org.parley.web.HttpError;
import org.parley.web.Json;
import org.parley.web.PathParams;

import java.io.IOException;
import java.net.URI;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code GET /recent/{site}?limit=N}: a site's newest visible comments as JSON, for the "recent comments" widget
 * ({@code /recent.js}) on the site's own pages: the author, an excerpt in plain text, the comment's permalink and
 * its thread's title and page. The same query and cost as the site's feed; public, cached a minute, readable from
 * any origin.
 */
public final class RecentComments {
    static final int DEFAULT_LIMIT = 10;
    static final int EXCERPT = 200;
    private static final Pattern TAG = Pattern.compile("<[^>]*>");
    private static final Pattern SPACE = Pattern.compile("\\s+");

    private final SiteRepository sites;
    private final FeedQueries queries;
    private final String publicUrl;

    public RecentComments(SiteRepository sites, org.parley.data.Databases databases, URI publicUrl) {
        this.sites = sites;
        this.queries = new FeedQueries(databases);
        String base = publicUrl.toString();
        this.publicUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /** GET /recent/:site */
    public void serve(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Site site = sites.byName(PathParams.of(req).text("site")).orElseThrow(() -> HttpError.notFound("No such site."));
        int limit = limit(req.getParameter("limit"));
        List<Map<String, Object>> comments = new ArrayList<>();
        for (FeedEntry e : queries.site(site.id()).stream().limit(limit).toList()) {
            String standalone = publicUrl + ThreadUrls.standalone(site.name(), e.threadKey());
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("id", Long.toString(e.id())); // 64-bit ids: strings, as JavaScript numbers would round them
            c.put("author", e.authorName());
            c.put("excerpt", excerpt(e.html()));
            c.put("permalink", publicUrl + "/c/" + e.id());
            c.put("thread", e.threadTitle() == null || e.threadTitle().isEmpty() ? e.threadKey() : e.threadTitle());
            c.put("threadUrl", e.threadUrl() != null ? e.threadUrl() : standalone);
            c.put("createdAt", DateTimeFormatter.ISO_INSTANT.format(e.createdAt().toInstant()));
            comments.add(c);
        }
        resp.setHeader("Cache-Control", FeedPages.CACHE_CONTROL);
        resp.setHeader("Access-Control-Allow-Origin", "*");
        resp.setContentType("application/json; charset=utf-8");
        resp.getWriter().write(Json.object(Map.of("comments", comments)));
    }

    private static int limit(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(text.strip());
            if (n >= 1 && n <= FeedQueries.SIZE) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw HttpError.badRequest("limit is a number from 1 to " + FeedQueries.SIZE + ".", "limit");
    }

    /** The comment's text without its markup, cut at a word near {@link #EXCERPT} characters. */
    static String excerpt(String html) {
        String text = SPACE.matcher(HtmlEntities.unescape(TAG.matcher(html).replaceAll(" "))).replaceAll(" ").strip();
        if (text.length() <= EXCERPT) {
            return text;
        }
        int cut = text.lastIndexOf(' ', EXCERPT);
        return text.substring(0, cut > EXCERPT / 2 ? cut : EXCERPT) + "…";
    }
}
