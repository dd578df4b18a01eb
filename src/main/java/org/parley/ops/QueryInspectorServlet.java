package org.parley.ops;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.account.Account;
import org.parley.account.Viewers;
import org.parley.moderation.ConsoleAccess;
import org.parley.web.HttpError;
import org.parley.web.Templates;

import java.io.IOException;
import java.util.Map;

/**
 * The query inspector for administrators.
 *
 * <pre>
 * GET /admin/queries        the sampled requests, newest first: route, status, time, SQL count, repeated SQL
 * GET /admin/queries/{n}    one request: every statement with its schema, role and time; cache hits and misses
 * </pre>
 */
public final class QueryInspectorServlet extends HttpServlet {
    private final QueryInspector inspector;
    private final double sampleRate;
    private final Viewers viewers;
    private final Templates templates;

    public QueryInspectorServlet(QueryInspector inspector, double sampleRate, Viewers viewers, Templates templates) {
        this.inspector = inspector;
        this.sampleRate = sampleRate;
        this.viewers = viewers;
        this.templates = templates;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Account viewer = viewers.current(req);
        if (!ConsoleAccess.administrator(req, resp, viewer)) {
            return;
        }
        resp.setHeader("Cache-Control", "no-store");
        String rest = req.getPathInfo();
        if (rest == null || rest.equals("/")) {
            templates.render(req, resp, "admin/queries", Map.of("viewer", viewer, "samples", inspector.list(),
                    "ratePercent", sampleRate * 100, "kept", QueryInspector.KEPT));
            return;
        }
        long id;
        try {
            id = Long.parseLong(rest.substring(1));
        } catch (NumberFormatException e) {
            throw HttpError.notFound("There is no sampled request with this number.");
        }
        var sample = inspector.byId(id).orElseThrow(() ->
                HttpError.notFound("There is no sampled request " + id + " any more: only the last "
                        + QueryInspector.KEPT + " are kept."));
        templates.render(req, resp, "admin/query", Map.of("viewer", viewer, "s", sample));
    }
}
