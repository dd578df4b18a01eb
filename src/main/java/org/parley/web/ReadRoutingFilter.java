package org.parley.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.data.ReadYourWrites;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * Read routing for each request, installed only when some cluster has streaming replicas:
 * <ul>
 *     <li>opens the request's {@link ReadYourWrites} scope from the visitor's {@link WritePositionCookie}, and
 *     writes the cookie when a write of this request commits (before the handler redirects or renders);</li>
 *     <li>sends every read of a request that may write (anything but GET and HEAD) to the primary: a post reads
 *     the thread it writes to, and must neither fail because a replica stopped nor act on a lagging copy;</li>
 *     <li>serves a GET or HEAD once more when a replica connection broke under it (the replica stopped between two
 *     polls) and nothing was sent yet: the replica is marked down by then, so the second run reads elsewhere and
 *     the visitor never sees the failure.</li>
 * </ul>
 */
public final class ReadRoutingFilter extends HttpFilter {
    private static final Logger log = LoggerFactory.getLogger(ReadRoutingFilter.class);

    private final WritePositionCookie cookie;

    public ReadRoutingFilter(WritePositionCookie cookie) {
        this.cookie = cookie;
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        ReadYourWrites.begin(cookie.read(req), positions -> cookie.write(req, resp, positions), !idempotent(req));
        try {
            chain.doFilter(req, resp);
        } catch (IOException | ServletException | RuntimeException e) {
            if (!ReadYourWrites.takeReplicaFailure() || !idempotent(req) || resp.isCommitted()) {
                throw e;
            }
            log.info("{} {} failed on a replica that went away; serving it again", req.getMethod(), req.getRequestURI());
            resp.resetBuffer();
            chain.doFilter(req, resp);
        } finally {
            ReadYourWrites.end();
        }
    }

    private static boolean idempotent(HttpServletRequest req) {
        return "GET".equals(req.getMethod()) || "HEAD".equals(req.getMethod());
    }
}
