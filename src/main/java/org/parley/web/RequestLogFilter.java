package org.parley.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.parley.data.QueryStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Outermost filter: gives each request an id (HAProxy's or nginx's X-Request-Id when it is sane, else a new
 * one), counts its SQL, and writes one log line when it ends:
 * {@code GET /t/default/key 200 12.4 ms sql=2 (1.1 ms) id=… client=…} (the client as ClientAddressFilter
 * resolved it). In development mode the SQL count and time also
 * go out in a Server-Timing header, which browsers' developer tools display.
 */
public final class RequestLogFilter extends HttpFilter {
    public static final String REQUEST_ID_HEADER = "X-Request-Id";
    public static final String SQL_COUNT_HEADER = "X-Parley-Sql-Count";
    public static final String SQL_TARGETS_HEADER = "X-Parley-Sql-Targets";
    /** Reads of the cache a request made (round trips to Memcached or Redis), beside its statements. */
    public static final String CACHE_READS_HEADER = "X-Parley-Cache-Reads";
    private static final String REQUEST_ID_ATTRIBUTE = "parley.requestId";
    private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Logger log = LoggerFactory.getLogger("parley.access");

    private final boolean devMode;

    public RequestLogFilter(boolean devMode) {
        this.devMode = devMode;
    }

    /** The id of the request being served: error pages and logs quote it. */
    public static String requestId(HttpServletRequest req) {
        Object id = req.getAttribute(REQUEST_ID_ATTRIBUTE);
        return id == null ? "-" : id.toString();
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        long started = System.nanoTime();
        String id = requestIdFrom(req.getHeader(REQUEST_ID_HEADER));
        req.setAttribute(REQUEST_ID_ATTRIBUTE, id);
        resp.setHeader(REQUEST_ID_HEADER, id);
        MDC.put("requestId", id);
        QueryStats sql = QueryStats.begin();
        try {
            TimingHeaders timing = devMode ? new TimingHeaders(resp, sql) : null;
            chain.doFilter(req, timing != null ? timing : resp);
            if (timing != null) {
                timing.stamp(); // a response without a body (304) never asked for a writer
            }
        } finally {
            double ms = (System.nanoTime() - started) / 1_000_000.0;
            log.atInfo()
                    .addKeyValue("method", req.getMethod())
                    .addKeyValue("path", req.getRequestURI())
                    .addKeyValue("status", resp.getStatus())
                    .addKeyValue("ms", round(ms))
                    .addKeyValue("sql", sql.count())
                    .addKeyValue("sqlMs", round(sql.millis()))
                    .addKeyValue("client", req.getRemoteAddr())
                    .log(line(req.getMethod(), req.getRequestURI(), resp.getStatus(), ms, sql.count(), sql.millis(), id,
                            req.getRemoteAddr()));
            QueryStats.end();
            MDC.remove("requestId");
        }
    }

    /**
     * {@code GET /t/default/key 200 12.4 ms sql=2 (1.1 ms) id=… client=…}, built by hand: String.format parsed its
     * pattern on every request, a couple of percent of a cached page's CPU in a profile.
     */
    static String line(String method, String path, int status, double ms, long statements, double sqlMs, String id,
                       String client) {
        var line = new StringBuilder(128).append(method).append(' ').append(path).append(' ').append(status).append(' ');
        tenths(line, ms).append(" ms sql=").append(statements).append(" (");
        return tenths(line, sqlMs).append(" ms) id=").append(id).append(" client=").append(client).toString();
    }

    /** Milliseconds to one decimal, as %.1f writes them (never in exponent form). */
    private static StringBuilder tenths(StringBuilder line, double ms) {
        long tenths = Math.round(ms * 10);
        return line.append(tenths / 10).append('.').append(tenths % 10);
    }

    static String requestIdFrom(String header) {
        if (header != null && SANE_ID.matcher(header).matches()) {
            return header;
        }
        byte[] random = new byte[8];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    private static double round(double ms) {
        return Math.round(ms * 10) / 10.0;
    }

    /**
     * Adds the SQL headers at the last moment they can be added: when the body starts (by then a handler has
     * run its queries), on a redirect, or when the handler returns without a body.
     */
    private static final class TimingHeaders extends HttpServletResponseWrapper {
        private final QueryStats sql;

        TimingHeaders(HttpServletResponse response, QueryStats sql) {
            super(response);
            this.sql = sql;
        }

        private void stamp() {
            HttpServletResponse resp = (HttpServletResponse) getResponse();
            if (!resp.isCommitted()) {
                resp.setHeader(SQL_COUNT_HEADER, Long.toString(sql.count()));
                resp.setHeader(CACHE_READS_HEADER, Long.toString(sql.cacheReads()));
                // which servers answered: "s0003/replica=2,main/primary=1" (read routing is visible per request)
                resp.setHeader(SQL_TARGETS_HEADER, String.join(",", sql.perTarget().entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue()).toList()));
                resp.setHeader("Server-Timing", String.format(Locale.ROOT, "sql;desc=\"%d statements\";dur=%.1f",
                        sql.count(), sql.millis()));
            }
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            stamp();
            return super.getWriter();
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            stamp();
            return super.getOutputStream();
        }

        @Override
        public void sendRedirect(String location) throws IOException {
            stamp();
            super.sendRedirect(location);
        }

        @Override
        public void flushBuffer() throws IOException {
            stamp();
            super.flushBuffer();
        }
    }
}
