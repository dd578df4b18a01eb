package org.parley.ops;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.moderation.Console;
import org.parley.web.HttpError;
import org.parley.web.PathParams;

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
public final class QueryInspectorPages {
    private final QueryInspector inspector;
    private final double sampleRate;
    private final Console console;

    public QueryInspectorPages(QueryInspector inspector, double sampleRate, Console console) {
        this.inspector = inspector;
        this.sampleRate = sampleRate;
        this.console = console;
    }

    /** GET /admin/queries */
    public void list(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setHeader("Cache-Control", "no-store");
        console.render(req, resp, "admin/queries", Map.of("viewer", Console.administrator(req),
                "samples", inspector.list(), "ratePercent", sampleRate * 100, "kept", QueryInspector.KEPT));
    }

    /** GET /admin/queries/:n */
    public void one(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setHeader("Cache-Control", "no-store"); // the 404 of a forgotten sample too
        long id = PathParams.of(req).number("n", () -> HttpError.worded(404, "console.error.noSample"));
        QueryInspector.Sample sample = inspector.byId(id).orElseThrow(() -> HttpError.worded(404,
                "console.error.sampleGone", Long.toString(id), Integer.toString(QueryInspector.KEPT)));
        console.render(req, resp, "admin/query", Map.of("viewer", Console.administrator(req), "s", sample));
    }
}
