package org.parley.ops;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.account.Account;
import org.parley.account.Viewers;
import org.parley.data.QueryStats;
import org.parley.web.RequestLogFilter;
import org.parley.web.Routes;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Decides which requests the {@link QueryInspector} keeps: a random share (PARLEY_INSPECTOR_SAMPLE_RATE), plus
 * any request an administrator marks with {@code ?inspect=1}. Capturing statement texts costs memory, so it is
 * switched on per request before the handler runs; machine routes and the inspector's own pages are never kept.
 */
public final class InspectorFilter extends HttpFilter {
    private static final Set<String> NEVER = Set.of("/metrics", "/static/*", "/assets/*", "/healthz", "/readyz",
            "/admin/queries", "/admin/queries/:n");
    private static final Pattern INSPECT = Pattern.compile("(^|&)inspect=1(&|$)");

    private final QueryInspector inspector;
    private final Viewers viewers;
    private final double sampleRate;
    private final Clock clock;

    public InspectorFilter(QueryInspector inspector, Viewers viewers, double sampleRate, Clock clock) {
        this.inspector = inspector;
        this.viewers = viewers;
        this.sampleRate = sampleRate;
        this.clock = clock;
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        QueryStats stats = QueryStats.current();
        String route = Routes.of(req);
        if (stats == null || NEVER.contains(route)) {
            chain.doFilter(req, resp);
            return;
        }
        boolean sampled = sampleRate > 0 && ThreadLocalRandom.current().nextDouble() < sampleRate;
        boolean asked = req.getQueryString() != null && INSPECT.matcher(req.getQueryString()).find();
        if (sampled || asked) {
            stats.capture();
        }
        Instant at = clock.instant();
        long started = System.nanoTime();
        try {
            chain.doFilter(req, resp);
        } finally {
            if (sampled || asked) {
                double millis = (System.nanoTime() - started) / 1_000_000.0;
                // asked for by URL: kept only for an administrator (anyone can type ?inspect=1)
                if (sampled || isAdministrator(req)) {
                    inspector.keep(RequestLogFilter.requestId(req), at, req.getMethod(), route, req.getRequestURI(),
                            resp.getStatus(), millis, stats);
                }
            }
        }
    }

    private boolean isAdministrator(HttpServletRequest req) {
        try {
            Account viewer = viewers.current(req);
            return viewer != null && viewer.admin();
        } catch (RuntimeException e) {
            return false; // the request failed before its session was read: not worth a second failure
        }
    }
}
