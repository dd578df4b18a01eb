package org.parley.discussion;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.cache.Cache;
import org.parley.site.SiteRepository;
import org.parley.site.SiteSettings;
import org.parley.web.EmbedFrame;
import org.parley.web.Requests;
import org.parley.web.Templates;

import java.io.IOException;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Decides, once per request and before any handler runs, whether the answer will be shown inside a site's embed
 * iframe, and if so lets that site's origins frame it ({@link EmbedFrame}). Every answer then carries the same
 * policy — the page, its 304 (Chromium merges a 304's headers into its cached copy, so a 304 saying
 * {@code frame-ancestors 'self'} breaks the next view), a form shown again with its error, an error page, the 401 a
 * guest gets for a vote — instead of each page remembering to set it on each of its paths.
 *
 * <p>A request belongs to an embed when its address is one ({@code /embed/{site}…}), or when it comes from a page
 * inside one: a form or link of the embed names it as {@code return=/embed/{site}?…} (sign in, sign up, the forms
 * of the reply, edit and report pages), or, on a comment's links in the embed's list, as {@code embed={site}}
 * ({@link ShownIn}: reply, edit, report, vote, delete). The site's origins come from the object cache, and the thread page takes the site from
 * here ({@link #siteRead}), so this adds no lookup to a request. On the embed page of a thread whose id this
 * process knows, the thread's version is read in the same round trip ({@link #versionRead}): a stored embed page
 * then costs one read of the cache, as a standalone one does.
 *
 * <p>The embed document itself is also checked against the page that frames it: a host origin the site does not
 * allow would only get a blocked frame, which tells nobody anything. It gets instead a page it may show, telling
 * the site owner what to add where ({@code thread/origin-refused.html}).
 */
public final class EmbedFraming extends HttpFilter {
    private static final String EMBED_PREFIX = "/embed/";
    /** The site this filter read, kept for the page: one lookup (a Memcached round trip, or SQL) per request. */
    private static final String SITE_ATTRIBUTE = EmbedFraming.class.getName() + ".site";
    /** The thread's version as read together with the site, for {@link StoredPages}. */
    private static final String VERSION_ATTRIBUTE = EmbedFraming.class.getName() + ".version";
    /**
     * Who may frame a page that shows nothing of a site (the refusal, a site that does not exist): anyone, so the
     * page that asked sees why. Not the asking origin by name: a CSP source cannot name an IPv6 address.
     */
    private static final List<String> ANYONE = List.of("*");
    /** Every site's name matches it (the site table's CHECK): anything else names no site, and is not looked up. */
    private static final Pattern SITE_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,49}");
    /** What {@code Sec-Fetch-Dest} says for a document loaded into an iframe (or a frame). */
    private static final List<String> FRAME_DESTINATIONS = List.of("iframe", "frame");

    private final SiteRepository sites;
    private final Templates templates;
    private final ThreadVersions versions;
    private final Cache cache;

    public EmbedFraming(SiteRepository sites, Templates templates, ThreadVersions versions, Cache cache) {
        this.sites = sites;
        this.templates = templates;
        this.versions = versions;
        this.cache = cache;
    }

    /** A thread's version key and the cache's answer for it (null: not there), read together with the site. */
    record VersionRead(ThreadVersions.Unread thread, String answer) {
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        boolean onEmbed = path(req).startsWith(EMBED_PREFIX);
        String returnUrl = onEmbed ? null : embedReturn(req);
        Optional<String> siteName = onEmbed ? Requests.segmentsAfter(req, EMBED_PREFIX).stream().findFirst()
                : ShownIn.embedSiteOf(returnUrl);
        if (siteName.isEmpty() || siteName.get().isEmpty()) {
            chain.doFilter(req, resp);
            return;
        }
        var site = SITE_NAME.matcher(siteName.get()).matches() ? read(req, onEmbed, siteName.get())
                : Optional.<SiteRepository.SiteWithOrigins>empty();
        Optional<String> host = onEmbed && isDocument(req) ? hostOrigin(req) : Optional.empty();
        if (site.isEmpty()) {
            // no such site (a wrong data-site): the page says so, readably in the host page that asked
            host.ifPresent(origin -> EmbedFrame.mark(req, resp, new EmbedFrame(ANYONE, null)));
            chain.doFilter(req, resp);
            return;
        }
        req.setAttribute(SITE_ATTRIBUTE, site.get());
        List<String> origins = site.get().origins();
        if (host.isPresent() && !origins.contains(host.get())) {
            refuse(req, resp, site.get(), host.get());
            return;
        }
        EmbedFrame.mark(req, resp, new EmbedFrame(origins, returnUrl));
        chain.doFilter(req, resp);
    }

    /** The site with its origins, and on a thread's embed page the thread's version with it in one round trip. */
    private Optional<SiteRepository.SiteWithOrigins> read(HttpServletRequest req, boolean onEmbed, String name) {
        var thread = onEmbed ? pageThread(req, name) : Optional.<ThreadVersions.Unread>empty();
        if (thread.isEmpty()) {
            return sites.withOrigins(name);
        }
        String siteKey = sites.withOriginsKey(name);
        Map<String, String> found = cache.getMulti(List.of(siteKey, thread.get().versionKey()));
        req.setAttribute(VERSION_ATTRIBUTE, new VersionRead(thread.get(), found.get(thread.get().versionKey())));
        return sites.withOrigins(name, Optional.ofNullable(found.get(siteKey)));
    }

    /**
     * The thread of a GET or HEAD of the embed page ({@code /embed/{site}?key=}), when this process knows its id.
     * Its version key joins the site's read whoever asks; only the shared page uses it (StoredPages), and for the
     * others it costs a few bytes in a round trip made anyway.
     */
    private Optional<ThreadVersions.Unread> pageThread(HttpServletRequest req, String name) {
        String key = req.getParameter("key");
        boolean page = ("GET".equals(req.getMethod()) || "HEAD".equals(req.getMethod()))
                && Requests.segmentsAfter(req, EMBED_PREFIX).size() == 1 && key != null && !key.isBlank();
        return page ? versions.unread(name, key) : Optional.empty();
    }

    /** The version of {@code thread} if this filter read it with the site for this request. */
    static Optional<VersionRead> versionRead(HttpServletRequest req, ThreadVersions.Unread thread) {
        return req.getAttribute(VERSION_ATTRIBUTE) instanceof VersionRead read && read.thread().equals(thread)
                ? Optional.of(read) : Optional.empty();
    }

    /** The site named {@code name} with its origins, if this filter read it for this request. */
    static Optional<SiteRepository.SiteWithOrigins> siteRead(HttpServletRequest req, String name) {
        return req.getAttribute(SITE_ATTRIBUTE) instanceof SiteRepository.SiteWithOrigins site
                && site.site().name().equals(name) ? Optional.of(site) : Optional.empty();
    }

    /**
     * The page on a host origin the site does not list: 403, framable anywhere (it holds nothing of the thread, only
     * what to change), never stored (no-store): the same address from an allowed page is the thread.
     */
    private void refuse(HttpServletRequest req, HttpServletResponse resp, SiteRepository.SiteWithOrigins site,
                        String host) throws IOException {
        EmbedFrame.mark(req, resp, new EmbedFrame(ANYONE, null));
        Map<String, Object> model = new HashMap<>();
        model.put("host", host);
        model.put("site", site.site());
        model.put("origins", site.origins());
        model.put("settingsUrl", "/admin/sites/" + site.site().id());
        model.put("theme", null);
        resp.setStatus(HttpServletResponse.SC_FORBIDDEN);
        resp.setHeader("Cache-Control", "no-store");
        templates.render(req, resp, "thread/origin-refused", model);
    }

    /**
     * The way back into the embed for a page reached from inside it: the embed page it names as its
     * {@code return} (only our own paths count), or a permalink shown in the embed ({@code /c/{id}?embed={site}});
     * else, for a comment's action reached from the embed's list ({@code /c/{id}/…?embed={site}}, {@link ShownIn}),
     * that comment's permalink in the embed.
     */
    private static String embedReturn(HttpServletRequest req) {
        String back = Requests.safeReturn(req.getParameter("return"), null);
        if (back != null) {
            return ShownIn.embedSiteOf(back).isPresent() ? back : null;
        }
        ShownIn shown = ShownIn.of(req);
        List<String> comment = Requests.segmentsAfter(req, "/c/");
        return shown.embed() && !comment.isEmpty() && comment.getFirst().matches("\\d{1,18}")
                ? shown.permalink(Long.parseLong(comment.getFirst())) : null;
    }

    /** The embed's page itself ({@code GET /embed/{site}?key=…}), not its overlay or a post to it. */
    private static boolean isDocument(HttpServletRequest req) {
        String method = req.getMethod();
        return ("GET".equals(method) || "HEAD".equals(method)) && path(req).indexOf('/', EMBED_PREFIX.length()) < 0;
    }

    /**
     * The origin of the page framing this request, as far as the request tells: the {@code Referer} a browser
     * sends when a host page loads the iframe (by default the page's origin), else the page address embed.js
     * reported ({@code url=}, for host pages that send no referrer). Only for a browser that says it loads a
     * frame ({@code Sec-Fetch-Dest}, every current one): a visit in a tab or a program's request has no host page,
     * and neither is checked when Parley's own page inside the frame navigated it (a sort link, a post's
     * redirect) — that frame was checked when it was first loaded.
     */
    static Optional<String> hostOrigin(HttpServletRequest req) {
        String destination = req.getHeader("Sec-Fetch-Dest");
        if (destination == null || !FRAME_DESTINATIONS.contains(destination.toLowerCase(Locale.ROOT))
                || "same-origin".equalsIgnoreCase(req.getHeader("Sec-Fetch-Site"))) {
            return Optional.empty();
        }
        String referer = req.getHeader("Referer");
        if (referer != null) {
            return originOf(referer).filter(origin -> !isAddressedHost(req, origin));
        }
        return originOf(req.getParameter("url"));
    }

    /** Is {@code origin} the host and port this request was sent to, i.e. a page of Parley itself? */
    private static boolean isAddressedHost(HttpServletRequest req, String origin) {
        String host = req.getHeader("Host");
        if (host == null) {
            return false;
        }
        String sent = host.strip().toLowerCase(Locale.ROOT).replaceFirst(":(80|443)$", "");
        return origin.substring(origin.indexOf("://") + 3).equals(sent);
    }

    private static Optional<String> originOf(String url) {
        if (url == null || url.length() > 2000) {
            return Optional.empty();
        }
        try {
            URI uri = URI.create(url);
            if (uri.getScheme() == null || uri.getHost() == null) {
                return Optional.empty();
            }
            return Optional.ofNullable(SiteSettings.origin(Requests.originOf(uri)));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // not a URL: nothing to check it against
        }
    }

    private static String path(HttpServletRequest req) {
        return req.getRequestURI().substring(req.getContextPath().length());
    }
}
