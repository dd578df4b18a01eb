package org.parley.account;

import org.jooq.DSLContext;
import org.parley.mail.Mail;
import org.parley.mail.MailTemplates;
import org.parley.outbox.Outbox;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * The mails about a person's account — verify your address, reset your password — written into main.outbox in
 * the caller's transaction, with a signed link ({@link AccountTokens}) that brings them back to {@code returnUrl}.
 */
public final class AccountMail {
    private final MailTemplates templates;
    private final AccountTokens tokens;

    public AccountMail(MailTemplates templates, AccountTokens tokens) {
        this.templates = templates;
        this.tokens = tokens;
    }

    void verification(DSLContext tx, long accountId, String email, String name, Locale locale, String returnUrl) {
        String link = templates.link("/verify?token=" + encode(tokens.verify(accountId, email))
                + "&return=" + encode(returnUrl));
        queue(tx, templates.render("verify-email", locale, email, Map.of("name", name, "link", link,
                "days", AccountTokens.VERIFY_VALID.toDays())));
    }

    void passwordReset(DSLContext tx, Account account, String passwordHash, Locale locale, String returnUrl) {
        String link = templates.link("/reset?token=" + encode(tokens.reset(account.id(), passwordHash))
                + "&return=" + encode(returnUrl));
        queue(tx, templates.render("password-reset", locale, account.email(), Map.of("name", account.displayName(),
                "link", link, "minutes", AccountTokens.RESET_VALID.toMinutes())));
    }

    /** "Confirm your new address", to the new address: the change happens when its link is followed. */
    public void emailChange(DSLContext tx, Account account, String newEmail, Locale locale) {
        String link = templates.link("/account/email/confirm?token=" + encode(tokens.emailChange(account.id(), newEmail)));
        queue(tx, templates.render("email-change", locale, newEmail, Map.of("name", account.displayName(),
                "link", link, "days", AccountTokens.VERIFY_VALID.toDays())));
    }

    private static void queue(DSLContext tx, Mail mail) {
        Outbox.addToMain(tx, Mail.KIND, mail.toJson());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
