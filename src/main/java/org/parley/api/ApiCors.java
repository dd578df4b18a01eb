package org.parley.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.site.SiteRepository;

import java.io.IOException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cross-origin access to a site's API. Writes: the origins the site allows (its settings' origins, the same list
 * that may embed it) may send them with the visitor's cookies (credentials) and the headers writes need, and
 * their preflight is answered here; other origins get no CORS headers, so a browser sends them no JSON write and
 * lets them read no answer. Reads stay open to every origin without credentials ({@code *}, set by the reads
 * themselves), with a key in {@code Authorization} too, so a read's preflight is answered for any origin.
 */
public final class ApiCors extends HttpFilter {
    static final String METHODS = "GET, POST";
    static final String HEADERS = "Authorization, Content-Type, X-CSRF-Token";
    private static final Pattern SITE_PATH = Pattern.compile("^/api/v1/sites/([^/]+)(/.*)?$");

    private final SiteRepository sites;

    public ApiCors(SiteRepository sites) {
        this.sites = sites;
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        String origin = req.getHeader("Origin");
        String method = req.getMethod();
        if (origin == null || "GET".equals(method) || "HEAD".equals(method)) {
            chain.doFilter(req, resp); // reads answer for themselves (public data: any origin, no credentials)
            return;
        }
        String requested = req.getHeader("Access-Control-Request-Method");
        if ("OPTIONS".equals(method) && ("GET".equals(requested) || "HEAD".equals(requested))) {
            // a read with an API key: any origin may send the key header, no cookies involved
            resp.setHeader("Access-Control-Allow-Origin", "*");
            preflight(resp);
            return;
        }
        Optional<String> allowed = allowedOrigin(req.getRequestURI(), origin);
        if (allowed.isPresent()) {
            resp.setHeader("Access-Control-Allow-Origin", allowed.get());
            resp.setHeader("Access-Control-Allow-Credentials", "true");
            resp.addHeader("Vary", "Origin");
            if ("OPTIONS".equals(method) && requested != null) {
                preflight(resp);
                return;
            }
        }
        chain.doFilter(req, resp);
    }

    private static void preflight(HttpServletResponse resp) {
        resp.setHeader("Access-Control-Allow-Methods", METHODS);
        resp.setHeader("Access-Control-Allow-Headers", HEADERS);
        resp.setHeader("Access-Control-Max-Age", "600");
        resp.setStatus(HttpServletResponse.SC_NO_CONTENT);
    }

    private Optional<String> allowedOrigin(String uri, String origin) {
        Matcher site = SITE_PATH.matcher(uri);
        if (!site.matches()) {
            return Optional.empty();
        }
        String sent = origin.strip();
        return sites.withOrigins(site.group(1))
                .flatMap(s -> s.origins().stream().filter(o -> o.equalsIgnoreCase(sent)).findFirst());
    }
}
