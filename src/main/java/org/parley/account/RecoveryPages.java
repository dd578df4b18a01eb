package org.parley.account;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.web.HttpError;
import org.parley.web.RateLimits;
import org.parley.web.Requests;
import org.parley.web.ReturnTarget;
import org.parley.web.Templates;

import java.io.IOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * "Forgot your password?": the address form, the mail with a one-hour single-use link, and the new-password form
 * the link opens. The answer to the address form is the same whether or not an account uses the address, so the
 * form cannot be used to find out who has an account; the per-address limit keeps it from flooding an inbox.
 */
public final class RecoveryPages {
    private static final String HOME = "/";

    private final AccountRepository accounts;
    private final AccountMail mail;
    private final AccountTokens tokens;
    private final Sessions sessions;
    private final Csrf csrf;
    private final RateLimits limits;
    private final AccountForms forms;

    public RecoveryPages(AccountRepository accounts, AccountMail mail, AccountTokens tokens, Sessions sessions,
                         Csrf csrf, RateLimits limits, Templates templates) {
        this.accounts = accounts;
        this.mail = mail;
        this.tokens = tokens;
        this.sessions = sessions;
        this.csrf = csrf;
        this.limits = limits;
        this.forms = new AccountForms(csrf, templates);
    }

    /** GET /forgot */
    public void forgotForm(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        page(req, resp, "account/forgot", Map.of(), 200);
    }

    /** POST /forgot */
    public void forgot(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        csrf.check(req, SessionFilter.of(req));
        String back = ReturnTarget.require(req.getParameter(ReturnTarget.FIELD), HOME);
        String email = AccountPages.nullToEmpty(req.getParameter("email")).strip();
        try {
            limits.check(RateLimits.PASSWORD_RESET, "ip:" + Requests.clientIp(req));
            if (!AccountPages.EMAIL.matcher(email).matches() || email.length() > 254) {
                throw HttpError.wordedField(400, "email", "account.error.email");
            }
            limits.check(RateLimits.PASSWORD_RESET_PER_ADDRESS, "email:" + email.toLowerCase(Locale.ROOT));
        } catch (HttpError e) {
            e.announceRetryAfter(resp);
            page(req, resp, "account/forgot", Map.of("formError", e.message(org.parley.web.Languages.of(req)), "formField", "email",
                    "formEmail", email), e.status());
            return;
        }
        accounts.credentials(email)
                .filter(found -> found.passwordHash() != null)
                .ifPresent(found -> accounts.inTransaction(tx -> mail.passwordReset(tx, found.account(),
                        found.passwordHash(), req.getLocale(), back)));
        page(req, resp, "account/forgot-sent", Map.of("formEmail", email), 200);
    }

    /** GET /reset?token= */
    public void resetForm(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String token = req.getParameter("token");
        validReset(token);
        page(req, resp, "account/reset", Map.of("token", token), 200);
    }

    /** POST /reset */
    public void reset(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        csrf.check(req, SessionFilter.of(req));
        String back = ReturnTarget.require(req.getParameter(ReturnTarget.FIELD), HOME);
        String token = req.getParameter("token");
        Reset reset = validReset(token);
        String password = AccountPages.nullToEmpty(req.getParameter("password"));
        if (password.length() < AccountPages.MIN_PASSWORD || password.length() > AccountPages.MAX_PASSWORD) {
            page(req, resp, "account/reset", Map.of("token", token, "formField", "password",
                    "formError", org.parley.web.BundleMessageResolver.required(org.parley.web.Languages.of(req),
                            "account.error.password", AccountPages.MIN_PASSWORD)), 400);
            return;
        }
        Account account = accounts.replacePassword(reset.accountId(), reset.passwordHash(), Passwords.hash(password))
                .orElseThrow(RecoveryPages::usedLink);
        sessions.signIn(req, resp, account);
        ReturnTarget.redirect(resp, back);
    }

    private record Reset(long accountId, String passwordHash) {
    }

    /** The account a reset link is for, while its password is still the one the link was made for. */
    private Reset validReset(String token) {
        return tokens.resetClaim(token)
                .flatMap(claim -> accounts.passwordHash(claim.accountId())
                        .filter(hash -> AccountTokens.fingerprint(hash).equals(claim.fingerprint()))
                        .map(hash -> new Reset(claim.accountId(), hash)))
                .orElseThrow(RecoveryPages::usedLink);
    }

    private static HttpError usedLink() {
        return HttpError.wordedField(400, "token", "account.error.resetUsed");
    }

    private void page(HttpServletRequest req, HttpServletResponse resp, String template, Map<String, Object> extra,
                      int status) throws IOException {
        forms.render(req, resp, template, extra, status);
    }
}
