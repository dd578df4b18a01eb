package org.parley.account;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Who is looking: the signed-in account behind the request's session cookie, or null for a guest. Looked up
 * at most once per request, and then usually from the object cache (see {@link AccountRepository#byId}).
 */
public final class Viewers {
    private static final String ATTRIBUTE = "parley.viewer";
    private static final Object GUEST = new Object();

    private final AccountRepository accounts;

    public Viewers(AccountRepository accounts) {
        this.accounts = accounts;
    }

    /**
     * The viewer as far as site {@code siteId} is concerned: an SSO account of another site is a guest here (its
     * host vouched for it on its own site only).
     */
    public Account on(HttpServletRequest req, long siteId) {
        Account account = current(req);
        return account == null || account.actsOn(siteId) ? account : null;
    }

    public Account current(HttpServletRequest req) {
        Object known = req.getAttribute(ATTRIBUTE);
        if (known != null) {
            return known == GUEST ? null : (Account) known;
        }
        Session session = SessionFilter.of(req);
        Long accountId = session.accountId();
        // a valid cookie for an account that no longer exists, or of a generation signed out everywhere since, is a
        // guest, not an error
        Account account = accountId == null ? null : accounts.byId(accountId)
                .filter(a -> a.sessionGeneration() == session.generation())
                .orElse(null);
        req.setAttribute(ATTRIBUTE, account == null ? GUEST : account);
        return account;
    }
}
