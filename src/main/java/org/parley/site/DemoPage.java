package org.parley.site;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.web.Templates;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

/**
 * {@code /demo}: a stand-in host page embedding the default site's "demo" discussion, so a fresh installation
 * shows the embed working on its first page view (the default site allows Parley's own public origin).
 */
public final class DemoPage {
    private final Templates templates;
    private final URI publicUrl;

    public DemoPage(Templates templates, URI publicUrl) {
        this.templates = templates;
        this.publicUrl = publicUrl;
    }

    /** GET /demo */
    public void show(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        templates.render(req, resp, "demo", Map.of("publicUrl", publicUrl.toString()));
    }
}
