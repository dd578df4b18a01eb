package org.parley.ops;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.web.Guard;
import org.parley.web.HttpError;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Who may read {@code /metrics}: a scraper on this machine, or anyone presenting PARLEY_METRICS_TOKEN as a
 * bearer token. "On this machine" means a loopback peer that carries no forwarding header — nginx or HAProxy on
 * the same host forward visitors from 127.0.0.1 too, and say so with X-Forwarded-For / Forwarded / X-Real-IP.
 */
public final class MetricsAccess implements Guard {
    private static final String BEARER = "Bearer ";
    private static final String[] FORWARDING_HEADERS = {"X-Forwarded-For", "Forwarded", "X-Real-IP"};

    private final byte[] token;

    /** @param token the bearer token, or empty for "this machine only" */
    public MetricsAccess(String token) {
        this.token = token == null || token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    public boolean tokenConfigured() {
        return token != null;
    }

    /** The operators' door: a 401 asking for the token when one is set, else a 403 naming the setting. */
    @Override
    public boolean admit(HttpServletRequest req, HttpServletResponse resp) {
        if (allows(req)) {
            return true;
        }
        if (tokenConfigured()) {
            resp.setHeader("WWW-Authenticate", "Bearer realm=\"parley-metrics\"");
            throw new HttpError(401, "Metrics need the bearer token set in PARLEY_METRICS_TOKEN.");
        }
        throw new HttpError(403, "Metrics are served to this machine only; set PARLEY_METRICS_TOKEN to let a "
                + "scraper elsewhere in with a bearer token.");
    }

    public boolean allows(HttpServletRequest req) {
        return hasToken(req.getHeader("Authorization")) || isLocal(req);
    }

    private boolean hasToken(String authorization) {
        if (token == null || authorization == null || !authorization.startsWith(BEARER)) {
            return false;
        }
        byte[] given = authorization.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token); // constant time: the token is a password
    }

    static boolean isLocal(HttpServletRequest req) {
        for (String header : FORWARDING_HEADERS) {
            if (req.getHeader(header) != null) {
                return false;
            }
        }
        String peer = req.getRemoteAddr();
        if (peer == null || !peer.matches("[0-9a-fA-F:.\\[\\]%]+")) {
            return false; // only a literal address; never let a name reach a resolver
        }
        try {
            return InetAddress.getByName(peer).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
