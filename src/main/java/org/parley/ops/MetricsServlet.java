package org.parley.ops;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.web.HttpError;

import java.io.IOException;

/**
 * {@code GET /metrics}: the instance's metric registry in the Prometheus text format (version 0.0.4), for the
 * scrapers {@link MetricsAccess} lets in. Names and labels: docs/metrics.md.
 */
public final class MetricsServlet extends HttpServlet {
    private final PrometheusBridge bridge;
    private final MetricsAccess access;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    public MetricsServlet(PrometheusBridge bridge, MetricsAccess access) {
        this.bridge = bridge;
        this.access = access;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!access.allows(req)) {
            if (access.tokenConfigured()) {
                resp.setHeader("WWW-Authenticate", "Bearer realm=\"parley-metrics\"");
                throw new HttpError(401, "Metrics need the bearer token set in PARLEY_METRICS_TOKEN.");
            }
            throw new HttpError(403, "Metrics are served to this machine only; set PARLEY_METRICS_TOKEN to let a "
                    + "scraper elsewhere in with a bearer token.");
        }
        resp.setContentType(PrometheusTextFormatWriter.CONTENT_TYPE);
        resp.setHeader("Cache-Control", "no-store");
        writer.write(resp.getOutputStream(), bridge.scrape());
    }
}
