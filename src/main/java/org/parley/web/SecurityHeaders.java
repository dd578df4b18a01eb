package org.parley.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Headers that make injected markup inert even if something slipped past the sanitiser: scripts and styles
 * only from Parley itself (templates have no inline scripts), no plugins, forms post only to Parley, and pages
 * may be framed only by Parley — except the embed, which names its site's allowed origins instead.
 */
public final class SecurityHeaders extends HttpFilter {
    private static final String CSP = "Content-Security-Policy";
    private static final String FRAME_ANCESTORS = "frame-ancestors ";
    private static final List<String> SELF_ONLY = List.of("'self'");

    private final String policy;

    /** Scripts, styles and images from Parley itself only. */
    public SecurityHeaders() {
        this(Optional.empty());
    }

    /** Scripts, styles and images from Parley and from {@code cdnOrigin}, where the static files are served. */
    public SecurityHeaders(Optional<String> cdnOrigin) {
        this.policy = policy(cdnOrigin, SELF_ONLY);
    }

    /** The Content-Security-Policy: assets from Parley (and the CDN), framed only by {@code frameAncestors}. */
    public static String policy(Optional<String> cdnOrigin, List<String> frameAncestors) {
        String assets = "'self'" + cdnOrigin.map(origin -> " " + origin).orElse("");
        List<String> ancestors = frameAncestors.isEmpty() ? List.of("'none'") : frameAncestors;
        // Gravatar: pictures of sites that switched them on (docs/accounts.md); its images run no code
        return "default-src 'self'; img-src " + assets + " data: https://www.gravatar.com; style-src " + assets + "; script-src " + assets
                + "; object-src 'none'; base-uri 'none'; form-action 'self'; " + FRAME_ANCESTORS
                + String.join(" ", ancestors);
    }

    /**
     * Lets this response be framed by {@code origins} (a site's embed origins) instead of only by Parley: for the
     * embed and for every page a visitor reaches from inside it (sign up, sign in, reply, edit, report), which
     * the browser would otherwise refuse to show in the host page's iframe. Only the frame-ancestors part of the
     * policy this filter set changes; the asset sources stay. Call it through {@link EmbedFrame#mark}, so that
     * error pages keep it too.
     */
    public static void allowFramingBy(HttpServletResponse resp, List<String> origins) {
        String current = resp.getHeader(CSP);
        String base = current == null ? policy(Optional.empty(), SELF_ONLY) : current;
        String ancestors = origins.isEmpty() ? "'none'" : String.join(" ", origins);
        resp.setHeader(CSP, base.substring(0, base.indexOf(FRAME_ANCESTORS)) + FRAME_ANCESTORS + ancestors);
    }

    /**
     * The headers every response carries, by name: also written by {@link ContainerErrorServlet} and
     * {@link ConnectionErrors}, so Jetty's own refusals (a malformed request, a URI or headers too long) are as inert
     * as Parley's pages.
     */
    public Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(CSP, policy);
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "strict-origin-when-cross-origin");
        return headers;
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        headers().forEach(resp::setHeader);
        chain.doFilter(req, resp);
    }
}
