package org.parley.moderation;

import org.jooq.DSLContext;
import org.parley.account.Account;
import org.parley.web.HttpError;

import java.util.LinkedHashSet;
import java.util.Set;

import static org.parley.db.main.Tables.ACCOUNT;
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
            throw HttpError.worded(401, "console.error.signInModeration");
        }
        Set<Long> sites = sitesOf(account);
        if (sites.isEmpty()) {
            throw HttpError.worded(403, "console.error.moderatorsOnly");
        }
        return sites;
    }

    /** An owner moderates, and also changes the site's settings and appoints or removes its moderators. */
    public enum Role {
        OWNER, MODERATOR;

        public String column() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Role of(String text) {
            for (Role r : values()) {
                if (r.column().equalsIgnoreCase(text == null ? "" : text.strip())) {
                    return r;
                }
            }
            throw HttpError.badRequest("A role is owner or moderator.", "role");
        }
    }

    /** Someone who moderates a site, as its settings page lists them. */
    public record Member(long accountId, String name, String email, Role role) {
    }

    /** Adds an owner: the role every moderator had before roles existed (tests and tools that set up a site). */
    public void add(long siteId, long accountId) {
        appoint(siteId, accountId, Role.OWNER);
    }

    /** Makes the account a moderator or owner of the site (or changes its role); true when something changed. */
    public boolean appoint(long siteId, long accountId, Role role) {
        return main.insertInto(SITE_MODERATOR, SITE_MODERATOR.SITE_ID, SITE_MODERATOR.ACCOUNT_ID, SITE_MODERATOR.ROLE)
                .values(siteId, accountId, role.column())
                .onConflict(SITE_MODERATOR.SITE_ID, SITE_MODERATOR.ACCOUNT_ID).doUpdate()
                .set(SITE_MODERATOR.ROLE, role.column())
                .where(SITE_MODERATOR.ROLE.ne(role.column()))
                .execute() > 0;
    }

    /**
     * Removes the account from the site's moderators, unless it is the site's last owner (someone must be able to
     * manage the site without an administrator).
     *
     * @return false when the account was not a moderator of the site
     * @throws HttpError 409 for the last owner
     */
    public boolean remove(long siteId, long accountId) {
        return main.transactionResult(tx -> {
            var dsl = tx.dsl();
            // the site's rows locked, so two owners removing each other at once cannot leave none
            var roles = dsl.select(SITE_MODERATOR.ACCOUNT_ID, SITE_MODERATOR.ROLE).from(SITE_MODERATOR)
                    .where(SITE_MODERATOR.SITE_ID.eq(siteId)).forUpdate().fetchMap(SITE_MODERATOR.ACCOUNT_ID, SITE_MODERATOR.ROLE);
            if (!roles.containsKey(accountId)) {
                return false;
            }
            long owners = roles.values().stream().filter(Role.OWNER.column()::equals).count();
            if (Role.OWNER.column().equals(roles.get(accountId)) && owners == 1) {
                throw HttpError.worded(409, "console.error.lastOwner");
            }
            return dsl.deleteFrom(SITE_MODERATOR).where(SITE_MODERATOR.SITE_ID.eq(siteId))
                    .and(SITE_MODERATOR.ACCOUNT_ID.eq(accountId)).execute() > 0;
        });
    }

    /** The site's moderators and owners, owners first, then by name. */
    public java.util.List<Member> of(long siteId) {
        return main.select(ACCOUNT.ID, ACCOUNT.DISPLAY_NAME, ACCOUNT.EMAIL, SITE_MODERATOR.ROLE)
                .from(SITE_MODERATOR).join(ACCOUNT).on(ACCOUNT.ID.eq(SITE_MODERATOR.ACCOUNT_ID))
                .where(SITE_MODERATOR.SITE_ID.eq(siteId))
                .orderBy(SITE_MODERATOR.ROLE.desc().nullsLast(), ACCOUNT.DISPLAY_NAME)
                .fetch(r -> new Member(r.value1(), r.value2(), r.value3(), Role.of(r.value4())));
    }

    /** Whether the account may change the site's settings and moderators: an administrator or an owner. */
    public boolean owns(Account account, long siteId) {
        return account != null && (account.admin() || main.fetchExists(SITE_MODERATOR,
                SITE_MODERATOR.SITE_ID.eq(siteId).and(SITE_MODERATOR.ACCOUNT_ID.eq(account.id()))
                        .and(SITE_MODERATOR.ROLE.eq(Role.OWNER.column()))));
    }
}
