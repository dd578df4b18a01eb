package org.parley.thread;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.account.Account;
import org.parley.account.Session;
import org.parley.account.SessionFilter;
import org.parley.account.Viewers;
import org.parley.cache.Cache;
import org.parley.comment.CommentForm;
import org.parley.comment.CommentRepository;
import org.parley.comment.CommentService;
import org.parley.comment.CommentView;
import org.parley.comment.Cursor;
import org.parley.comment.Sort;
import org.parley.site.Site;
import org.parley.site.SiteRepository;
import org.parley.web.Csrf;
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

/**
 * A thread's page, standalone ({@code /t/{site}/{key}}) or inside a host page's iframe
 * ({@code /embed/{site}?key=…}), and posting to it. Both are plain forms with post/redirect/get, so everything
 * works without JavaScript. A page costs three statements whatever the thread's size: the site, the thread,
 * and one query for a page of comments with all their replies; two while the site is in the object cache, and
 * one for a guest whose comment list is in the fragment cache ({@link CommentListCache}).
 */
public final class ThreadServlet extends HttpServlet {
    private static final Set<String> THEMES = Set.of("light", "dark");
    private static final int MAX_KEY_LENGTH = 500;
    private static final List<String> SORT_OPTIONS = List.of("oldest", "newest", "best");

    private final SiteRepository sites;
    private final ThreadRepository threads;
    private final CommentRepository comments;
    private final CommentService service;
    private final Viewers viewers;
    private final Csrf csrf;
    private final RateLimits limits;
    private final Templates templates;
    private final CommentListCache lists;
    private final ThreadVersions versions;

    public ThreadServlet(SiteRepository sites, ThreadRepository threads, CommentRepository comments,
                         CommentService service, Viewers viewers, Csrf csrf, RateLimits limits, Templates templates,
                         Cache cache, ThreadVersions versions) {
        this.sites = sites;
        this.threads = threads;
        this.comments = comments;
        this.service = service;
        this.viewers = viewers;
        this.csrf = csrf;
        this.limits = limits;
        this.templates = templates;
        this.lists = new CommentListCache(cache);
        this.versions = versions;
    }

    /** Which of the two pages a request is for, with what it needs to render and to link back to itself. */
    private record Target(Site site, CommentThread thread, boolean embed, String baseUrl, String theme,
                          List<String> frameAncestors) {
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (notModified(req, resp)) {
            return;
        }
        Target target = resolve(req, true);
        render(req, resp, target, Map.of(), 200);
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Target target = resolve(req, false);
        Account viewer = viewers.current(req);
        csrf.check(req, SessionFilter.of(req));
        try {
            limits.check(RateLimits.POST_COMMENT, viewer != null ? "account:" + viewer.id() : "ip:" + Requests.clientIp(req));
            CommentForm form = CommentForm.parse(req);
            CommentService.Posted posted = service.post(target.site(), target.thread(), viewer, form,
                    Requests.clientIp(req));
            String url = ThreadUrls.withPage(target.baseUrl(), Sort.parse(req.getParameter("sort")), null);
            // "posted" tells the page to show this write: never the previous version's cached list (CommentListCache)
            url += posted.state() == CommentView.State.PENDING ? "&posted=pending" : "&posted=approved";
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
     * A guest's conditional GET answered from the cache alone: the page's address gives the thread's id and
     * version through ThreadVersions, the session cookie gives the token, and no SQL runs. Anything the cache
     * does not know goes the ordinary way.
     */
    private boolean notModified(HttpServletRequest req, HttpServletResponse resp) {
        Session session = SessionFilter.of(req);
        if (session.signedIn() || req.getHeader("If-None-Match") == null || req.getParameter("posted") != null) {
            return false;
        }
        boolean embed = req.getServletPath().startsWith("/embed");
        List<String> segments = Requests.segmentsAfter(req, embed ? "/embed/" : "/t/");
        String key = embed ? req.getParameter("key") : segments.size() == 2 ? segments.get(1) : null;
        if (segments.size() != (embed ? 1 : 2) || key == null || key.isEmpty()) {
            return false;
        }
        var known = versions.current(segments.getFirst(), key);
        if (known.isEmpty()) {
            return false;
        }
        String etag = PageTags.etag(req, known.get().threadId(), known.get().version(), csrf.token(session));
        if (!PageTags.matches(req, etag)) {
            return false;
        }
        resp.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
        resp.setHeader("ETag", etag);
        resp.setHeader("Cache-Control", PageTags.GUEST_CACHE_CONTROL);
        resp.setHeader("Vary", PageTags.VARY);
        return true;
    }

    private Target resolve(HttpServletRequest req, boolean mayCreate) {
        boolean embed = req.getServletPath().startsWith("/embed");
        if (!embed) {
            List<String> segments = Requests.segmentsAfter(req, "/t/");
            if (segments.size() != 2 || segments.get(1).isEmpty()) {
                throw HttpError.notFound("There is no page at this address.");
            }
            Site site = sites.byName(segments.get(0)).orElseThrow(() -> HttpError.notFound("No such site."));
            CommentThread thread = threads.find(site.id(), segments.get(1))
                    .orElseThrow(() -> HttpError.notFound("No such discussion."));
            return new Target(site, thread, false, ThreadUrls.standalone(site.name(), thread.key()), null, List.of("'self'"));
        }
        List<String> segments = Requests.segmentsAfter(req, "/embed/");
        if (segments.size() != 1) {
            throw HttpError.notFound("There is no page at this address.");
        }
        var params = embedParams(req);
        var site = sites.withOrigins(segments.getFirst()).orElseThrow(() -> HttpError.notFound("No such site."));
        CommentThread thread = mayCreate && originAllowed(params.url(), site.origins())
                ? threads.findOrCreate(site.site().id(), params.key(), params.url(), params.title() == null ? "" : params.title())
                : threads.find(site.site().id(), params.key()).orElseThrow(() -> HttpError.notFound("No such discussion."));
        return new Target(site.site(), thread, true, ThreadUrls.embed(site.site().name(), params), params.theme(),
                site.origins());
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
            title = org.parley.comment.DisplayText.clean(title);
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
        String token = csrf.token(SessionFilter.of(req));
        String pageUrl = ThreadUrls.withPage(target.baseUrl(), sort, after == null ? null : after.format(sort));
        boolean closed = target.site().closed() || target.thread().closed();
        ListRequest list = new ListRequest(req, resp, target, sort, after, pageUrl, closed);

        Map<String, Object> model = new HashMap<>(form);
        model.put("commentList", viewer == null ? guestList(list, token) : renderList(list, viewer, token));
        model.put("site", target.site());
        model.put("thread", target.thread());
        model.put("sort", sort);
        model.put("sortOptions", SORT_OPTIONS);
        model.put("sortUrls", Map.of(
                "oldest", ThreadUrls.withPage(target.baseUrl(), Sort.OLDEST, null),
                "newest", ThreadUrls.withPage(target.baseUrl(), Sort.NEWEST, null),
                "best", ThreadUrls.withPage(target.baseUrl(), Sort.BEST, null)));
        model.put("pageUrl", pageUrl);
        model.put("postUrl", ThreadUrls.withPage(target.baseUrl(), sort, null));
        model.put("viewer", viewer);
        model.put("csrf", token);
        model.put("embed", target.embed());
        model.put("theme", target.theme());
        model.put("pendingNotice", "pending".equals(req.getParameter("posted")));
        model.put("guestsAllowed", target.site().guestsAllowed());
        model.put("closed", closed);

        resp.setStatus(status);
        boolean revalidatable = viewer == null && status == 200 && "GET".equals(req.getMethod())
                && req.getParameter("posted") == null;
        if (revalidatable) {
            versions.seen(target.site().name(), target.thread());
            resp.setHeader("ETag", PageTags.etag(req, target.thread().id(), target.thread().version(), token));
            resp.setHeader("Cache-Control", PageTags.GUEST_CACHE_CONTROL);
            resp.setHeader("Vary", PageTags.VARY);
        } else {
            resp.setHeader("Cache-Control", "no-store");
        }
        if (target.embed()) {
            resp.setHeader("Content-Security-Policy", org.parley.web.SecurityHeaders.policy(target.frameAncestors()));
        }
        templates.render(req, resp, target.embed() ? "thread/embed" : "thread/show", model);
    }

    /**
     * A guest's list: the same HTML for every guest, so it comes from the fragment cache with a placeholder where
     * the CSRF token goes, and this visitor's token is put in (see CsrfField). Signed-in viewers see their own
     * votes and edit buttons, so theirs is rendered for them every time.
     */
    private String guestList(ListRequest list, String token) {
        var variant = new CommentListCache.Variant(list.target().thread().id(), list.sort().urlValue(),
                list.after() == null ? "-" : list.after().format(list.sort()), list.req().getLocale().toLanguageTag(),
                list.target().embed() ? "embed" : "page", list.target().theme() == null ? "-" : list.target().theme(),
                list.closed(), list.pageUrl());
        boolean ownWrite = list.req().getParameter("posted") != null;
        String html = lists.get(variant, list.target().thread().version(), ownWrite,
                () -> renderList(list, null, CsrfField.PLACEHOLDER));
        return CsrfField.fill(html, token);
    }

    /** What rendering a thread's comment list needs (thread/comments.html). */
    private record ListRequest(HttpServletRequest req, HttpServletResponse resp, Target target, Sort sort,
                               Cursor after, String pageUrl, boolean closed) {
    }

    private String renderList(ListRequest list, Account viewer, String csrfValue) {
        Target target = list.target();
        CommentRepository.Page page = comments.page(threads.reader(target.thread()),
                target.thread(), list.sort(), list.after(), viewer == null ? null : viewer.id());
        Set<Long> changeable = new HashSet<>();
        for (CommentView c : page.comments()) {
            if (service.canChange(target.site(), c, viewer)) {
                changeable.add(c.id());
            }
        }
        Map<String, Object> model = new HashMap<>();
        model.put("comments", page.comments());
        model.put("changeable", changeable);
        model.put("moreUrl", page.next() == null ? null
                : ThreadUrls.withPage(target.baseUrl(), list.sort(), page.next().format(list.sort())));
        model.put("pageUrl", list.pageUrl());
        model.put("closed", list.closed());
        model.put("csrfField", CsrfField.field(csrfValue));
        return templates.renderToString(list.req(), list.resp(), "thread/comments", model);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
