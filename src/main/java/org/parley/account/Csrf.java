package org.parley.account;

import jakarta.servlet.http.HttpServletRequest;
import org.parley.web.HttpError;
import org.parley.web.KeyRing;
import org.parley.web.Requests;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Cross-site request forgery protection, two ways depending on who is posting (docs/sessions.md, "CSRF").
 *
 * <p><b>Signed-in sessions</b> prove a POST with a token derived from the session instead of stored: the HMAC of
 * the visitor id, so any instance can check it and nothing is kept. A page renders {@link #token} into a hidden
 * field {@value #FIELD} (or scripts send it as {@value #HEADER}). A new visitor id (sign-in, sign-out) retires
 * the old tokens; a new signing key does not, because every key of the ring is tried.
 *
 * <p><b>Guests</b> (no signed-in session) carry no token: their thread pages are one shared, publicly cacheable
 * HTML for every guest, so nothing per visitor can be in them. Their POSTs must instead say, through headers only
 * a browser sets and no page can forge, that they come from Parley's own origin: {@code Sec-Fetch-Site:
 * same-origin}, or else an {@code Origin} equal to the public URL's origin or to the origin the request was
 * addressed to. Absent or different: refused.
 */
public final class Csrf {
    public static final String FIELD = "csrf";
    public static final String HEADER = "X-CSRF-Token";
    /** The refusals' message keys (i18n/messages*.properties): the page says them in the visitor's language. */
    public static final String REFUSED = "account.error.csrf";
    public static final String CROSS_ORIGIN = "account.error.crossOrigin";
    /** {@link #CROSS_ORIGIN} when the origin is not one to quote back. */
    public static final String CROSS_ORIGIN_UNNAMED = "account.error.crossOrigin.unnamed";
    public static final String NO_ORIGIN = "account.error.noOrigin";
    /** Separates these MACs from every other use of the session keys. */
    private static final String PURPOSE = "csrf|";
    /** base64url without padding of HMAC-SHA256's 32 bytes. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
    /** What an origin may look like when quoted back in a message (anything else is not shown). */
    private static final Pattern PRINTABLE_ORIGIN = Pattern.compile("[A-Za-z0-9+.-]{1,20}://[A-Za-z0-9.:\\[\\]-]{1,200}");

    private final KeyRing keys;
    private final String publicOrigin;

    /** @param publicUrl the address visitors use (PARLEY_PUBLIC_URL): posts from its origin are our own */
    public Csrf(KeyRing keys, URI publicUrl) {
        this.keys = keys;
        this.publicOrigin = Requests.originOf(publicUrl).toLowerCase(Locale.ROOT);
    }

    public String token(Session session) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(keys.mac(input(session)));
    }

    /**
     * Refuses the request unless it is from Parley itself: a signed-in session's POST must carry its token (in
     * the {@value #HEADER} header or the {@value #FIELD} field), a guest's must come from Parley's origin.
     *
     * @throws HttpError 403 with a sentence saying what to do
     */
    public void check(HttpServletRequest req, Session session) {
        if (session.signedIn()) {
            checkToken(req, session);
        } else {
            checkSameOrigin(req);
        }
    }

    private void checkToken(HttpServletRequest req, Session session) {
        String sent = req.getHeader(HEADER);
        if (sent == null) {
            sent = req.getParameter(FIELD);
        }
        if (!matches(sent, session)) {
            throw HttpError.worded(403, REFUSED);
        }
    }

    /**
     * Fetch metadata first: every current browser sends {@code Sec-Fetch-Site} and it cannot be set by a page.
     * Browsers from before it (Safari before 16.4) still send {@code Origin} on every POST; a request with
     * neither did not come from a current browser's form, and is refused rather than trusted.
     */
    public void checkSameOrigin(HttpServletRequest req) {
        String site = req.getHeader("Sec-Fetch-Site");
        String origin = req.getHeader("Origin");
        // "none": the user's own action (typed, bookmarked, reloaded), which no other site can start
        if (site != null && !site.equalsIgnoreCase("same-origin") && !site.equalsIgnoreCase("none")) {
            throw crossOrigin(origin, site);
        }
        if (origin == null) {
            if (site != null) {
                return; // same-origin per fetch metadata, from a browser that left Origin out
            }
            throw HttpError.worded(403, NO_ORIGIN);
        }
        String sent = origin.strip().toLowerCase(Locale.ROOT);
        if (!sent.equals(publicOrigin) && !sent.equals(addressedOrigin(req))) {
            throw crossOrigin(origin, null);
        }
    }

    /**
     * The origin the browser sent this request to ({@code scheme://Host}): Parley reached under a name other than
     * the public URL (the embedded default at 127.0.0.1, an internal name). A page on another origin cannot make a
     * browser send its own origin with a request to this host.
     */
    private static String addressedOrigin(HttpServletRequest req) {
        String scheme = req.getScheme().toLowerCase(Locale.ROOT);
        int port = req.getServerPort();
        boolean defaultPort = port <= 0 || ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
        String host = req.getServerName().toLowerCase(Locale.ROOT);
        if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]"; // an IPv6 literal, as Origin writes it
        }
        return scheme + "://" + host + (defaultPort ? "" : ":" + port);
    }

    /** The refusal naming where the form came from: its origin if printable, else {@code fetchSite}, else neither. */
    private static HttpError crossOrigin(String origin, String fetchSite) {
        String named = origin != null && PRINTABLE_ORIGIN.matcher(origin.strip()).matches()
                ? origin.strip() : fetchSite;
        return named == null ? HttpError.worded(403, CROSS_ORIGIN_UNNAMED) : HttpError.worded(403, CROSS_ORIGIN, named);
    }

    /** True when {@code sent} is the token of {@code session} under any key of the ring (constant time). */
    public boolean matches(String sent, Session session) {
        return sent != null
                && TOKEN.matcher(sent).matches()
                && keys.verify(input(session), Base64.getUrlDecoder().decode(sent));
    }

    private static byte[] input(Session session) {
        return (PURPOSE + session.visitorId()).getBytes(StandardCharsets.UTF_8);
    }
}
