package org.parley.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.http.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * The one place exceptions become responses. {@link HttpError} is an expected exit and is rendered as is; so is a
 * client error Jetty raises while a handler reads the request (a form over the size limit, a bad escape in it), and
 * a database that cannot serve the request (unreachable, no free connection, out of disk): 503 with Retry-After,
 * no stack trace, since {@link org.parley.data.PrimaryCircuit} logs outages once (a full disk is logged here).
 * Anything else is a bug: logged once at ERROR with the request id and shown as "Something went wrong (ref …)".
 */
public final class ErrorFilter extends HttpFilter {
    private static final Logger log = LoggerFactory.getLogger(ErrorFilter.class);

    private final ErrorPages pages;
    private final UnexpectedErrors[] listeners;

    public ErrorFilter(ErrorPages pages, UnexpectedErrors... listeners) {
        this.pages = pages;
        this.listeners = listeners.clone();
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        try {
            chain.doFilter(req, resp);
        } catch (Exception e) {
            HttpError expected = expected(req, e);
            if (expected != null) {
                respond(req, resp, expected);
                return;
            }
            String ref = RequestLogFilter.requestId(req);
            log.error("Unhandled error in {} {} (ref {})", req.getMethod(), req.getRequestURI(), ref, e);
            for (UnexpectedErrors listener : listeners) {
                try {
                    listener.report(req, ref, e);
                } catch (RuntimeException reportFailed) {
                    log.warn("Reporting error {} to {} failed: {}", ref, listener, reportFailed.toString());
                }
            }
            respond(req, resp, HttpError.worded(500, "error.unexpectedLogged", ref));
        }
    }

    private void respond(HttpServletRequest req, HttpServletResponse resp, HttpError error) throws IOException {
        if (resp.isCommitted()) {
            log.warn("Could not send {} '{}' for {}: the response had already started", error.status(),
                    error.getMessage(), req.getRequestURI());
            return;
        }
        pages.render(req, resp, error);
    }

    /**
     * The user's answer inside what was thrown, or null for a bug. Servlet and template layers wrap what handlers
     * throw; Jetty wraps its own reasons too ("Unable to parse form content" around "form too large"), so the
     * innermost Jetty client error is the one that says what was wrong.
     */
    private static HttpError expected(HttpServletRequest req, Throwable e) {
        if (org.parley.data.ShardFence.isFence(e)) { // a write during the few seconds of a shard move's switch-over
            return HttpError.worded(503, "error.shardMoving");
        }
        // a database outage or a pool with no free connection: expected, logged once per episode by PrimaryCircuit
        var database = org.parley.data.DatabaseUnavailable.causeOf(e);
        if (database.isPresent()) {
            if (database.get().kind() == org.parley.data.DatabaseUnavailable.Kind.FULL) { // needs an operator now
                log.error("{} {} refused with 503: {}", req.getMethod(), req.getRequestURI(), database.get().getMessage());
            }
            return HttpError.worded(503, database.get().visitorMessageKey())
                    .retryingAfter(database.get().retryAfter().toSeconds());
        }
        HttpException jettyClientError = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpError http) {
                return http;
            }
            if (t instanceof HttpException jetty && jetty.getCode() >= 400 && jetty.getCode() < 500) {
                jettyClientError = jetty;
            }
        }
        if (jettyClientError == null) {
            return null;
        }
        int status = jettyClientError.getCode();
        return ErrorPages.containerError(status, req);
    }
}
