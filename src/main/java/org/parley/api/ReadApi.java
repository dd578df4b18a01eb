package org.parley.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.cache.Cache;
import org.parley.cache.CacheKeys;
import org.parley.data.Databases;
import org.parley.data.Ids;
import org.parley.discussion.CommentRepository;
import org.parley.discussion.CommentThread;
import org.parley.discussion.CommentView;
import org.parley.discussion.Cursor;
import org.parley.discussion.Sort;
import org.parley.discussion.ThreadRepository;
import org.parley.discussion.ThreadVersions;
import org.parley.discussion.ThreadUrls;
import org.parley.site.Site;
import org.parley.site.SiteRepository;
import org.parley.web.HttpError;
import org.parley.web.Json;
import org.parley.web.PathParams;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The API's reads of one site: the site's public settings, a thread, and a thread's comments a page at a time with
 * the pages' own sorts and keyset cursors ({@link CommentRepository#page}, the query the shared page runs, so the
 * same statements whatever the thread's size). Public data, readable from any origin. A thread's answers carry an
 * ETag from the thread's version and are revalidated ({@code no-cache}): an unchanged thread is a 304 after one
 * read of its row.
 */
public final class ReadApi {
    static final String THREAD_CACHE = "public, no-cache";
    static final String SITE_CACHE = "public, max-age=60";
    /** How long a page of comments is kept under its version; a newer version makes it unread long before. */
    static final java.time.Duration PAGE_TTL = java.time.Duration.ofMinutes(10);
    private static final Set<String> SORTS = Set.of("oldest", "newest", "best");

    private final SiteRepository sites;
    private final ThreadRepository threads;
    private final CommentRepository comments;
    private final ThreadListing listing;
    private final Databases databases;
    private final ApiJson json;

    private final ApiCallers callers;
    private final Cache cache;
    private final ThreadVersions versions;

    public ReadApi(SiteRepository sites, ThreadRepository threads, CommentRepository comments,
                   Databases databases, ApiJson json, ApiCallers callers, Cache cache, ThreadVersions versions) {
        this.databases = databases;
        this.callers = callers;
        this.cache = cache;
        this.versions = versions;
        this.sites = sites;
        this.threads = threads;
        this.comments = comments;
        this.listing = new ThreadListing(databases);
        this.json = json;
    }

    /** GET /api/v1/sites/:site */
    public void site(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Site site = site(req);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", site.name());
        body.put("displayName", site.displayName());
        body.put("guestsAllowed", site.guestsAllowed());
        body.put("closed", site.closed());
        body.put("maxCommentLength", site.maxCommentLength());
        body.put("editWindowSeconds", site.editWindow().toSeconds());
        write(resp, SITE_CACHE, body);
    }

    /** GET /api/v1/sites/:site/threads?before= */
    public void threads(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Site site = site(req);
        ThreadListing.Page page = listing.page(site.id(), req.getParameter("before"));
        List<Map<String, Object>> items = new ArrayList<>();
        page.threads().forEach(l -> items.add(json.thread(site.name(), l.thread())));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("threads", items);
        body.put("next", page.next());
        write(resp, SITE_CACHE, body);
    }

    /** GET /api/v1/sites/:site/threads/:key */
    public void thread(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Site site = site(req);
        CommentThread thread = thread(req, site);
        if (notModified(req, resp, thread, "thread")) {
            return;
        }
        write(resp, THREAD_CACHE, json.thread(site.name(), thread));
    }

    /**
     * GET /api/v1/sites/:site/threads/:key/comments?sort=&after= — when the cache knows the thread's version, a
     * revalidation is a 304 and a page already answered for that version comes from the cache, both without SQL
     * (as the thread pages are); otherwise the page's own query, and the answer is kept under the version it read.
     */
    public void comments(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Site site = site(req);
        String sortText = req.getParameter("sort");
        if (sortText != null && !SORTS.contains(sortText)) {
            throw HttpError.badRequest("sort is oldest, newest or best.", "sort");
        }
        Sort sort = Sort.parse(sortText);
        Cursor after = Cursor.parse(req.getParameter("after"), sort);
        String variant = "comments-" + sort.urlValue() + "-" + (after == null ? "" : after.format(sort));
        String key = ThreadUrls.keyOf(PathParams.of(req).text("key"));
        Optional<ThreadVersions.Known> known = versions.current(site.name(), key);
        if (known.isPresent()) {
            String etag = etag(known.get().threadId(), known.get().version(), variant);
            if (etag.equals(req.getHeader("If-None-Match"))) {
                resp.setHeader("ETag", etag);
                resp.setHeader("Cache-Control", THREAD_CACHE);
                resp.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
                return;
            }
            Optional<String> stored = cache.get(pageKey(known.get().threadId(), known.get().version(), variant));
            if (stored.isPresent()) {
                resp.setHeader("ETag", etag);
                writeText(resp, THREAD_CACHE, stored.get());
                return;
            }
        }
        CommentThread thread = thread(req, site);
        versions.seen(site.name(), thread);
        if (notModified(req, resp, thread, variant)) {
            return;
        }
        // read after the thread row: what is kept under its version holds at least that version's comments
        CommentRepository.Page page = comments.page(threads.reader(thread), thread, sort, after, null);
        List<Map<String, Object>> items = new ArrayList<>();
        page.comments().forEach(c -> items.add(json.publicComment(c)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("comments", items);
        body.put("next", page.next() == null ? null : page.next().format(sort));
        String text = Json.object(body);
        cache.set(pageKey(thread.id(), thread.version(), variant), text, PAGE_TTL);
        writeText(resp, THREAD_CACHE, text);
    }

    /**
     * GET /api/v1/sites/:site/comments/:id — one public comment, and the thread it is in; with a key that has the
     * read scope, any comment of the site in any state (as its moderators see it, never cached).
     */
    public void comment(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Site site = site(req);
        ApiCaller caller = callers.reading(req, site);
        boolean everything = caller.key() != null && caller.key().allows(ApiKey.Scope.READ);
        long id = PathParams.of(req).number("id", () -> HttpError.notFound("There is no such comment on this site."));
        if (!databases.holds(id)) {
            throw HttpError.notFound("There is no such comment on this site.");
        }
        CommentRepository.Located located = comments.locate(everything ? databases.write(Ids.shardOf(id))
                        : databases.read(Ids.shardOf(id)), id)
                .filter(l -> l.siteId() == site.id() && (everything || l.publiclyVisible()))
                .orElseThrow(() -> HttpError.notFound("There is no such comment on this site."));
        CommentThread thread = threads.find(site.id(), located.threadKey())
                .orElseThrow(() -> HttpError.notFound("There is no such comment on this site."));
        if (!everything && notModified(req, resp, thread, "comment-" + id)) {
            return;
        }
        String api = json.url("/api/v1/sites/" + site.name() + "/threads/" + ThreadUrls.keySegment(thread.key()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("comment", everything ? json.moderatedComment(located.comment())
                : json.publicComment(located.comment()));
        body.put("thread", Map.of("key", thread.key(), "links", Map.of("thread", api, "comments", api + "/comments",
                "page", json.url(ThreadUrls.standalone(site.name(), thread.key())))));
        write(resp, everything ? "private, no-store" : THREAD_CACHE, body);
    }

    private Site site(HttpServletRequest req) {
        return sites.byName(PathParams.of(req).text("site")).orElseThrow(() -> HttpError.notFound("No such site."));
    }

    /** A thread that exists: the API never creates one (the embed does, on the site's pages). */
    private CommentThread thread(HttpServletRequest req, Site site) {
        String key = ThreadUrls.keyOf(PathParams.of(req).text("key"));
        return threads.find(site.id(), key).orElseThrow(() -> HttpError.notFound("There is no thread '" + key
                + "' on this site."));
    }

    private static String etag(long threadId, long version, String variant) {
        return "\"api-" + threadId + "-" + version + "-" + variant + "\"";
    }

    private static String pageKey(long threadId, long version, String variant) {
        return CacheKeys.of("api-comments", threadId, "v" + version, variant);
    }

    private static boolean notModified(HttpServletRequest req, HttpServletResponse resp, CommentThread thread,
                                       String variant) {
        String etag = etag(thread.id(), thread.version(), variant);
        resp.setHeader("ETag", etag);
        if (etag.equals(req.getHeader("If-None-Match"))) {
            resp.setHeader("Cache-Control", THREAD_CACHE);
            resp.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return true;
        }
        return false;
    }

    private static void write(HttpServletResponse resp, String cacheControl, Map<String, Object> body)
            throws IOException {
        writeText(resp, cacheControl, Json.object(body));
    }

    private static void writeText(HttpServletResponse resp, String cacheControl, String json) throws IOException {
        resp.setHeader("Cache-Control", cacheControl);
        resp.setHeader("Access-Control-Allow-Origin", "*");
        resp.setContentType("application/json; charset=utf-8");
        resp.getWriter().write(json);
    }
}
