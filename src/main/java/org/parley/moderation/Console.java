package org.parley.moderation;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.account.Account;
import org.parley.account.Csrf;
import org.parley.account.SessionFilter;
import org.parley.account.Viewers;
import org.parley.site.Site;
import org.parley.site.SiteRepository;
import org.parley.web.Templates;

import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * What every console page shares: who is asking and which sites they may touch (the rules are
 * {@link ConsoleAccess}'s), the CSRF token of its forms, and rendering a page that must not be cached. Each console
 * servlet takes one of these and keeps only the services that are its own, so the door is kept in one place.
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

    /** What a console page does once the door has let its viewer in. */
    @FunctionalInterface
    public interface Page {
        void answer(Account viewer, Set<Long> mine) throws IOException;
    }

    /** What an operator's page does once the door has let an administrator in. */
    @FunctionalInterface
    public interface AdministratorPage {
        void answer(Account administrator) throws IOException;
    }

    /**
     * Answers with {@code page} for the signed-in moderator and the ids of their sites. A guest's GET is sent to
     * sign in instead (and {@code page} not run); a guest's POST gets a 401 and an account that moderates nothing a
     * 403, as {@link ConsoleAccess} says.
     */
    public void enter(HttpServletRequest req, HttpServletResponse resp, Page page) throws IOException {
        Account viewer = viewers.current(req);
        Set<Long> mine = ConsoleAccess.sites(moderators, req, resp, viewer);
        if (mine != null) {
            page.answer(viewer, mine);
        }
    }

    /** {@link #enter} for a form post: the CSRF token is checked first, before anything is looked up. */
    public void enterPost(HttpServletRequest req, HttpServletResponse resp, Page page) throws IOException {
        csrf.check(req, SessionFilter.of(req));
        enter(req, resp, page);
    }

    /** Answers with {@code page} for an administrator; a guest's GET is sent to sign in, anyone else refused. */
    public void administrator(HttpServletRequest req, HttpServletResponse resp, AdministratorPage page)
            throws IOException {
        Account viewer = viewers.current(req);
        if (ConsoleAccess.administrator(req, resp, viewer)) {
            page.answer(viewer);
        }
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
        templates.render(req, resp, template, model);
    }

    /** The sites, for the pages that read or change them. */
    public SiteRepository sites() {
        return sites;
    }
}
