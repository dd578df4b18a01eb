package org.parley.discussion;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.account.Session;
import org.parley.account.SessionFilter;
import org.parley.data.ReadYourWrites;
import org.parley.web.SecurityHeaders;
import org.parley.web.Templates;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The answers to a thread page that come from the cache alone, with no SQL and no rendering: a 304 when the
 * visitor's copy is current, the stored shared page at the thread's current version, and — while the database
 * cannot be reached — the newest stored copy whatever its version. Each says false when the cache does not know
 * enough, and {@link ThreadPages} then goes the ordinary way, which stores the page for the next visitor.
 */
final class StoredPages {
    private final org.parley.cache.Cache cache;
    private final ThreadVersions versions;
    private final PageCache pages;
    private final PageSites pageSites;
    private final org.parley.edge.EdgeHeaders edge;

    StoredPages(org.parley.cache.Cache cache, ThreadVersions versions, PageCache pages, PageSites pageSites,
                org.parley.edge.EdgeHeaders edge) {
        this.cache = cache;
        this.edge = edge;
        this.versions = versions;
        this.pages = pages;
        this.pageSites = pageSites;
    }

    /**
     * A conditional GET for the shared page answered from the cache alone: the page's address gives the thread's
     * id and version through ThreadVersions, and no SQL runs. Anything the cache does not know goes the ordinary
     * way.
     */
    boolean notModified(HttpServletRequest req, HttpServletResponse resp, PageAddress address) {
        Session session = SessionFilter.of(req);
        boolean shared = !session.signedIn() || ScriptCookie.present(req);
        if (!shared || req.getHeader("If-None-Match") == null || req.getParameter("posted") != null) {
            return false;
        }
        if (address.key() == null || address.key().isEmpty()) {
            return false;
        }
        var found = versionAndSite(req, address);
        if (found.isEmpty()) {
            return false;
        }
        var known = found.get().known();
        // the same cached site the full page would read (no SQL while it is cached): a settings change shows at once
        var site = found.get().site();
        String siteStamp = site.map(PageSites.PageSite::stamp).orElse(null);
        if (siteStamp == null) {
            return false;
        }
        String etag = PageTags.etag(req, known.threadId(), known.version(), siteStamp);
        if (!PageTags.matches(req, etag)) {
            return false;
        }
        resp.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
        resp.setHeader("ETag", etag);
        resp.setHeader("Cache-Control", session.signedIn() ? PageTags.SIGNED_IN_CACHE_CONTROL : PageTags.PUBLIC_CACHE_CONTROL);
        resp.addHeader("Vary", PageTags.VARY); // added to: the compression handler has put Accept-Encoding there
        if (!session.signedIn()) {
            edge.addTo(resp, known.threadId(), site.get().site().id());
        }
        return true;
    }

    /**
     * The shared page as stored bytes, when the cache knows the thread's version and holds the page at it: no SQL,
     * no rendering. Not for a visitor who wrote lately (their version must come from the row, read where their
     * write is visible) nor for the writer's redirect; anything the cache does not know goes the ordinary way,
     * which stores the page.
     */
    boolean servedStored(HttpServletRequest req, HttpServletResponse resp, PageAddress address) throws IOException {
        Session session = SessionFilter.of(req);
        boolean shared = !session.signedIn() || ScriptCookie.present(req);
        if (!shared || req.getParameter("posted") != null || ReadYourWrites.wroteRecently()) {
            return false;
        }
        if (address.embed()) {
            PageAddress.embedParams(req); // the same refusals of a bad address as the ordinary way
        } else if (address.key().isEmpty()) {
            return false;
        }
        if (address.key() == null) {
            return false;
        }
        var found = versionAndSite(req, address);
        if (found.isEmpty()) {
            return false;
        }
        ThreadVersions.Known known = found.get().known();
        var site = found.get().site();
        if (site.isEmpty()) {
            return false;
        }
        String variant = PageTags.variant(req, site.get().stamp());
        long version = known.version();
        var page = new PageCache.Page(known.threadId(), variant);
        var stored = pages.stored(page, version);
        if (stored.isEmpty()) {
            return false;
        }
        resp.setStatus(200);
        resp.setHeader("ETag", PageTags.etag(page.threadId(), version, variant));
        resp.setHeader("Cache-Control", session.signedIn() ? PageTags.SIGNED_IN_CACHE_CONTROL : PageTags.PUBLIC_CACHE_CONTROL);
        resp.addHeader("Vary", PageTags.VARY); // added to: the compression handler has put Accept-Encoding there
        if (!session.signedIn()) {
            edge.addTo(resp, known.threadId(), site.get().site().id());
        }
        Templates.writeHtml(req, resp, stored.get());
        return true;
    }

    /** The thread's current version as the cache knows it, and the page's site. */
    private record VersionAndSite(ThreadVersions.Known known, Optional<PageSites.PageSite> site) {
    }

    /**
     * The thread's version, and the page's site only if the cache knows the version (empty otherwise): in one
     * round trip to the cache when this process knows the thread's id and the request has not read the site yet
     * (a standalone page; an embed's site and version were read together by EmbedFraming), else one each. Two
     * round trips were a third of a stored page's CPU (JFR, issue 18).
     */
    private Optional<VersionAndSite> versionAndSite(HttpServletRequest req, PageAddress address) {
        var thread = versions.unread(address.site(), address.key());
        var readWithSite = thread.flatMap(t -> EmbedFraming.versionRead(req, t));
        if (readWithSite.isPresent()) { // an embed: EmbedFraming read the version with the site
            return versions.known(thread.get(), readWithSite.get().answer())
                    .map(known -> new VersionAndSite(known, pageSites.of(req, address)));
        }
        var siteKey = pageSites.unreadKey(req, address);
        if (thread.isPresent() && siteKey.isPresent()) {
            var found = cache.getMulti(List.of(thread.get().versionKey(), siteKey.get()));
            return versions.known(thread.get(), found.get(thread.get().versionKey())).map(known -> new VersionAndSite(
                    known, pageSites.of(req, address, Optional.ofNullable(found.get(siteKey.get())))));
        }
        return versions.current(address.site(), address.key())
                .map(known -> new VersionAndSite(known, pageSites.of(req, address)));
    }

    /**
     * While the database cannot be reached: the newest stored copy of the shared page, whatever version it is of,
     * found through the cache alone (site, thread id, the variant's latest pointer). It may be behind, so it is
     * neither tagged nor kept: the next view asks again. Only for views that would get the shared page anyway.
     */
    boolean servedStale(HttpServletRequest req, HttpServletResponse resp, PageAddress address) throws IOException {
        Session session = SessionFilter.of(req);
        boolean shared = !session.signedIn() || ScriptCookie.present(req);
        if (!shared || resp.isCommitted() || address.key() == null || address.key().isEmpty()) {
            return false;
        }
        var site = pageSites.of(req, address);
        if (site.isEmpty()) {
            return false;
        }
        var threadId = versions.knownId(site.get().site().name(), address.key());
        if (threadId.isEmpty()) {
            return false;
        }
        String variant = PageTags.variant(req, site.get().stamp());
        var stored = pages.latest(new PageCache.Page(threadId.getAsLong(), variant));
        if (stored.isEmpty()) {
            return false;
        }
        resp.resetBuffer();
        resp.setStatus(200);
        resp.setHeader("ETag", null);
        resp.setHeader("Cache-Control", "no-store");
        if (address.embed()) {
            SecurityHeaders.allowFramingBy(resp, site.get().ancestors());
        }
        Templates.writeHtml(req, resp, stored.get().page());
        return true;
    }
}
