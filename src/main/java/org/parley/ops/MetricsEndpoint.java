package org.parley.ops;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * {@code GET /metrics}: the instance's metric registry in the Prometheus text format (version 0.0.4), for the
 * scrapers {@link MetricsAccess} lets in. Names and labels: docs/metrics.md.
 */
public final class MetricsEndpoint {
    private final PrometheusBridge bridge;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    public MetricsEndpoint(PrometheusBridge bridge) {
        this.bridge = bridge;
    }

    /** GET /metrics, behind {@link MetricsAccess} */
    public void scrape(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType(PrometheusTextFormatWriter.CONTENT_TYPE);
        resp.setHeader("Cache-Control", "no-store");
        writer.write(resp.getOutputStream(), bridge.scrape());
    }
}
