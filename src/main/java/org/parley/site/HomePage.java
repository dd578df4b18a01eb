package org.parley.site;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.account.Account;
import org.parley.account.Csrf;
import org.parley.account.SessionFilter;
import org.parley.account.Viewers;
import org.parley.web.Templates;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The front page: what this Parley serves, and how to embed it; for a signed-in visitor, who they are, the way
 * into the console when they moderate something, and sign-out. It differs per visitor, so it is never stored.
 */
public final class HomePage {
    private final SiteRepository sites;
    private final Viewers viewers;
    private final Predicate<Account> opensConsole;
    private final Csrf csrf;
    private final Templates templates;

    /** @param opensConsole whether an account administers or moderates at least one site */
    public HomePage(SiteRepository sites, Viewers viewers, Predicate<Account> opensConsole, Csrf csrf,
                       Templates templates) {
        this.sites = sites;
        this.viewers = viewers;
        this.opensConsole = opensConsole;
        this.csrf = csrf;
        this.templates = templates;
    }

    /** GET / */
    public void show(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Account viewer = viewers.current(req);
        Map<String, Object> model = new HashMap<>();
        model.put("sites", sites.all());
        model.put("viewer", viewer);
        model.put("console", viewer != null && opensConsole.test(viewer));
        model.put("csrf", viewer == null ? null : csrf.token(SessionFilter.of(req)));
        resp.setHeader("Cache-Control", "no-store");
        templates.render(req, resp, "home", model);
    }
}
