package org.parley.account;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;

/**
 * Who is on the other end of a request, as the signed {@code parley_session} cookie says. Every visitor has
 * one, guests included: the visitor id is what CSRF tokens are derived from, and what ties a guest's comments
 * to the browser that wrote them.
 *
 * @param visitorId random 128 bits, base64url (22 characters); a new one at every sign-in and sign-out
 * @param accountId the signed-in account, or null for a guest
 * @param issuedAt  when the cookie carrying this session was written (second precision: that is what it holds)
 * @param generation the account's session generation when it signed in: a later "sign out everywhere" retires it
 */
public record Session(String visitorId, Long accountId, Instant issuedAt, int generation) {
    /** A session signed in under the account's first generation (or a guest's). */
    public Session(String visitorId, Long accountId, Instant issuedAt) {
        this(visitorId, accountId, issuedAt, 0);
    }

    private static final int VISITOR_ID_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A new guest, not yet known to anyone. */
    public static Session anonymous(Instant now) {
        return new Session(newVisitorId(), null, now);
    }

    public static String newVisitorId() {
        byte[] id = new byte[VISITOR_ID_BYTES];
        RANDOM.nextBytes(id);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    }

    public boolean signedIn() {
        return accountId != null;
    }
}
