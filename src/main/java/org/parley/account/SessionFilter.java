package org.parley.account;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * Resolves each request's {@link Session} once, before any handler, and keeps signed-in sessions alive: an HTML
 * page view (GET or HEAD asking for text/html) rewrites a signed-in cookie older than a day. Guests get no cookie
 * here — their pages are shared and publicly cacheable (docs/caching.md) — and health probes, static files and
 * API calls stay free of Set-Cookie.
 */
public final class SessionFilter extends HttpFilter {
    private final Sessions sessions;

    public SessionFilter(Sessions sessions) {
        this.sessions = sessions;
    }

    /** The session of the request being served. */
    public static Session of(HttpServletRequest req) {
        Session session = Sessions.resolved(req);
        if (session == null) {
            throw new IllegalStateException("No session for " + req.getMethod() + " " + req.getRequestURI()
                    + ": SessionFilter is not installed for this path (see ParleyServer)");
        }
        return session;
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        if (isPageView(req)) {
            sessions.refreshIfDue(req, resp);
        } else {
            sessions.current(req);
        }
        chain.doFilter(req, resp);
    }

    private static boolean isPageView(HttpServletRequest req) {
        String method = req.getMethod();
        String accept = req.getHeader("Accept");
        return ("GET".equals(method) || "HEAD".equals(method)) && accept != null && accept.contains("text/html");
    }
}
