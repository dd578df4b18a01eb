package org.parley.ops;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.data.QueryStats;
import org.parley.metrics.MetricNames;
import org.parley.metrics.TotalTimer;
import org.parley.web.Routes;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Times every request into {@code parley.http.requests{route,status}} (status as a class: 2xx … 5xx) and adds
 * its SQL statements to {@code parley.http.sql_statements{route}}, so "statements per request by route" is one
 * division in Prometheus. Sits inside the request log (which opened the request's {@link QueryStats}) and
 * outside the error filter, so a 500 it rendered is counted as one.
 */
public final class RequestMetricsFilter extends HttpFilter {
    public static final String REQUESTS = "parley.http.requests";
    public static final String SQL_STATEMENTS = "parley.http.sql_statements";

    private final MetricRegistry registry;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, Counter> statements = new ConcurrentHashMap<>();

    public RequestMetricsFilter(MetricRegistry registry) {
        this.registry = registry;
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        long started = System.nanoTime();
        try {
            chain.doFilter(req, resp);
        } finally {
            String route = Routes.of(req);
            String status = (resp.getStatus() / 100) + "xx";
            timers.computeIfAbsent(route + " " + status,
                            k -> TotalTimer.in(registry, MetricNames.tagged(REQUESTS, "route", route, "status", status)))
                    .update(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            QueryStats sql = QueryStats.current();
            if (sql != null) {
                statements.computeIfAbsent(route,
                                r -> registry.counter(MetricNames.tagged(SQL_STATEMENTS, "route", r)))
                        .inc(sql.count());
            }
        }
    }
}
