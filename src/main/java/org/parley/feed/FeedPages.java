package org.parley.feed;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.discussion.CommentThread;
import org.parley.discussion.ThreadRepository;
import org.parley.discussion.ThreadUrls;
import org.parley.site.Site;
import org.parley.site.SiteRepository;
import org.parley.web.HttpError;
import org.parley.web.PathParams;

import java.io.IOException;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * The feeds, each in Atom and RSS:
 * <pre>
 * GET /t/{site}/{key}/atom, /t/{site}/{key}/rss   a thread's comments
 * GET /feeds/{site}/atom, /feeds/{site}/rss        a site's recent comments
 * </pre>
 * Public and the same for everyone: cached a minute by browsers, feed readers and CDNs. A thread's feed carries an
 * ETag from the thread's version, so a reader polling an unchanged thread gets a 304 after one read of the thread
 * row. A thread that does not exist is a 404 (a feed never creates one).
 */
public final class FeedPages {
    static final String CACHE_CONTROL = "public, max-age=60";

    private final SiteRepository sites;
    private final ThreadRepository threads;
    private final FeedQueries queries;
    private final String publicUrl;

    public FeedPages(SiteRepository sites, ThreadRepository threads, org.parley.data.Databases databases, URI publicUrl) {
        this.sites = sites;
        this.threads = threads;
        this.queries = new FeedQueries(databases);
        String base = publicUrl.toString();
        this.publicUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /** GET /t/:site/:key/atom */
    public void threadAtom(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        thread(req, resp, true);
    }

    /** GET /t/:site/:key/rss */
    public void threadRss(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        thread(req, resp, false);
    }

    /** GET /feeds/:site/atom */
    public void siteAtom(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        site(req, resp, true);
    }

    /** GET /feeds/:site/rss */
    public void siteRss(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        site(req, resp, false);
    }

    private void thread(HttpServletRequest req, HttpServletResponse resp, boolean atom) throws IOException {
        PathParams path = PathParams.of(req);
        Site site = site(path.text("site"));
        String key = ThreadUrls.keyOf(path.text("key"));
        CommentThread thread = threads.find(site.id(), key)
                .orElseThrow(() -> HttpError.notFound("There is no discussion here yet, so there is no feed."));
        String etag = "\"feed-" + thread.id() + "-" + thread.version() + (atom ? "-atom" : "-rss") + "\"";
        resp.setHeader("ETag", etag);
        resp.setHeader("Cache-Control", CACHE_CONTROL);
        if (etag.equals(req.getHeader("If-None-Match"))) {
            resp.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        String standalone = publicUrl + ThreadUrls.standalone(site.name(), thread.key());
        String title = thread.title().isEmpty() ? thread.key() : thread.title();
        List<FeedEntry> entries = queries.thread(thread);
        Feed feed = new Feed("Comments on “" + title + "”", standalone, standalone + (atom ? "/atom" : "/rss"),
                thread.url() != null ? thread.url() : standalone, updated(entries, thread.lastActivityAt()), entries);
        send(resp, feed, atom);
    }

    private void site(HttpServletRequest req, HttpServletResponse resp, boolean atom) throws IOException {
        Site site = site(PathParams.of(req).text("site"));
        List<FeedEntry> entries = queries.site(site.id());
        String self = publicUrl + "/feeds/" + site.name() + (atom ? "/atom" : "/rss");
        Feed feed = new Feed("Recent comments on " + site.displayName(), publicUrl + "/feeds/" + site.name(), self,
                publicUrl + "/", updated(entries, null), entries);
        resp.setHeader("Cache-Control", CACHE_CONTROL);
        send(resp, feed, atom);
    }

    private Site site(String name) {
        return sites.byName(name).orElseThrow(() -> HttpError.notFound("No such site."));
    }

    private void send(HttpServletResponse resp, Feed feed, boolean atom) throws IOException {
        byte[] body = atom ? FeedWriter.atom(feed, publicUrl) : FeedWriter.rss(feed, publicUrl);
        resp.setContentType(atom ? FeedWriter.ATOM_TYPE : FeedWriter.RSS_TYPE);
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }

    /** The newest entry's time; a feed without entries changed when its thread last did, or at the epoch. */
    private static OffsetDateTime updated(List<FeedEntry> entries, OffsetDateTime fallback) {
        if (!entries.isEmpty()) {
            return entries.getFirst().createdAt();
        }
        return fallback != null ? fallback : OffsetDateTime.parse("2024-01-01T00:00:00Z");
    }
}
