package org.parley.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.List;

/**
 * Headers that make injected markup inert even if something slipped past the sanitiser: scripts and styles
 * only from Parley itself (templates have no inline scripts), no plugins, forms post only to Parley, and pages
 * may be framed only by Parley — except the embed, which names its site's allowed origins instead.
 */
public final class SecurityHeaders extends HttpFilter {
    private static final List<String> SELF_ONLY = List.of("'self'");

    /** The Content-Security-Policy with {@code frameAncestors} allowed to frame the page. */
    public static String policy(List<String> frameAncestors) {
        List<String> ancestors = frameAncestors.isEmpty() ? List.of("'none'") : frameAncestors;
        return "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
                + "base-uri 'none'; form-action 'self'; frame-ancestors " + String.join(" ", ancestors);
    }

    /**
     * Lets this response be framed by {@code origins} (a site's embed origins) instead of only by Parley: for the
     * embed and for every page a visitor reaches from inside it (sign up, sign in, reply, edit, report), which
     * the browser would otherwise refuse to show in the host page's iframe.
     */
    public static void allowFramingBy(HttpServletResponse resp, List<String> origins) {
        resp.setHeader("Content-Security-Policy", policy(origins));
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        resp.setHeader("Content-Security-Policy", policy(SELF_ONLY));
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
        chain.doFilter(req, resp);
    }
}
