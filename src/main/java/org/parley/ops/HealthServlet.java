package org.parley.ops;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * {@code /healthz}: the process answers (restart me if not). {@code /readyz}: send me traffic — every database
 * is reachable. Plain text, never cached, no session or template work, so they stay cheap for balancers.
 */
public final class HealthServlet extends HttpServlet {
    private final Health health;

    public HealthServlet(Health health) {
        this.health = health;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain; charset=utf-8");
        resp.setHeader("Cache-Control", "no-store");
        if ("/healthz".equals(req.getServletPath())) {
            resp.getWriter().println("ok");
            return;
        }
        Health.Readiness readiness = health.readiness();
        if (readiness.ready()) {
            resp.getWriter().println("ready");
        } else {
            resp.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            resp.getWriter().println("not ready");
            for (String problem : readiness.problems()) {
                resp.getWriter().println(problem);
            }
        }
    }
}
