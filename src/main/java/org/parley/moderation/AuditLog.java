package org.parley.moderation;

import org.jooq.DSLContext;
import org.parley.account.Account;

import static org.parley.db.main.Tables.AUDIT_LOG;

/**
 * Writes the audit log: one row per moderation action (comment states, bans, rules, settings), who, on which
 * site, what, and before → after as short text. Append-only — the table's trigger refuses UPDATE and DELETE — so
 * this class has no other method.
 */
public final class AuditLog {
    private final DSLContext main;

    public AuditLog(DSLContext main) {
        this.main = main;
    }

    /** Who acted: a person (their account) or one of a site's API keys. */
    public record Actor(Long accountId, Long apiKeyId) {
        public static Actor of(Account account) {
            return new Actor(account.id(), null);
        }

        public static Actor apiKey(long id) {
            return new Actor(null, id);
        }
    }

    public void record(Actor actor, long siteId, String action, String target, String before, String after) {
        main.insertInto(AUDIT_LOG, AUDIT_LOG.ACTOR_ID, AUDIT_LOG.API_KEY_ID, AUDIT_LOG.SITE_ID, AUDIT_LOG.ACTION,
                        AUDIT_LOG.TARGET, AUDIT_LOG.BEFORE, AUDIT_LOG.AFTER)
                .values(actor.accountId(), actor.apiKeyId(), siteId, action, target, before, after)
                .execute();
    }

    /**
     * @param action a verb ({@code approve}, {@code ban}, {@code settings})
     * @param target what it acted on ({@code comment:123}, {@code ban:7}, {@code site:1})
     */
    public void record(Account actor, long siteId, String action, String target, String before, String after) {
        record(Actor.of(actor), siteId, action, target, before, after);
    }

    /** An action on an account rather than a site (a person deleting their own account): no site. */
    public void recordAccount(Account actor, String action, String target, String before, String after) {
        main.insertInto(AUDIT_LOG, AUDIT_LOG.ACTOR_ID, AUDIT_LOG.ACTION, AUDIT_LOG.TARGET, AUDIT_LOG.BEFORE,
                        AUDIT_LOG.AFTER)
                .values(actor.id(), action, target, before, after)
                .execute();
    }
}
