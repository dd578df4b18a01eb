package org.parley.discussion;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.account.Account;
import org.parley.account.Csrf;
import org.parley.account.Session;
import org.parley.account.SessionFilter;
import org.parley.account.Sessions;
import org.parley.account.Viewers;
import org.parley.cache.Cache;
import org.parley.data.DatabaseUnavailable;
import org.parley.data.ReadYourWrites;
import org.parley.site.Site;
import org.parley.site.SiteRepository;
import org.parley.web.HttpError;
import org.parley.web.RateLimits;
import org.parley.web.PathParams;
import org.parley.web.Requests;
import org.parley.web.Templates;

import java.io.IOException;
import java.net.URI;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * one, a page rendered for a viewer two (thread, comments).
 */
public final class ThreadPages {
    private static final Set<String> THEMES = Set.of("light", "dark");
    private static final int MAX_KEY_LENGTH = 500;
    private static final List<String> SORT_OPTIONS = List.of("oldest", "newest", "best");
    /** Who may frame a standalone page: only Parley itself. */
    private static final List<String> STANDALONE_ANCESTORS = List.of("'self'");

    private final SiteRepository sites;
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

    public ThreadPages(SiteRepository sites, ThreadRepository threads, CommentRepository comments,
                         CommentService service, Viewers viewers, Sessions sessions, Csrf csrf, RateLimits limits,
                         Templates templates, Cache cache, ThreadVersions versions) {
        this.sites = sites;
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
        this.overlay = new ViewerOverlay(threads, comments, service, sessions, csrf, templates);
    }

    /** Which of the two pages a request is for, with what it needs to render and to link back to itself. */
    private record Target(Site site, CommentThread thread, boolean embed, String baseUrl, String theme,
                          List<String> frameAncestors) {
    }

    /** GET /t/:site/:key */
    public void page(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        show(req, resp, Address.standalone(req));
    }

    /** GET /embed/:site?key= */
    public void embed(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        show(req, resp, Address.embedded(req));
    }

    /** GET /t/:site/:key/me */
    public void overlay(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Address address = Address.standalone(req);
        overlay.write(req, resp, viewers.current(req), resolveOverlay(req, address));
    }

    /** GET /embed/:site/me?key= */
    public void embedOverlay(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Address address = Address.embedded(req);
        overlay.write(req, resp, viewers.current(req), resolveOverlay(req, address));
    }

    /** POST /t/:site/:key */
    public void post(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        post(req, resp, Address.standalone(req));
    }

    /** POST /embed/:site?key= */
    public void embedPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        post(req, resp, Address.embedded(req));
    }

    private void show(HttpServletRequest req, HttpServletResponse resp, Address address) throws IOException {
        if (notModified(req, resp, address) || servedStored(req, resp, address)) {
            return;
        }
        try {
            Target target = resolve(req, address, true);
            render(req, resp, target, Map.of(), 200);
        } catch (RuntimeException e) {
            // the database is away: the last stored copy of the shared page is better than an error page
            if (DatabaseUnavailable.causeOf(e).isEmpty() || !servedStale(req, resp, address)) {
                throw e;
            }
        }
    }

    private void post(HttpServletRequest req, HttpServletResponse resp, Address address) throws IOException {
        Target target = resolve(req, address, false);
        Account viewer = viewers.current(req);
        ScriptCookie.forgetIfTokenless(req, resp, SessionFilter.of(req));
        csrf.check(req, SessionFilter.of(req));
        try {
            limits.check(RateLimits.POST_COMMENT, viewer != null ? "account:" + viewer.id() : "ip:" + Requests.clientIp(req));
            CommentForm form = CommentForm.parse(req);
            CommentService.Posted posted = service.post(target.site(), target.thread(), viewer, form,
                    Requests.clientIp(req));
            Sort sort = Sort.parse(req.getParameter("sort"));
            // the page that holds the comment now (a reply's: its top-level comment's), cut as the visitor's next
            // view cuts it: the shared page for guests and scripted members (the overlay adds their own held ones)
            Long cutFor = viewer == null || ScriptCookie.present(req) ? null : viewer.id();
            Cursor page = comments.pageOf(threads.primary(target.thread()), target.thread().id(), posted.id(), sort,
                    cutFor).orElse(null);
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
            e.retryAfterSeconds().ifPresent(seconds -> resp.setHeader("Retry-After", Long.toString(seconds)));
            Map<String, Object> form = new HashMap<>();
            form.put("formError", e.getMessage());
            form.put("formField", e.field() == null ? "body" : e.field());
            form.put("formBody", nullToEmpty(req.getParameter("body")));
            form.put("formName", nullToEmpty(req.getParameter("name")));
            form.put("formEmail", nullToEmpty(req.getParameter("email")));
            form.put("formParent", nullToEmpty(req.getParameter("parent")));
            render(req, resp, target, form, e.status());
        }
    }

    /**
     * A conditional GET for the shared page answered from the cache alone: the page's address gives the thread's
     * id and version through ThreadVersions, and no SQL runs. Anything the cache does not know goes the ordinary
     * way.
     */
    private boolean notModified(HttpServletRequest req, HttpServletResponse resp, Address address) {
        Session session = SessionFilter.of(req);
        boolean shared = !session.signedIn() || ScriptCookie.present(req);
        if (!shared || req.getHeader("If-None-Match") == null || req.getParameter("posted") != null) {
            return false;
        }
        if (address.key() == null || address.key().isEmpty()) {
            return false;
        }
        var known = versions.current(address.site(), address.key());
        if (known.isEmpty()) {
            return false;
        }
        // the same cached site the full page would read (no SQL while it is cached): a settings change shows at once
        String siteStamp = pageSite(req, address).map(PageSite::stamp).orElse(null);
        if (siteStamp == null) {
            return false;
        }
        String etag = PageTags.etag(req, known.get().threadId(), known.get().version(), siteStamp);
        if (!PageTags.matches(req, etag)) {
            return false;
        }
        resp.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
        resp.setHeader("ETag", etag);
        resp.setHeader("Cache-Control", session.signedIn() ? PageTags.SIGNED_IN_CACHE_CONTROL : PageTags.PUBLIC_CACHE_CONTROL);
        resp.setHeader("Vary", PageTags.VARY);
        return true;
    }

    /**
     * The shared page as stored bytes, when the cache knows the thread's version and holds the page at it: no SQL,
     * no rendering. Not for a visitor who wrote lately (their version must come from the row, read where their
     * write is visible) nor for the writer's redirect; anything the cache does not know goes the ordinary way,
     * which stores the page.
     */
    private boolean servedStored(HttpServletRequest req, HttpServletResponse resp, Address address) throws IOException {
        Session session = SessionFilter.of(req);
        boolean shared = !session.signedIn() || ScriptCookie.present(req);
        if (!shared || req.getParameter("posted") != null || ReadYourWrites.wroteRecently()) {
            return false;
        }
        if (address.embed()) {
            embedParams(req); // the same refusals of a bad address as the ordinary way
        } else if (address.key().isEmpty()) {
            return false;
        }
        if (address.key() == null) {
            return false;
        }
        var known = versions.current(address.site(), address.key());
        if (known.isEmpty()) {
            return false;
        }
        var site = pageSite(req, address);
        if (site.isEmpty()) {
            return false;
        }
        String variant = PageTags.variant(req, site.get().stamp());
        long version = known.get().version();
        var page = new PageCache.Page(known.get().threadId(), variant);
        var bytes = pages.stored(page, version);
        if (bytes.isEmpty()) {
            return false;
        }
        resp.setStatus(200);
        resp.setHeader("ETag", PageTags.etag(page.threadId(), version, variant));
        resp.setHeader("Cache-Control", session.signedIn() ? PageTags.SIGNED_IN_CACHE_CONTROL : PageTags.PUBLIC_CACHE_CONTROL);
        resp.setHeader("Vary", PageTags.VARY);
        Templates.writeHtml(resp, bytes.get());
        return true;
    }

    /**
     * While the database cannot be reached: the newest stored copy of the shared page, whatever version it is of,
     * found through the cache alone (site, thread id, the variant's latest pointer). It may be behind, so it is
     * neither tagged nor kept: the next view asks again. Only for views that would get the shared page anyway.
     */
    private boolean servedStale(HttpServletRequest req, HttpServletResponse resp, Address address) throws IOException {
        Session session = SessionFilter.of(req);
        boolean shared = !session.signedIn() || ScriptCookie.present(req);
        if (!shared || resp.isCommitted() || address.key() == null || address.key().isEmpty()) {
            return false;
        }
        var site = pageSite(req, address);
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
            org.parley.web.SecurityHeaders.allowFramingBy(resp, site.get().ancestors());
        }
        Templates.writeHtml(resp, stored.get().bytes());
        return true;
    }

    /** What a page's address names: the site, and the thread key from the path or, for an embed, from ?key=. */
    private record Address(boolean embed, String site, String key) {
        static Address standalone(HttpServletRequest req) {
            PathParams path = PathParams.of(req);
            return new Address(false, path.text("site"), ThreadUrls.keyOf(path.text("key")));
        }

        static Address embedded(HttpServletRequest req) {
            return new Address(true, PathParams.of(req).text("site"), req.getParameter("key"));
        }
    }

    /**
     * The page an overlay completes, without reading the thread row when the cache knows its id: the overlay
     * needs only the id (which names the shard) and the site, which is in the object cache.
     */
    private ViewerOverlay.Page resolveOverlay(HttpServletRequest req, Address address) {
        Site site;
        String key;
        String baseUrl;
        if (address.embed()) {
            var params = embedParams(req);
            site = withOrigins(req, address.site()).orElseThrow(() -> HttpError.notFound("No such site.")).site();
            key = params.key();
            baseUrl = ThreadUrls.embed(site.name(), params);
        } else {
            site = sites.byName(address.site()).orElseThrow(() -> HttpError.notFound("No such site."));
            key = address.key();
            baseUrl = ThreadUrls.standalone(site.name(), key);
        }
        long threadId = versions.current(site.name(), key).map(ThreadVersions.Known::threadId)
                .orElseGet(() -> threads.find(site.id(), key)
                        .orElseThrow(() -> HttpError.notFound("No such discussion.")).id());
        Sort sort = Sort.parse(req.getParameter("sort"));
        return new ViewerOverlay.Page(site, threadId, baseUrl, sort,
                Cursor.parse(req.getParameter("after"), sort), Cursor.parse(req.getParameter("until"), sort));
    }

    private Target resolve(HttpServletRequest req, Address address, boolean mayCreate) {
        if (!address.embed()) {
            if (address.key().isEmpty()) {
                throw HttpError.notFound("There is no page at this address.");
            }
            Site site = sites.byName(address.site()).orElseThrow(() -> HttpError.notFound("No such site."));
            CommentThread thread = threads.find(site.id(), address.key())
                    .orElseThrow(() -> HttpError.notFound("No such discussion."));
            return new Target(site, thread, false, ThreadUrls.standalone(site.name(), thread.key()), null, STANDALONE_ANCESTORS);
        }
        var params = embedParams(req);
        var site = withOrigins(req, address.site()).orElseThrow(() -> HttpError.notFound("No such site."));
        CommentThread thread = mayCreate && originAllowed(params.url(), site.origins())
                ? threads.findOrCreate(site.site().id(), params.key(), params.url(), params.title() == null ? "" : params.title())
                : threads.find(site.site().id(), params.key()).orElseThrow(() -> HttpError.notFound(mayCreate
                        // the site owner reads this in the frame: say why the embed made no thread
                        ? "No such discussion yet: the embed starts one only for a page on the site's allowed origins ("
                        + String.join(", ", site.origins()) + "), and this page's address (data-url) is "
                        + (params.url() == null ? "missing." : params.url())
                        : "No such discussion."));
        return new Target(site.site(), thread, true, ThreadUrls.embed(site.site().name(), params), params.theme(),
                site.origins());
    }

    /** The embed's site and origins as EmbedFraming read them for this request (no second lookup), else read now. */
    /** The site as a page shows it: the site, and who may frame the page (its origins for an embed, else Parley). */
    private record PageSite(Site site, List<String> ancestors) {
        String stamp() {
            return PageTags.siteStamp(site, ancestors);
        }
    }

    /**
     * The page's site from the cache, looked up once per request however many ways of serving the page ask
     * (revalidation, the stored page, the stale copy while the database is away).
     */
    private Optional<PageSite> pageSite(HttpServletRequest req, Address address) {
        String attribute = PageSite.class.getName();
        @SuppressWarnings("unchecked")
        Optional<PageSite> known = (Optional<PageSite>) req.getAttribute(attribute);
        if (known == null) {
            known = address.embed()
                    ? withOrigins(req, address.site()).map(s -> new PageSite(s.site(), s.origins()))
                    : sites.byName(address.site()).map(s -> new PageSite(s, STANDALONE_ANCESTORS));
            req.setAttribute(attribute, known);
        }
        return known;
    }

    private Optional<SiteRepository.SiteWithOrigins> withOrigins(HttpServletRequest req, String name) {
        return EmbedFraming.siteRead(req, name).or(() -> sites.withOrigins(name));
    }

    private static ThreadUrls.EmbedParams embedParams(HttpServletRequest req) {
        String key = req.getParameter("key");
        if (key == null || key.isBlank()) {
            throw HttpError.badRequest("The embed needs a thread key (data-key on the parley_thread element).", "key");
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw HttpError.badRequest("A thread key can be at most " + MAX_KEY_LENGTH + " characters.", "key");
        }
        String url = blankToNull(req.getParameter("url"));
        if (url != null && (url.length() > 2000 || !(url.startsWith("https://") || url.startsWith("http://")))) {
            throw HttpError.badRequest("The page URL must be an http(s) address.", "url");
        }
        String title = blankToNull(req.getParameter("title"));
        if (title != null) {
            title = org.parley.web.DisplayText.clean(title);
            title = title.length() > 500 ? title.substring(0, 500) : title;
        }
        String theme = blankToNull(req.getParameter("theme"));
        return new ThreadUrls.EmbedParams(key, url, title, theme != null && THEMES.contains(theme) ? theme : null);
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
        Account viewer = viewers.current(req);
        // the shared page: the same bytes for every guest, and for signed-in viewers whose thread.js adds theirs
        boolean shared = viewer == null || (ScriptCookie.present(req) && "GET".equals(req.getMethod()));
        String token = shared ? null : csrf.token(SessionFilter.of(req));
        Account shown = shared ? null : viewer;
        String pageUrl = ThreadUrls.withPage(target.baseUrl(), sort, after == null ? null : after.format(sort));
        boolean closed = target.site().closed() || target.thread().closed();
        ListRequest list = new ListRequest(req, resp, target, sort, after, pageUrl, closed);

        // built only when the page is rendered: a stored shared page needs none of it (no SQL for the list)
        Supplier<Map<String, Object>> modelOf = () -> {
            Map<String, Object> model = new HashMap<>(form);
            model.put("commentList", shared ? sharedList(list) : renderList(list, viewer, token));
            model.put("site", target.site());
            model.put("thread", target.thread());
            model.put("sort", sort);
            model.put("sortOptions", SORT_OPTIONS);
            model.put("sortUrls", Map.of(
                    "oldest", ThreadUrls.withPage(target.baseUrl(), Sort.OLDEST, null),
                    "newest", ThreadUrls.withPage(target.baseUrl(), Sort.NEWEST, null),
                    "best", ThreadUrls.withPage(target.baseUrl(), Sort.BEST, null)));
            model.put("pageUrl", pageUrl);
            model.put("standaloneUrl", ThreadUrls.standalone(target.site().name(), target.thread().key()));
            model.put("postUrl", ThreadUrls.withPage(target.baseUrl(), sort, null));
            model.put("overlayUrl", shared ? pageUrl.replaceFirst("\\?", "/me?") : null);
            model.put("viewer", shown);
            model.put("csrf", token);
            model.put("embed", target.embed());
            model.put("theme", target.theme());
            model.put("pendingNotice", "pending".equals(req.getParameter("posted")));
            model.put("postedNotice", "approved".equals(req.getParameter("posted")));
            model.put("guestsAllowed", target.site().guestsAllowed());
            model.put("closed", closed);
            return model;
        };
        String template = target.embed() ? "thread/embed" : "thread/show";

        resp.setStatus(status);
        boolean revalidatable = shared && status == 200 && "GET".equals(req.getMethod())
                && req.getParameter("posted") == null;
        if (!revalidatable) {
            resp.setHeader("Cache-Control", "no-store");
            templates.render(req, resp, template, modelOf.get());
            return;
        }
        versions.seen(target.site().name(), target.thread());
        String variant = PageTags.variant(req, PageTags.siteStamp(target.site(), target.frameAncestors()));
        var page = new PageCache.Page(target.thread().id(), variant);
        // stored under the row's version: the page around the list is that row, the list at least as new (sharedList)
        byte[] bytes = pages.fetch(page, target.thread().version(),
                () -> templates.renderPage(req, resp, template, modelOf.get()));
        resp.setHeader("ETag", PageTags.etag(page.threadId(), target.thread().version(), variant));
        resp.setHeader("Cache-Control", viewer == null ? PageTags.PUBLIC_CACHE_CONTROL : PageTags.SIGNED_IN_CACHE_CONTROL);
        resp.setHeader("Vary", PageTags.VARY);
        Templates.writeHtml(resp, bytes);
    }

    /**
     * The shared list: the same HTML for everyone (no token, no viewer), so it comes from the fragment cache.
     * Signed-in viewers without script see their own votes and edit buttons, so theirs is rendered for them.
     */
    private String sharedList(ListRequest list) {
        var variant = new CommentListCache.Variant(list.target().thread().id(), list.sort().urlValue(),
                list.after() == null ? "-" : list.after().format(list.sort()), list.req().getLocale().toLanguageTag(),
                list.target().embed() ? "embed" : "page", list.target().theme() == null ? "-" : list.target().theme(),
                list.closed(), list.pageUrl());
        // never another version's list: a page stored under the row's version must hold what that version holds
        return lists.get(variant, list.target().thread().version(), () -> renderList(list, null, null));
    }

    /** What rendering a thread's comment list needs (thread/comments.html). */
    private record ListRequest(HttpServletRequest req, HttpServletResponse resp, Target target, Sort sort,
                               Cursor after, String pageUrl, boolean closed) {
    }

    private String renderList(ListRequest list, Account viewer, String token) {
        Target target = list.target();
        CommentRepository.Page page = comments.page(threads.reader(target.thread()),
                target.thread(), list.sort(), list.after(), viewer == null ? null : viewer.id());
        Set<Long> changeable = new HashSet<>();
        boolean locked = target.thread().locked();
        for (CommentView c : page.comments()) {
            if (!locked && service.canChange(target.site(), c, viewer)) {
                changeable.add(c.id());
            }
        }
        Map<String, Object> model = new HashMap<>();
        model.put("comments", page.comments());
        model.put("changeable", changeable);
        model.put("moreUrl", page.next() == null ? null
                : ThreadUrls.withPage(target.baseUrl(), list.sort(), page.next().format(list.sort())));
        model.put("pageUrl", list.pageUrl());
        model.put("embed", target.embed()); // permalinks open outside the host's frame (the list's variant has it)
        model.put("closed", list.closed());
        model.put("historicalBefore", service.historicalBefore());
        model.put("locked", locked); // part of the cached list: locking bumps the thread version, so the key too
        model.put("csrf", token);
        return templates.renderToString(list.req(), list.resp(), "thread/comments", model);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
