package org.parley.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * The one place exceptions become responses. {@link HttpError} is an expected exit and is rendered as is;
 * anything else is a bug: logged once at ERROR with the request id and shown as "Something went wrong (ref …)".
 */
public final class ErrorFilter extends HttpFilter {
    private static final Logger log = LoggerFactory.getLogger(ErrorFilter.class);

    private final ErrorPages pages;

    public ErrorFilter(ErrorPages pages) {
        this.pages = pages;
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        try {
            chain.doFilter(req, resp);
        } catch (HttpError e) {
            respond(req, resp, e.status(), e.getMessage(), e.field());
        } catch (Exception e) {
            HttpError wrapped = unwrap(e);
            if (wrapped != null) {
                respond(req, resp, wrapped.status(), wrapped.getMessage(), wrapped.field());
                return;
            }
            String ref = RequestLogFilter.requestId(req);
            log.error("Unhandled error in {} {} (ref {})", req.getMethod(), req.getRequestURI(), ref, e);
            respond(req, resp, 500, "Something went wrong (ref " + ref + "). It has been logged.", null);
        }
    }

    private void respond(HttpServletRequest req, HttpServletResponse resp, int status, String message, String field)
            throws IOException {
        if (resp.isCommitted()) {
            log.warn("Could not send {} '{}' for {}: the response had already started", status, message,
                    req.getRequestURI());
            return;
        }
        pages.render(req, resp, status, message, field);
    }

    /** Servlet and template layers wrap what handlers throw; an HttpError inside is still the user's answer. */
    private static HttpError unwrap(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpError http) {
                return http;
            }
        }
        return null;
    }
}
