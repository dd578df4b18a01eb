package org.parley.moderation;

import org.jooq.DSLContext;
import org.parley.account.Account;
import org.parley.web.HttpError;

import java.util.LinkedHashSet;
import java.util.Set;

import static org.parley.db.main.Tables.SITE;
import static org.parley.db.main.Tables.SITE_MODERATOR;

/**
 * Who may moderate what: administrators every site, moderators the sites they are listed for. Every console
 * request and action is checked here against the site of the thing it touches — never against a site id the
 * browser sent.
 */
public final class Moderators {
    private final DSLContext main;

    public Moderators(DSLContext main) {
        this.main = main;
    }

    /** The sites this account moderates (empty for everyone else). */
    public Set<Long> sitesOf(Account account) {
        if (account == null) {
            return Set.of();
        }
        var query = account.admin()
                ? main.select(SITE.ID).from(SITE).orderBy(SITE.NAME)
                : main.select(SITE_MODERATOR.SITE_ID).from(SITE_MODERATOR).where(SITE_MODERATOR.ACCOUNT_ID.eq(account.id()));
        return new LinkedHashSet<>(query.fetch(0, Long.class));
    }

    /**
     * The sites of a console user.
     *
     * @throws HttpError 401 for a guest (sign in first), 403 for an account that moderates nothing
     */
    public Set<Long> requireAny(Account account) {
        if (account == null) {
            throw new HttpError(401, "Sign in to open the moderation console.");
        }
        Set<Long> sites = sitesOf(account);
        if (sites.isEmpty()) {
            throw new HttpError(403, "Only administrators and moderators can open the moderation console.");
        }
        return sites;
    }

    public void add(long siteId, long accountId) {
        main.insertInto(SITE_MODERATOR, SITE_MODERATOR.SITE_ID, SITE_MODERATOR.ACCOUNT_ID)
                .values(siteId, accountId)
                .onConflictDoNothing()
                .execute();
    }
}
