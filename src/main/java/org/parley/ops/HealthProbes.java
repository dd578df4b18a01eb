package org.parley.ops;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.PrintWriter;

/**
 * {@code /healthz}: the process answers (restart me if not). {@code /readyz}: send me traffic — the instance has
 * started and is not draining ({@link Health}); a database outage is listed below "ready" but does not fail it.
 * Plain text, never cached, no session, template or database work, so they stay cheap and fast for balancers
 * (and they skip the queue of page requests, see RequestLimit).
 */
public final class HealthProbes {
    private final Health health;

    public HealthProbes(Health health) {
        this.health = health;
    }

    /** GET /healthz */
    public void live(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        plain(resp).println("ok");
    }

    /** GET /readyz */
    public void ready(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        PrintWriter out = plain(resp);
        Health.Readiness readiness = health.readiness();
        if (readiness.ready()) {
            out.println("ready");
        } else {
            resp.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            out.println("not ready");
            readiness.reason().ifPresent(out::println);
        }
        readiness.notes().forEach(out::println);
    }

    private static PrintWriter plain(HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain; charset=utf-8");
        resp.setHeader("Cache-Control", "no-store");
        return resp.getWriter();
    }
}
