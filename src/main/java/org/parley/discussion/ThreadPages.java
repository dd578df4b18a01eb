package org.parley.discussion;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.account.Account;
import org.parley.account.Csrf;
import org.parley.account.SessionFilter;
import org.parley.account.Sessions;
import org.parley.account.Viewers;
import org.parley.cache.Cache;
import org.parley.data.DatabaseUnavailable;
import org.parley.site.Site;
import org.parley.site.SiteRepository;
import org.parley.web.HttpError;
import org.parley.web.RateLimits;
import org.parley.web.Requests;
import org.parley.web.Templates;

import java.io.IOException;
import java.net.URI;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A thread's page, standalone ({@code /t/{site}/{key}}) or inside a host page's iframe
 * ({@code /embed/{site}?key=…}), and posting to it. Both are plain forms with post/redirect/get, so everything
 * works without JavaScript.
 *
 * <p>Most views get the <em>shared page</em>: the same bytes for everyone at a thread version, its comment list
 * from the fragment cache ({@link CommentListCache}), publicly cacheable for guests ({@link PageTags}). A
 * signed-in viewer whose browser runs thread.js ({@link ScriptCookie}) gets it too, and their votes, buttons and
 * pending comments from {@code …/me} ({@link ViewerOverlay}); one without script gets a page rendered for them.
 * Costs: the shared page one statement (the thread) once the site and list are cached, a 304 none, the overlay
 * one, a page rendered for a viewer two (thread, comments). The answers that need no SQL — the 304, the stored
 * page, the stale copy while the database is away — are {@link StoredPages}'; the address is read by
 * {@link PageAddress} and the site by {@link PageSites}.
 */
public final class ThreadPages {
    private static final List<String> SORT_OPTIONS = List.of("oldest", "newest", "best");

    private final PageSites sites;
    private final ThreadRepository threads;
    private final CommentRepository comments;
    private final CommentService service;
    private final Viewers viewers;
    private final Csrf csrf;
    private final RateLimits limits;
    private final Templates templates;
    private final CommentListCache lists;
    private final PageCache pages;
    private final ThreadVersions versions;
    private final ViewerOverlay overlay;
    private final StoredPages stored;
    private final Spooler spooler;
    private final org.parley.edge.EdgeHeaders edge;

    public ThreadPages(SiteRepository sites, ThreadRepository threads, CommentRepository comments,
                         CommentService service, Viewers viewers, Sessions sessions, Csrf csrf, RateLimits limits,
                         Templates templates, Cache cache, ThreadVersions versions, Spooler spooler,
                         org.parley.edge.EdgeHeaders edge) {
        this.spooler = spooler;
        this.edge = edge;
        this.sites = new PageSites(sites);
        this.threads = threads;
        this.comments = comments;
        this.service = service;
        this.viewers = viewers;
        this.csrf = csrf;
        this.limits = limits;
        this.templates = templates;
        this.lists = new CommentListCache(cache);
        this.pages = new PageCache(cache);
        this.versions = versions;
        this.overlay = new ViewerOverlay(threads, comments, service, sessions, csrf, templates, spooler);
        this.stored = new StoredPages(cache, versions, pages, this.sites, edge);
    }

    /** Which of the two pages a request is for, with what it needs to render and to link back to itself. */
    private record Target(Site site, CommentThread thread, boolean embed, String baseUrl, String theme,
                          String lang, List<String> frameAncestors) {
    }

    /** GET /t/:site/:key */
    public void page(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        show(req, resp, PageAddress.standalone(req));
    }

    /** GET /embed/:site?key= */
    public void embed(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        show(req, resp, PageAddress.embedded(req));
    }

    /** GET /t/:site/:key/me */
    public void overlay(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        PageAddress address = PageAddress.standalone(req);
        ViewerOverlay.Page page = resolveOverlay(req, address);
        overlay.write(req, resp, viewers.on(req, page.site().id()), page);
    }

    /** GET /embed/:site/me?key= */
    public void embedOverlay(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        PageAddress address = PageAddress.embedded(req);
        ViewerOverlay.Page page = resolveOverlay(req, address);
        overlay.write(req, resp, viewers.on(req, page.site().id()), page);
    }

    /** POST /t/:site/:key */
    public void post(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        post(req, resp, PageAddress.standalone(req));
    }

    /** POST /embed/:site?key= */
    public void embedPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        post(req, resp, PageAddress.embedded(req));
    }

    private void show(HttpServletRequest req, HttpServletResponse resp, PageAddress address) throws IOException {
        if (stored.notModified(req, resp, address) || stored.servedStored(req, resp, address)) {
            return;
        }
        try {
            Target target = resolve(req, address, true);
            render(req, resp, target, Map.of(), 200);
        } catch (RuntimeException e) {
            // the database is away: the last stored copy of the shared page is better than an error page
            if (DatabaseUnavailable.causeOf(e).isEmpty() || !stored.servedStale(req, resp, address)) {
                throw e;
            }
        }
    }

    private void post(HttpServletRequest req, HttpServletResponse resp, PageAddress address) throws IOException {
        Target target;
        try {
            target = resolve(req, address, false);
        } catch (RuntimeException e) {
            if (spooler.takesAfterRead(e)) {
                spool(req, resp, address, true);
                return;
            }
            throw e;
        }
        Account viewer = viewers.on(req, target.site().id());
        ScriptCookie.forgetIfTokenless(req, resp, SessionFilter.of(req));
        csrf.check(req, SessionFilter.of(req));
        try {
            limits.check(RateLimits.POST_COMMENT, viewer != null ? "account:" + viewer.id() : "ip:" + Requests.clientIp(req));
            CommentForm form = CommentForm.parse(req);
            CommentService.Posted posted;
            try {
                posted = service.post(target.site(), target.thread(), viewer, form, Requests.clientIp(req));
            } catch (RuntimeException e) {
                if (spooler.takes(e)) {
                    spool(req, resp, address, false);
                    return;
                }
                throw e;
            }
            Sort sort = Sort.parse(req.getParameter("sort"));
            // a page that holds the comment now (a reply's: its top-level comment's), cut as the visitor's next
            // view cuts it: the shared page for guests and scripted members (the overlay adds their own held ones)
            Long cutFor = viewer == null || ScriptCookie.present(req) ? null : viewer.id();
            Cursor page = comments.pageEndingAtTopLevel(threads.primary(target.thread()), target.thread().id(),
                    posted.rootId(), sort, cutFor).orElse(null);
            String url = ThreadUrls.withPage(target.baseUrl(), sort, page == null ? null : page.format(sort));
            // "posted" tells the page to show this write: never the previous version's cached list (CommentListCache)
            // a comment taken for spam is announced like a held one: a spammer learns nothing from the answer
            url += posted.state() == CommentView.State.APPROVED ? "&posted=approved" : "&posted=pending";
            resp.sendRedirect(url + "#comment-" + posted.id());
        } catch (HttpError e) {
            if (e.field() == null && e.status() != 403 && e.status() != 429) {
                throw e;
            }
            // show the page again with what they wrote and the reason beside the form
            e.announceRetryAfter(resp);
            Map<String, Object> form = new HashMap<>();
            form.put("formError", e.message(org.parley.web.Languages.of(req)));
            form.put("formField", e.field() == null ? "body" : e.field());
            form.put("formBody", nullToEmpty(req.getParameter("body")));
            form.put("formName", nullToEmpty(req.getParameter("name")));
            form.put("formEmail", nullToEmpty(req.getParameter("email")));
            form.put("formParent", nullToEmpty(req.getParameter("parent")));
            render(req, resp, target, form, e.status());
        }
    }

    /**
     * The thread's shard primary could not be reached: the comment goes to the spool (docs/spool.md), and the
     * visitor to the page that says it is saved. Everything else a post checks first is checked here too — CSRF,
     * the rate limit (unless already counted), the form — but from main and the cache only: the site, the
     * viewer, and the shard, which follows from the site and the key without the thread's row.
     */
    private void spool(HttpServletRequest req, HttpServletResponse resp, PageAddress address, boolean countLimit)
            throws IOException {
        Place place = place(req, address);
        Site site = place.site();
        Account viewer = viewers.on(req, site.id());
        csrf.check(req, SessionFilter.of(req));
        String ip = Requests.clientIp(req);
        if (countLimit) {
            limits.check(RateLimits.POST_COMMENT, viewer != null ? "account:" + viewer.id() : "ip:" + ip);
        }
        CommentForm form = CommentForm.parse(req);
        var ticket = spooler.keep(site, threads.shardOf(site.id(), place.key()), place.key(), place.startUrl(),
                place.startTitle(), viewer, false, form, ip, place.baseUrl());
        resp.sendRedirect(SpoolPages.savedUrl(ticket, place.shown()));
    }

    /**
     * Where a request on a thread page points, known from main and the cache alone — without the thread's row, so
     * without its shard: the overlay and the spool need no more. For an embed on one of the site's own pages, the
     * page's address and title, with which a post may start the thread (as a first view would).
     */
    private record Place(Site site, String key, String baseUrl, ShownIn shown, String startUrl, String startTitle) {
    }

    private Place place(HttpServletRequest req, PageAddress address) {
        Sort sort = Sort.parse(req.getParameter("sort"));
        Place place;
        if (address.embed()) {
            var params = PageAddress.embedParams(req);
            var found = sites.withOrigins(req, address.site()).orElseThrow(ThreadPages::noSite);
            Site site = found.site();
            boolean mayStart = originAllowed(params.url(), found.origins());
            place = new Place(site, params.key(), ThreadUrls.embed(site.name(), params),
                    new ShownIn(site.name(), params.theme(), params.lang(), sort),
                    mayStart ? params.url() : null, mayStart ? params.title() : null);
        } else {
            Site site = sites.byName(address.site()).orElseThrow(ThreadPages::noSite);
            place = new Place(site, address.key(), ThreadUrls.standalone(site.name(), address.key()),
                    new ShownIn(null, null, null, sort), null, null);
        }
        org.parley.web.Languages.siteDefault(req, place.site().language());
        return place;
    }

    /**
     * The page an overlay completes, without reading the thread row when the cache knows its id: the overlay
     * needs only the id (which names the shard) and the site, which is in the object cache.
     */
    private ViewerOverlay.Page resolveOverlay(HttpServletRequest req, PageAddress address) {
        Place place = place(req, address);
        long threadId = versions.current(place.site().name(), place.key()).map(ThreadVersions.Known::threadId)
                .orElseGet(() -> threads.find(place.site().id(), place.key())
                        .orElseThrow(ThreadPages::noThread).id());
        Sort sort = place.shown().sort();
        return new ViewerOverlay.Page(place.site(), threadId, place.key(), place.baseUrl(), place.shown(),
                Cursor.parse(req.getParameter("after"), sort), Cursor.parse(req.getParameter("until"), sort));
    }

    static HttpError noSite() {
        return HttpError.worded(404, "thread.error.noSite");
    }

    static HttpError noThread() {
        return HttpError.worded(404, "thread.error.noThread");
    }

    private Target resolve(HttpServletRequest req, PageAddress address, boolean mayCreate) {
        if (!address.embed()) {
            if (address.key().isEmpty()) {
                throw HttpError.worded(404, "error.noPage");
            }
            Site site = sites.byName(address.site()).orElseThrow(ThreadPages::noSite);
            org.parley.web.Languages.siteDefault(req, site.language());
            CommentThread thread = threads.find(site.id(), address.key())
                    .orElseThrow(ThreadPages::noThread);
            return new Target(site, thread, false, ThreadUrls.standalone(site.name(), thread.key()), null, null,
                    PageSites.STANDALONE_ANCESTORS);
        }
        var params = PageAddress.embedParams(req);
        var site = sites.withOrigins(req, address.site()).orElseThrow(ThreadPages::noSite);
        org.parley.web.Languages.siteDefault(req, site.site().language());
        CommentThread thread = mayCreate && originAllowed(params.url(), site.origins())
                ? threads.findOrCreate(site.site().id(), params.key(), params.url(), params.title() == null ? "" : params.title())
                : threads.find(site.site().id(), params.key()).orElseThrow(() -> !mayCreate
                        ? noThread()
                        // the site owner reads this in the frame: say why the embed made no thread
                        : params.url() == null
                        ? HttpError.worded(404, "thread.error.notStarted.noUrl", String.join(", ", site.origins()))
                        : HttpError.worded(404, "thread.error.notStarted", String.join(", ", site.origins()),
                                params.url()));
        return new Target(site.site(), thread, true, ThreadUrls.embed(site.site().name(), params), params.theme(),
                params.lang(), site.origins());
    }

    /** A thread is created on first view only for a page on one of the site's own origins. */
    private static boolean originAllowed(String pageUrl, List<String> origins) {
        if (pageUrl == null) {
            return false;
        }
        try {
            URI uri = URI.create(pageUrl);
            return origins.contains(Requests.originOf(uri));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void render(HttpServletRequest req, HttpServletResponse resp, Target target, Map<String, Object> form,
                        int status) throws IOException {
        Sort sort = Sort.parse(req.getParameter("sort"));
        Cursor after = Cursor.parse(req.getParameter("after"), sort);
        Account viewer = viewers.on(req, target.site().id());
        // the shared page: the same bytes for every guest, and for signed-in viewers whose thread.js adds theirs
        boolean shared = viewer == null || (ScriptCookie.present(req) && "GET".equals(req.getMethod()));
        String token = shared ? null : csrf.token(SessionFilter.of(req));
        Account shown = shared ? null : viewer;
        String pageUrl = ThreadUrls.withPage(target.baseUrl(), sort, after == null ? null : after.format(sort));
        boolean closed = target.site().closed() || target.thread().closed();
        ListRequest list = new ListRequest(req, resp, target, sort, after, pageUrl, closed);

        // built only when the page is rendered: a stored shared page needs none of it (no SQL for the list)
        Supplier<SharedPageWriter.Shown> frameOf = () -> frame(req, target, sort, pageUrl, closed, shared);
        Supplier<Map<String, Object>> modelOf = () -> {
            Map<String, Object> model = new HashMap<>(form);
            // the shared list stays UTF-8 bytes: Templates.renderPage splices it in as it is
            model.putAll(frameModel(frameOf.get(), shared ? sharedList(list) : renderList(list, viewer, token)));
            model.put("viewer", shown);
            model.put("csrf", token);
            model.put("pendingNotice", "pending".equals(req.getParameter("posted")));
            model.put("postedNotice", "approved".equals(req.getParameter("posted")));
            return model;
        };
        String template = target.embed() ? "thread/embed" : "thread/show";

        resp.setStatus(status);
        boolean revalidatable = shared && status == 200 && "GET".equals(req.getMethod())
                && req.getParameter("posted") == null;
        if (!revalidatable) {
            resp.setHeader("Cache-Control", "no-store");
            Templates.writeHtml(resp, templates.renderPage(req, resp, template, modelOf.get(), "commentList"));
            return;
        }
        // behind the cached version (a lagging replica): the edge, purged already, must not keep this page long
        boolean current = versions.seen(target.site().name(), target.thread());
        String variant = PageTags.variant(req, PageTags.siteStamp(target.site(), target.frameAncestors()));
        var page = new PageCache.Page(target.thread().id(), variant);
        // stored under the row's version: the page around the list is that row, the list at least as new (sharedList)
        // the page everyone gets is written without the template (SharedPageWriter); a form with values is not
        var stored = pages.fetch(page, target.thread().version(), form.isEmpty()
                ? () -> SharedPageWriter.write(frameOf.get(), templates.assets(), sharedList(list))
                : () -> templates.renderPage(req, resp, template, modelOf.get(), "commentList"));
        resp.setHeader("ETag", PageTags.etag(page.threadId(), target.thread().version(), variant));
        resp.setHeader("Cache-Control", viewer == null ? PageTags.PUBLIC_CACHE_CONTROL : PageTags.SIGNED_IN_CACHE_CONTROL);
        resp.addHeader("Vary", PageTags.VARY); // added to: the compression handler has put Accept-Encoding there
        if (viewer == null && current) {
            edge.addTo(resp, target.thread().id(), target.site().id());
        }
        Templates.writeHtml(req, resp, stored); // compressed when stored, not per request
    }

    /**
     * The templates' model of what {@code frame} shows, with {@code commentList} (its text, or its UTF-8 bytes for
     * {@link Templates#renderPage(HttpServletRequest, HttpServletResponse, String, Map, String)}; no viewer, no notice).
     */
    static Map<String, Object> frameModel(SharedPageWriter.Shown frame, Object commentList) {
        Map<String, Object> model = new HashMap<>();
        model.put("commentList", commentList);
        model.put("site", frame.site());
        model.put("thread", frame.thread());
        model.put("sort", frame.sort());
        model.put("sortOptions", SORT_OPTIONS);
        model.put("sortUrls", frame.sortUrls());
        model.put("pageUrl", frame.pageUrl());
        model.put("standaloneUrl", frame.standaloneUrl());
        model.put("feeds", frame.feeds());
        model.put("postUrl", frame.postUrl());
        model.put("overlayUrl", frame.overlayUrl());
        model.put("viewer", null);
        model.put("csrf", null);
        model.put("embed", frame.embed());
        model.put("theme", frame.theme());
        model.put("pendingNotice", false);
        model.put("postedNotice", false);
        model.put("guestsAllowed", frame.site().guestsAllowed());
        model.put("closed", frame.closed());
        return model;
    }

    /** What the page shows around its list, for the template's model and for SharedPageWriter alike. */
    private static SharedPageWriter.Shown frame(HttpServletRequest req, Target target, Sort sort, String pageUrl,
                                                boolean closed, boolean shared) {
        String standalone = ThreadUrls.standalone(target.site().name(), target.thread().key());
        return new SharedPageWriter.Shown(target.site(), target.thread(), sort, Map.of(
                "oldest", ThreadUrls.withPage(target.baseUrl(), Sort.OLDEST, null),
                "newest", ThreadUrls.withPage(target.baseUrl(), Sort.NEWEST, null),
                "best", ThreadUrls.withPage(target.baseUrl(), Sort.BEST, null)),
                pageUrl, standalone, target.embed() ? List.of() : List.of(
                        new FeedLink("application/atom+xml", "Comments (Atom)", standalone + "/atom"),
                        new FeedLink("application/rss+xml", "Comments (RSS)", standalone + "/rss")),
                ThreadUrls.withPage(target.baseUrl(), sort, null),
                shared ? pageUrl.replaceFirst("\\?", "/me?") : null, target.embed(), target.theme(), closed,
                org.parley.web.Languages.of(req));
    }

    /**
     * The shared list: the same HTML for everyone (no token, no viewer), so it comes from the fragment cache.
     * Signed-in viewers without script see their own votes and edit buttons, so theirs is rendered for them.
     */
    private byte[] sharedList(ListRequest list) {
        var variant = new CommentListCache.Variant(list.target().thread().id(), list.sort().urlValue(),
                list.after() == null ? "-" : list.after().format(list.sort()), org.parley.web.Languages.of(list.req()).toLanguageTag(),
                list.target().embed() ? "embed" : "page", list.target().theme() == null ? "-" : list.target().theme(),
                list.closed(), list.pageUrl());
        // never another version's list: a page stored under the row's version must hold what that version holds
        return lists.get(variant, list.target().thread().version(), () -> writeSharedList(list));
    }

    /** What rendering a thread's comment list needs (thread/comments.html). */
    private record ListRequest(HttpServletRequest req, HttpServletResponse resp, Target target, Sort sort,
                               Cursor after, String pageUrl, boolean closed) {
    }

    /** One page of the list as a viewer (or, null, nobody in particular) sees it, with its links. */
    private record ListPage(CommentRepository.Page page, String moreUrl, String shownIn, boolean locked) {
    }

    private ListPage listPage(ListRequest list, Account viewer) {
        Target target = list.target();
        CommentRepository.Page page = comments.page(threads.reader(target.thread()),
                target.thread(), list.sort(), list.after(), viewer == null ? null : viewer.id());
        String moreUrl = page.next() == null ? null
                : ThreadUrls.withPage(target.baseUrl(), list.sort(), page.next().format(list.sort()));
        // after each action URL: where the comment was shown, the same for the whole list (ShownIn)
        String shownIn = new ShownIn(target.embed() ? target.site().name() : null, target.theme(), target.lang(),
                list.sort()).query();
        return new ListPage(page, moreUrl, shownIn, target.thread().locked());
    }

    /** The shared list, UTF-8: written without the template, the same bytes (SharedListWriterTest). */
    private byte[] writeSharedList(ListRequest list) {
        ListPage shown = listPage(list, null);
        return SharedListWriter.write(new SharedListWriter.Shown(shown.page().comments(), shown.moreUrl(),
                shown.shownIn(), list.target().embed(), list.closed(), shown.locked(), service.historicalBefore(),
                org.parley.web.Languages.of(list.req())));
    }

    /** A signed-in viewer's own list (their votes, what they may change, their token), from the template. */
    private String renderList(ListRequest list, Account viewer, String token) {
        Target target = list.target();
        ListPage shown = listPage(list, viewer);
        CommentRepository.Page page = shown.page();
        boolean locked = shown.locked();
        String moreUrl = shown.moreUrl();
        String shownIn = shown.shownIn();
        Set<Long> changeable = new HashSet<>();
        for (CommentView c : page.comments()) {
            if (!locked && service.canChange(target.site(), c, viewer)) {
                changeable.add(c.id());
            }
        }
        Map<String, Object> model = new HashMap<>();
        model.put("comments", page.comments());
        model.put("changeable", changeable);
        model.put("moreUrl", moreUrl);
        model.put("shownIn", shownIn);
        model.put("embed", target.embed()); // permalinks open outside the host's frame (the list's variant has it)
        model.put("closed", list.closed());
        model.put("historicalBefore", service.historicalBefore());
        model.put("locked", locked); // part of the cached list: locking bumps the thread version, so the key too
        model.put("csrf", token);
        return templates.renderToString(list.req(), list.resp(), "thread/comments", model);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /** A feed the page links in its head ({@code <link rel="alternate">}), for feed readers to find. */
    public record FeedLink(String type, String title, String href) {
    }
}
