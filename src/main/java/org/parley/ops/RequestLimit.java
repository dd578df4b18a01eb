package org.parley.ops;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.Semaphore;

/**
 * How many requests are served at once; beyond that they wait their turn here (on a parked virtual thread, which
 * costs next to nothing). Health probes never wait: {@code /healthz} and {@code /readyz} skip the line, so a burst
 * of slow page requests (a slow database, an exhausted pool) cannot make the balancer's checks time out and take
 * the instance out of rotation — which would send the same burst to the next instance and take it out too. Live
 * streams ({@code /live/}) skip it too: they are bounded by their own setting. The
 * limit is applied here rather than by Jetty's thread pool, whose queue does not know a probe from a page.
 */
public final class RequestLimit extends HttpFilter {
    private static final Set<String> PROBES = Set.of("/healthz", "/readyz");
    private static final String LIVE = "/live/";

    private final Semaphore permits;

    public RequestLimit(int maxConcurrent) {
        this.permits = new Semaphore(maxConcurrent, true);
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        // live-update streams stay open for as long as a page does: they have their own bound
        // (PARLEY_LIVE_MAX_CONNECTIONS) and would otherwise hold these permits for hours
        if (PROBES.contains(req.getRequestURI()) || req.getRequestURI().startsWith(LIVE)) {
            chain.doFilter(req, resp);
            return;
        }
        permits.acquireUninterruptibly();
        try {
            chain.doFilter(req, resp);
        } finally {
            permits.release();
        }
    }

    /** Requests waiting for their turn right now (for tests and metrics). */
    public int waiting() {
        return permits.getQueueLength();
    }
}
