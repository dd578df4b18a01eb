package org.parley.moderation;

import org.jooq.DSLContext;
import org.parley.mail.Mail;
import org.parley.mail.MailTemplates;
import org.parley.outbox.Outbox;
import org.parley.site.Site;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.parley.db.main.Tables.ACCOUNT;
import static org.parley.db.main.Tables.MODERATOR_INVITATION;
import static org.parley.db.main.Tables.SITE_MODERATOR;

/**
 * Appointing someone who has no account yet: the appointment waits as an invitation to their address (main V25),
 * they are mailed a link to sign up, and it takes effect when an account with that address confirms it owns it —
 * so only whoever reads that mailbox can claim it, with no token to leak. Withdrawn by the site's owners before.
 */
public final class Invitations {
    /** A waiting appointment, as the site's settings page lists it. */
    public record Invitation(String email, Moderators.Role role) {
    }

    private final DSLContext main;
    private final MailTemplates mails;

    public Invitations(DSLContext main, MailTemplates mails) {
        this.main = main;
        this.mails = mails;
    }

    /**
     * Records the invitation (or changes its role) and mails it, in one transaction: both or neither.
     *
     * @return false when the same invitation was already waiting (nothing is mailed again)
     */
    public boolean invite(Site site, String email, Moderators.Role role, String inviterName, Long invitedBy) {
        String address = email.strip().toLowerCase(Locale.ROOT);
        return main.transactionResult(tx -> {
            int changed = tx.dsl().insertInto(MODERATOR_INVITATION, MODERATOR_INVITATION.SITE_ID,
                            MODERATOR_INVITATION.EMAIL, MODERATOR_INVITATION.ROLE, MODERATOR_INVITATION.INVITED_BY)
                    .values(site.id(), address, role.column(), invitedBy)
                    .onConflict(MODERATOR_INVITATION.SITE_ID, MODERATOR_INVITATION.EMAIL).doUpdate()
                    .set(MODERATOR_INVITATION.ROLE, role.column())
                    .where(MODERATOR_INVITATION.ROLE.ne(role.column()))
                    .execute();
            if (changed == 0) {
                return false;
            }
            String link = mails.link("/signup?email=" + java.net.URLEncoder.encode(address,
                    java.nio.charset.StandardCharsets.UTF_8) + "&return=%2Fadmin");
            Mail mail = mails.render("moderator-invitation", Locale.ENGLISH, address, Map.of("site", site.displayName(),
                    "inviter", inviterName, "role", role.column(), "link", link), site.displayName());
            Outbox.addToMain(tx.dsl(), Mail.KIND, mail.toJson());
            return true;
        });
    }

    /** The site's waiting invitations, by address. */
    public List<Invitation> of(long siteId) {
        return main.select(MODERATOR_INVITATION.EMAIL, MODERATOR_INVITATION.ROLE).from(MODERATOR_INVITATION)
                .where(MODERATOR_INVITATION.SITE_ID.eq(siteId))
                .orderBy(MODERATOR_INVITATION.EMAIL)
                .fetch(r -> new Invitation(r.value1(), Moderators.Role.of(r.value2())));
    }

    /** Withdraws a waiting invitation; false when there was none for that address. */
    public boolean withdraw(long siteId, String email) {
        return main.deleteFrom(MODERATOR_INVITATION)
                .where(MODERATOR_INVITATION.SITE_ID.eq(siteId))
                .and(MODERATOR_INVITATION.EMAIL.eq(email.strip().toLowerCase(Locale.ROOT)))
                .execute() > 0;
    }

    /**
     * The account has just proved its address: every invitation to it becomes an appointment, in one
     * transaction. Returns how many sites it now moderates through them.
     */
    public int acceptFor(long accountId) {
        return main.transactionResult(tx -> {
            DSLContext dsl = tx.dsl();
            String email = dsl.select(ACCOUNT.EMAIL).from(ACCOUNT)
                    .where(ACCOUNT.ID.eq(accountId)).and(ACCOUNT.EMAIL_VERIFIED_AT.isNotNull())
                    .fetchOne(ACCOUNT.EMAIL);
            if (email == null) {
                return 0;
            }
            var waiting = dsl.deleteFrom(MODERATOR_INVITATION)
                    .where(MODERATOR_INVITATION.EMAIL.eq(email.toLowerCase(Locale.ROOT)))
                    .returning(MODERATOR_INVITATION.SITE_ID, MODERATOR_INVITATION.ROLE)
                    .fetch();
            for (var invitation : waiting) {
                dsl.insertInto(SITE_MODERATOR, SITE_MODERATOR.SITE_ID, SITE_MODERATOR.ACCOUNT_ID, SITE_MODERATOR.ROLE)
                        .values(invitation.getSiteId(), accountId, invitation.getRole())
                        .onConflictDoNothing()
                        .execute();
                new AuditLog(dsl).record(new AuditLog.Actor(accountId, null), invitation.getSiteId(), "accept-invitation",
                        "account:" + accountId, null, invitation.getRole());
            }
            return waiting.size();
        });
    }
}
