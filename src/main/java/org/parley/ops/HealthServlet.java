package org.parley.ops;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * {@code /healthz}: the process answers (restart me if not). {@code /readyz}: send me traffic — every database
 * is reachable and the instance is not draining (stopping). Plain text, never cached, no session or template work, so they stay cheap for balancers.
 */
public final class HealthServlet extends HttpServlet {
    private final Health health;
    private final Drain drain;

    public HealthServlet(Health health, Drain drain) {
        this.health = health;
        this.drain = drain;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain; charset=utf-8");
        resp.setHeader("Cache-Control", "no-store");
        if ("/healthz".equals(req.getServletPath())) {
            resp.getWriter().println("ok");
            return;
        }
        if (drain.draining()) {
            resp.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            resp.getWriter().println("not ready");
            resp.getWriter().println("draining: this instance is stopping");
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
