package org.parley.ops;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.moderation.Console;
import org.parley.web.HttpError;

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
    private final Console console;

    public QueryInspectorServlet(QueryInspector inspector, double sampleRate, Console console) {
        this.inspector = inspector;
        this.sampleRate = sampleRate;
        this.console = console;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        console.administrator(req, resp, viewer -> {
            resp.setHeader("Cache-Control", "no-store"); // the 404 of a forgotten sample too
            String rest = req.getPathInfo();
            if (rest == null || rest.equals("/")) {
                console.render(req, resp, "admin/queries", Map.of("viewer", viewer, "samples", inspector.list(),
                        "ratePercent", sampleRate * 100, "kept", QueryInspector.KEPT));
                return;
            }
            console.render(req, resp, "admin/query", Map.of("viewer", viewer, "s", sample(rest)));
        });
    }

    private QueryInspector.Sample sample(String rest) {
        long id;
        try {
            id = Long.parseLong(rest.substring(1));
        } catch (NumberFormatException e) {
            throw HttpError.notFound("There is no sampled request with this number.");
        }
        return inspector.byId(id).orElseThrow(() ->
                HttpError.notFound("There is no sampled request " + id + " any more: only the last "
                        + QueryInspector.KEPT + " are kept."));
    }
}
