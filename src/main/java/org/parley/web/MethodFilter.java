package org.parley.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The methods Parley answers: GET, HEAD, POST and OPTIONS. Everything else is a 405 with an Allow header before any
 * feature sees it — above all TRACE (and Microsoft's TRACK), which the servlet API would answer by echoing the
 * request, Cookie header included, to whatever script sent it (cross-site tracing). OPTIONS stops naming TRACE.
 */
public final class MethodFilter extends HttpFilter {
    public static final Set<String> ALLOWED = Set.of("GET", "HEAD", "POST", "OPTIONS");
    public static final String ALLOW = "GET, HEAD, POST, OPTIONS";
    private static final Set<String> NEVER_ADVERTISED = Set.of("TRACE", "TRACK");

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        String method = req.getMethod();
        if (!ALLOWED.contains(method)) {
            resp.setHeader("Allow", ALLOW);
            // the method is an HTTP token (Jetty's parser checked it), so it is safe to name it back
            throw new HttpError(405, "This address does not accept " + method + " requests; Parley answers "
                    + ALLOW + ".");
        }
        chain.doFilter(req, resp);
        if ("OPTIONS".equals(method) && !resp.isCommitted() && resp.getHeader("Allow") != null) {
            resp.setHeader("Allow", withoutTrace(resp.getHeader("Allow")));
        }
    }

    /** HttpServlet's answer to OPTIONS lists TRACE whatever the servlet does; ours never serves it. */
    static String withoutTrace(String allow) {
        return Arrays.stream(allow.split(","))
                .map(String::strip)
                .filter(m -> !m.isEmpty() && !NEVER_ADVERTISED.contains(m))
                .collect(Collectors.joining(", "));
    }
}
