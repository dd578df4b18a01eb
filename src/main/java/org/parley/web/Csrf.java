package org.parley.web;

import jakarta.servlet.http.HttpServletRequest;
import org.parley.account.KeyRing;
import org.parley.account.Session;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * CSRF tokens derived from the session instead of stored: the token is the HMAC of the visitor id, so any
 * instance can check it and nothing is kept. A page renders {@link #token} into a hidden field {@value #FIELD}
 * (or scripts send it as {@value #HEADER}); a handler that changes anything calls {@link #check} first. A new
 * visitor id (sign-in, sign-out) retires the old tokens; a new signing key does not, because every key of the
 * ring is tried.
 */
public final class Csrf {
    public static final String FIELD = "csrf";
    public static final String HEADER = "X-CSRF-Token";
    public static final String REFUSED =
            "This form has expired or was not sent from this site. Reload the page and try again.";
    /** Separates these MACs from every other use of the session keys. */
    private static final String PURPOSE = "csrf|";
    /** base64url without padding of HMAC-SHA256's 32 bytes. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final KeyRing keys;

    public Csrf(KeyRing keys) {
        this.keys = keys;
    }

    public String token(Session session) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(keys.mac(input(session)));
    }

    /**
     * Refuses the request unless it carries this session's token, in the {@value #HEADER} header or the
     * {@value #FIELD} form field.
     *
     * @throws HttpError 403 with a sentence saying to reload the page
     */
    public void check(HttpServletRequest req, Session session) {
        String sent = req.getHeader(HEADER);
        if (sent == null) {
            sent = req.getParameter(FIELD);
        }
        if (!matches(sent, session)) {
            throw new HttpError(403, REFUSED);
        }
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
