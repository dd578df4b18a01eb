package org.parley.site;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.web.Templates;

import java.io.IOException;
import java.util.Map;

/** The front page: what this Parley serves, and how to embed it. */
public final class HomeServlet extends HttpServlet {
    private final SiteRepository sites;
    private final Templates templates;

    public HomeServlet(SiteRepository sites, Templates templates) {
        this.sites = sites;
        this.templates = templates;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        templates.render(req, resp, "home", Map.of("sites", sites.all()));
    }
}
