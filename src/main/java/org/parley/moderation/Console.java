package org.parley.moderation;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.account.Account;
import org.parley.account.Csrf;
import org.parley.account.SessionFilter;
import org.parley.account.Viewers;
import org.parley.site.Site;
import org.parley.site.SiteRepository;
import org.parley.web.BundleMessageResolver;
import org.parley.web.Guard;
import org.parley.web.Languages;
import org.parley.web.Templates;

import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * What every console page shares: who is asking and which sites they may touch (the rules are
 * {@link ConsoleAccess}'s), the CSRF token of its forms, and rendering a page that must not be cached. Each console
 * page takes one of these and keeps only the services that are its own; the doors ({@link #moderators()},
 * {@link #administrators()}) guard whole groups of routes in the route table, so no page can forget them.
 */
public final class Console {
    private final Moderators moderators;
    private final SiteRepository sites;
    private final Viewers viewers;
    private final Csrf csrf;
    private final Templates templates;

    public Console(Moderators moderators, SiteRepository sites, Viewers viewers, Csrf csrf, Templates templates) {
        this.moderators = moderators;
        this.sites = sites;
        this.viewers = viewers;
        this.csrf = csrf;
        this.templates = templates;
    }

    /** Who came through the moderators' door: the signed-in viewer and the ids of the sites they moderate. */
    public record Visit(Account viewer, Set<Long> mine) {
    }

    private static final String VISIT = Visit.class.getName();
    private static final String ADMINISTRATOR = Console.class.getName() + ".administrator";

    /**
     * The door of the moderators' routes: lets in a signed-in moderator and leaves their {@link Visit} on the
     * request. A form post's CSRF token is checked first, before anything is looked up. A guest's GET is sent to
     * sign in instead; a guest's POST gets a 401 and an account that moderates nothing a 403, as
     * {@link ConsoleAccess} says.
     */
    public Guard moderators() {
        return (req, resp) -> {
            checkFormToken(req);
            Account viewer = viewers.current(req);
            Set<Long> mine = ConsoleAccess.sites(moderators, req, resp, viewer);
            if (mine == null) {
                return false;
            }
            req.setAttribute(VISIT, new Visit(viewer, mine));
            return true;
        };
    }

    /** The door of the operators' pages: administrators only; a guest's GET is sent to sign in, anyone else refused. */
    public Guard administrators() {
        return (req, resp) -> {
            checkFormToken(req);
            Account viewer = viewers.current(req);
            if (!ConsoleAccess.administrator(req, resp, viewer)) {
                return false;
            }
            req.setAttribute(ADMINISTRATOR, viewer);
            return true;
        };
    }

    /** A form post's CSRF token, checked before the door looks anything up. */
    private void checkFormToken(HttpServletRequest req) {
        if ("POST".equals(req.getMethod())) {
            csrf.check(req, SessionFilter.of(req));
        }
    }

    /** The moderator {@link #moderators()} let in; only routes behind that door may ask. */
    public static Visit visit(HttpServletRequest req) {
        Visit visit = (Visit) req.getAttribute(VISIT);
        if (visit == null) {
            throw new IllegalStateException(req.getRequestURI() + " is not behind the moderators' door");
        }
        return visit;
    }

    /** The administrator {@link #administrators()} let in; only routes behind that door may ask. */
    public static Account administrator(HttpServletRequest req) {
        Account administrator = (Account) req.getAttribute(ADMINISTRATOR);
        if (administrator == null) {
            throw new IllegalStateException(req.getRequestURI() + " is not behind the administrators' door");
        }
        return administrator;
    }

    /**
     * The site in the address ({@code :site}) when the visitor owns it: 404 for a site they do not moderate (as for
     * one that does not exist), 403 for one they only moderate. Owners change settings, moderators and hooks.
     */
    public Site ownedSite(HttpServletRequest req) {
        Visit visit = visit(req);
        long id = ConsoleAccess.requireSite(visit.mine(), org.parley.web.PathParams.of(req).text("site"));
        Site site = sites.byId(id).orElseThrow(() -> org.parley.web.HttpError.worded(404,
                "console.error.noSuchSite"));
        if (!moderators.owns(visit.viewer(), site.id())) {
            throw org.parley.web.HttpError.worded(403, "console.error.ownersOnly");
        }
        return site;
    }

    /** The viewer's sites by id, in name order, for showing names. */
    public Map<Long, Site> named(Set<Long> mine) {
        return ConsoleAccess.named(sites, mine);
    }

    /** The token every console form carries. */
    public String csrfToken(HttpServletRequest req) {
        return csrf.token(SessionFilter.of(req));
    }

    /** Renders a console page: never stored by the browser or a proxy, since it shows moderators' data. */
    public void render(HttpServletRequest req, HttpServletResponse resp, String template, Map<String, Object> model)
            throws IOException {
        resp.setHeader("Cache-Control", "no-store");
        Map<String, Object> withTimes = new java.util.HashMap<>(model); // pages may hand in an immutable map
        withTimes.putIfAbsent("when", new org.parley.web.RelativeTime(java.time.Instant.now(), Languages.of(req)));
        templates.render(req, resp, template, withTimes);
    }

    /**
     * A sentence a console page makes in Java (a form field's error, a notice), in the reader's language: the
     * same bundle and ICU formatting as the templates' {@code #{key}}, so it reads like the page around it.
     */
    public static String text(HttpServletRequest req, String key, Object... args) {
        return BundleMessageResolver.message(Languages.of(req), key, args);
    }

    /** The sites, for the pages that read or change them. */
    public SiteRepository sites() {
        return sites;
    }
}
