package org.parley.account;

/**
 * A person who signs in. The email is private: pages show the display name and the avatar made from the email.
 * {@code ssoSiteId} is set for a host site's user signed in by single sign-on: that account exists for that site
 * only, and may have no email.
 */
public record Account(long id, String email, String displayName, boolean admin, Long ssoSiteId,
                      int sessionGeneration, boolean repliesByDefault) {
    public Account(long id, String email, String displayName, boolean admin) {
        this(id, email, displayName, admin, null);
    }

    public Account(long id, String email, String displayName, boolean admin, Long ssoSiteId) {
        this(id, email, displayName, admin, ssoSiteId, 0, true);
    }

    /** Whether this account may act on {@code siteId}: Parley's own accounts anywhere, an SSO account on its site. */
    public boolean actsOn(long siteId) {
        return ssoSiteId == null || ssoSiteId == siteId;
    }
}
