package org.parley.account;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.web.CookieAttributes;
import org.parley.web.KeyRing;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sessions kept entirely in a signed cookie, so that any instance serves any request and none keeps state a
 * neighbour needs (ARCHITECTURE.md, "Stateless"). The cookie value is
 * {@code s1.<visitorId>.<accountId or empty>.<issuedAt epoch seconds>.<keyId>.<mac>}, signed by the
 * {@link KeyRing}. Whatever is wrong with a cookie — forged, tampered, cut short, expired, signed by a retired
 * key — the request simply continues as a new guest: a bad cookie is never an error page.
 *
 * <p>The session of a request is resolved once and kept in a request attribute, so a guest who has no cookie
 * yet keeps the same visitor id for the whole request (the CSRF token rendered in a form must match the
 * cookie sent with it).
 */
public final class Sessions {
    public static final String COOKIE = "parley_session";
    /**
     * Readable by scripts (the session cookie is not): "this browser has a signed-in session", so thread.js knows
     * to ask for the viewer's overlay. Only a hint — the overlay itself trusts nothing but the session cookie.
     */
    public static final String MEMBER_HINT = "parley_member";
    /** A session unused this long ends; each page view within it extends it (see {@link #REFRESH_AFTER}). */
    public static final Duration MAX_AGE = Duration.ofDays(30);
    /** Rewriting the cookie at most daily keeps it alive for active visitors without a Set-Cookie per page. */
    public static final Duration REFRESH_AFTER = Duration.ofDays(1);
    private static final String VERSION = "s2";
    /** s2 adds the session generation; s1 cookies (before it) still count, as generation 0. */
    private static final Pattern PAYLOAD = Pattern.compile(
            "s([12])\\.([A-Za-z0-9_-]{22})\\.([0-9]{0,18})\\.([0-9]{1,18})(?:\\.([0-9]{1,9}))?");
    private static final String ATTRIBUTE = Session.class.getName();
    private static final String SET_COOKIE = "Set-Cookie";

    private final KeyRing keys;
    private final CookieAttributes cookies;
    private final Clock clock;

    /**
     * @param publicUrl when it is https, cookies are always Secure: TLS ends at nginx or HAProxy, so the
     *                  request Jetty sees is plain HTTP
     */
    public Sessions(KeyRing keys, URI publicUrl, Clock clock) {
        this.keys = keys;
        this.cookies = new CookieAttributes(publicUrl);
        this.clock = clock;
    }

    public Sessions(KeyRing keys, URI publicUrl) {
        this(keys, publicUrl, Clock.systemUTC());
    }

    /** The session the request's cookie proves, or a new guest; the same object for the whole request. */
    public Session current(HttpServletRequest req) {
        return resolve(req).session();
    }

    /** Writes the cookie for {@code session}; later calls to {@link #current} in this request return it. */
    public void issue(HttpServletRequest req, HttpServletResponse resp, Session session) {
        if (resp.isCommitted()) {
            throw new IllegalStateException("Cannot set the session cookie for " + req.getRequestURI()
                    + ": the response is already committed; issue the session before writing the body");
        }
        boolean secure = cookies.secureContext(req);
        replaceCookieHeader(resp, COOKIE, setCookieHeader(encode(session), MAX_AGE, secure));
        replaceCookieHeader(resp, MEMBER_HINT, session.signedIn()
                ? CookieAttributes.setCookie(MEMBER_HINT, "1", MAX_AGE, secure, false)
                : CookieAttributes.setCookie(MEMBER_HINT, "", Duration.ZERO, secure, false));
        req.setAttribute(ATTRIBUTE, new Resolved(session, true));
    }

    /** Signs the account in under a new visitor id, so an id planted before sign-in (fixation) is worthless. */
    public Session signIn(HttpServletRequest req, HttpServletResponse resp, Account account) {
        var session = new Session(Session.newVisitorId(), account.id(), now(), account.sessionGeneration());
        issue(req, resp, session);
        return session;
    }

    /**
     * Replaces the session by a new guest rather than deleting the cookie: the visitor still needs an id for
     * the next form, and a new one retires the CSRF tokens of pages opened while signed in.
     */
    public Session signOut(HttpServletRequest req, HttpServletResponse resp) {
        var session = Session.anonymous(now());
        issue(req, resp, session);
        return session;
    }

    /**
     * Rewrites a signed-in session's cookie older than a day. Guests get no cookie from a page view: their pages
     * are shared by every guest and may be stored by public caches, which must never see a Set-Cookie; a guest
     * needs no session to post (web.Csrf checks the origin instead).
     */
    void refreshIfDue(HttpServletRequest req, HttpServletResponse resp) {
        Resolved resolved = resolve(req);
        Session session = resolved.session();
        if (!resolved.fromCookie() || !session.signedIn()) {
            return;
        }
        if (!session.issuedAt().plus(REFRESH_AFTER).isAfter(now())) {
            issue(req, resp, new Session(session.visitorId(), session.accountId(), now(), session.generation()));
        } else if (!hasMemberHint(req)) {
            // a session from before the hint existed, or whose hint was cleared: thread.js needs it for the overlay
            replaceCookieHeader(resp, MEMBER_HINT,
                    CookieAttributes.setCookie(MEMBER_HINT, "1", MAX_AGE, cookies.secureContext(req), false));
        }
    }

    private static boolean hasMemberHint(HttpServletRequest req) {
        Enumeration<String> headers = req.getHeaders("Cookie");
        while (headers != null && headers.hasMoreElements()) {
            for (String pair : headers.nextElement().split(";")) {
                if (pair.strip().equals(MEMBER_HINT + "=1")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Drops the member hint of a browser whose session is no longer signed in (expired, or its key removed). */
    public void clearMemberHint(HttpServletRequest req, HttpServletResponse resp) {
        replaceCookieHeader(resp, MEMBER_HINT,
                CookieAttributes.setCookie(MEMBER_HINT, "", Duration.ZERO, cookies.secureContext(req), false));
    }

    /** The session resolved for this request, or null before anything resolved it. */
    static Session resolved(HttpServletRequest req) {
        return req.getAttribute(ATTRIBUTE) instanceof Resolved resolved ? resolved.session() : null;
    }

    private Resolved resolve(HttpServletRequest req) {
        if (req.getAttribute(ATTRIBUTE) instanceof Resolved resolved) {
            return resolved;
        }
        Resolved resolved = fromCookies(req)
                .map(session -> new Resolved(session, true))
                .orElseGet(() -> new Resolved(Session.anonymous(now()), false));
        req.setAttribute(ATTRIBUTE, resolved);
        return resolved;
    }

    /**
     * Reads the Cookie headers ourselves rather than through the container's parser, which may reject a whole
     * header for one malformed cookie of another site's script. Two valid parley_session cookies can arrive
     * (a partitioned one from the embed and a first-party one): the newest wins.
     */
    private Optional<Session> fromCookies(HttpServletRequest req) {
        Session newest = null;
        Enumeration<String> headers = req.getHeaders("Cookie");
        while (headers != null && headers.hasMoreElements()) {
            for (String pair : headers.nextElement().split(";")) {
                String cookie = pair.strip();
                if (cookie.startsWith(COOKIE + "=")) {
                    Session session = decode(cookie.substring(COOKIE.length() + 1)).orElse(null);
                    if (session != null && (newest == null || session.issuedAt().isAfter(newest.issuedAt()))) {
                        newest = session;
                    }
                }
            }
        }
        return Optional.ofNullable(newest);
    }

    /** The cookie value for {@code session}. */
    String encode(Session session) {
        String account = session.accountId() == null ? "" : session.accountId().toString();
        return keys.sign(VERSION + "." + session.visitorId() + "." + account + "." + session.issuedAt().getEpochSecond()
                + "." + session.generation());
    }

    /** The session in a cookie value, if one of our keys signed it and it has not expired. */
    Optional<Session> decode(String value) {
        return keys.verified(value)
                .map(PAYLOAD::matcher)
                .filter(Matcher::matches)
                .filter(m -> m.group(1).equals("1") == (m.group(5) == null))
                .map(m -> new Session(m.group(2), m.group(3).isEmpty() ? null : Long.valueOf(m.group(3)),
                        Instant.ofEpochSecond(Long.parseLong(m.group(4))),
                        m.group(5) == null ? 0 : Integer.parseInt(m.group(5))))
                .filter(session -> session.issuedAt().plus(MAX_AGE).isAfter(now()));
    }

    /**
     * The embed is a third-party iframe, where browsers send only {@code SameSite=None} cookies, which must be
     * {@code Secure}; {@code Partitioned} (CHIPS) keeps them working where third-party cookies are otherwise
     * blocked. Over plain HTTP a Secure cookie would be dropped, so there it is {@code SameSite=Lax}: the
     * standalone pages work, the embed needs HTTPS.
     */
    static String setCookieHeader(String value, Duration maxAge, boolean secure) {
        return CookieAttributes.setCookie(COOKIE, value, maxAge, secure, true);
    }

    /** The attributes of the session cookie, for the other cookies Parley signs (so they work in the embed too). */
    public CookieAttributes cookies() {
        return cookies;
    }

    /** One cookie of a name per response: a later issue (sign-in after the filter's refresh) replaces it. */
    private static void replaceCookieHeader(HttpServletResponse resp, String name, String header) {
        Collection<String> existing = resp.getHeaders(SET_COOKIE);
        if (existing.stream().noneMatch(h -> h.startsWith(name + "="))) {
            resp.addHeader(SET_COOKIE, header);
            return;
        }
        List<String> others = existing.stream().filter(h -> !h.startsWith(name + "=")).toList();
        resp.setHeader(SET_COOKIE, header);
        others.forEach(other -> resp.addHeader(SET_COOKIE, other));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS); // the cookie holds seconds
    }

    private record Resolved(Session session, boolean fromCookie) {
    }
}
