package org.parley.web;

import jakarta.servlet.http.HttpServletRequest;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * The attributes every cookie Parley sets carries, so that it also works inside the embed on another site: in a
 * secure context {@code Secure; SameSite=None; Partitioned} (a third-party frame gets no other cookie), over plain
 * HTTP {@code SameSite=Lax} (a Secure cookie would be dropped there: the standalone pages work, the embed needs
 * HTTPS). The session cookie and every other signed cookie share this one rule.
 */
public final class CookieAttributes {
    /** Browsers treat these hosts as secure contexts even over plain HTTP, so Secure cookies work there. */
    private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    private final boolean httpsPublicUrl;

    /**
     * @param publicUrl when it is https, cookies are always Secure: TLS ends at nginx or HAProxy, so the request
     *                  Jetty sees is plain HTTP
     */
    public CookieAttributes(URI publicUrl) {
        this.httpsPublicUrl = "https".equalsIgnoreCase(publicUrl.getScheme());
    }

    /** Whether the browser that sent {@code req} keeps Secure cookies from it. */
    public boolean secureContext(HttpServletRequest req) {
        String host = req.getServerName();
        return httpsPublicUrl || req.isSecure() || (host != null && isLoopback(host));
    }

    /** A Set-Cookie header value for an HttpOnly cookie, with the attributes {@code req}'s context allows. */
    public String setCookie(HttpServletRequest req, String name, String value, Duration maxAge) {
        return setCookie(name, value, maxAge, secureContext(req), true);
    }

    public static String setCookie(String name, String value, Duration maxAge, boolean secure, boolean httpOnly) {
        return name + "=" + value + "; Path=/; Max-Age=" + maxAge.toSeconds() + (httpOnly ? "; HttpOnly" : "")
                + (secure ? "; Secure; SameSite=None; Partitioned" : "; SameSite=Lax");
    }

    private static boolean isLoopback(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        return LOOPBACK_HOSTS.contains(name) || name.endsWith(".localhost");
    }
}
