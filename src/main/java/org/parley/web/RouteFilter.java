package org.parley.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * Looks up the request's route once, first of all, so every later filter can name it (the request log, metrics,
 * the query inspector) and the {@link Router} only has to run it. Looking up never fails: an address with broken
 * encoding is remembered as such and refused by the router, where the error page is rendered.
 */
public final class RouteFilter extends HttpFilter {
    private static final String ATTRIBUTE = RouteFilter.class.getName();

    private final RouteTable table;

    public RouteFilter(RouteTable table) {
        this.table = table;
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        req.setAttribute(ATTRIBUTE, table.resolve(req.getMethod(), rawPath(req)));
        chain.doFilter(req, resp);
    }

    /** The request's resolution, or null when the request did not pass this filter. */
    static RouteTable.Resolution resolutionOf(HttpServletRequest req) {
        return (RouteTable.Resolution) req.getAttribute(ATTRIBUTE);
    }

    static String rawPath(HttpServletRequest req) {
        return req.getRequestURI().substring(req.getContextPath().length());
    }
}
