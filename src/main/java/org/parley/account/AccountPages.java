package org.parley.account;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.web.DisplayText;
import org.parley.web.HttpError;
import org.parley.web.RateLimits;
import org.parley.web.Requests;
import org.parley.web.ReturnTarget;
import org.parley.web.Templates;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Sign up, sign in, sign out: plain forms that send the visitor back to the thread they came from
 * ({@code return}). A failed form is shown again with the reason beside the field and what they typed (never
 * the password).
 */
public final class AccountPages {
    public static final int MIN_PASSWORD = 10;
    public static final int MAX_PASSWORD = 200;
    static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+");

    /** Whether a text passes for an email address as sign-up checks one (the mail server has the last word). */
    public static boolean looksLikeEmail(String text) {
        return text != null && text.length() <= 254 && EMAIL.matcher(text).matches();
    }
    private static final String HOME = "/";

    private final AccountRepository accounts;
    private final java.util.function.LongConsumer addressConfirmed;
    private final Sessions sessions;
    private final SignInThrottle throttle;
    private final Csrf csrf;
    private final RateLimits limits;
    private final AccountForms forms;
    private final AccountMail mail;
    private final AccountTokens tokens;

    /**
     * @param addressConfirmed told the id of an account whose address was just confirmed (what waited for that
     *                         address, such as an invitation to moderate, can now be given to it)
     */
    public AccountPages(AccountRepository accounts, Sessions sessions, SignInThrottle throttle, Csrf csrf,
                        RateLimits limits, Templates templates, AccountMail mail, AccountTokens tokens,
                        java.util.function.LongConsumer addressConfirmed) {
        this.addressConfirmed = addressConfirmed;
        this.accounts = accounts;
        this.mail = mail;
        this.tokens = tokens;
        this.sessions = sessions;
        this.throttle = throttle;
        this.csrf = csrf;
        this.limits = limits;
        this.forms = new AccountForms(csrf, templates);
    }

    /** GET /signup — {@code ?email=} fills in the address (an invitation's link carries the invited one) */
    public void signUpForm(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String email = nullToEmpty(req.getParameter("email")).strip();
        form(req, resp, "account/signup", email.isEmpty() || email.length() > 254 ? Map.of()
                : Map.of("formEmail", email), 200);
    }

    /** GET /signin */
    public void signInForm(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        form(req, resp, "account/signin", Map.of(), 200);
    }

    /** POST /signup */
    public void signUp(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        signUp(req, resp, checkedReturn(req));
    }

    /** POST /signin */
    public void signIn(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        signIn(req, resp, checkedReturn(req));
    }

    /** POST /signout */
    public void signOut(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String back = checkedReturn(req);
        sessions.signOut(req, resp);
        ReturnTarget.redirect(resp, back);
    }

    /**
     * GET /verify?token= — the link mailed at sign-up. A GET that changes state, deliberately: mail scanners that
     * open links only confirm what the link already proves (the mail reached the address), and doing it twice
     * changes nothing.
     */
    public void verify(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String back = ReturnTarget.require(req.getParameter(ReturnTarget.FIELD), HOME);
        long id = tokens.verifyClaim(req.getParameter("token"))
                .filter(claim -> accounts.emailOf(claim.accountId())
                        .map(email -> AccountTokens.fingerprint(email.toLowerCase(java.util.Locale.ROOT)))
                        .filter(claim.fingerprint()::equals)
                        .isPresent())
                .map(AccountTokens.Claim::accountId)
                .filter(accounts::markVerified)
                .map(verified -> {
                    // the link was opened in the person's own browser: its language is theirs
                    accounts.setLanguage(verified, req.getLocale());
                    addressConfirmed.accept(verified);
                    return verified;
                })
                .orElseThrow(() -> HttpError.wordedField(400, "token", "account.error.confirmExpired"));
        form(req, resp, "account/verified", Map.of("verifiedAccount", id), 200);
    }

    /**
     * Every account form's checks before anything is written: its CSRF token, and a return target that is one of
     * Parley's own pages (anything else refuses the whole form, so no session is made).
     */
    private String checkedReturn(HttpServletRequest req) {
        csrf.check(req, SessionFilter.of(req));
        return ReturnTarget.require(req.getParameter(ReturnTarget.FIELD), HOME);
    }

    private void signUp(HttpServletRequest req, HttpServletResponse resp, String back) throws IOException {
        try {
            limits.check(RateLimits.SIGN_UP, "ip:" + Requests.clientIp(req));
            String email = email(req.getParameter("email"));
            String name = DisplayText.clean(nullToEmpty(req.getParameter("name")));
            if (name.isEmpty() || name.length() > 100) {
                throw HttpError.wordedField(400, "name", "account.error.name");
            }
            String password = nullToEmpty(req.getParameter("password"));
            if (password.length() < MIN_PASSWORD || password.length() > MAX_PASSWORD) {
                throw HttpError.wordedField(400, "password", "account.error.password", MIN_PASSWORD);
            }
            long id = accounts.create(email, name, Passwords.hash(password), req.getLocale(),
                            (tx, created) -> mail.verification(tx, created, email, name, req.getLocale(), back))
                    .orElseThrow(() -> HttpError.wordedField(409, "email", "account.error.exists"));
            sessions.signIn(req, resp, new Account(id, email, name, false));
            ReturnTarget.redirect(resp, back);
        } catch (HttpError e) {
            e.announceRetryAfter(resp);
            form(req, resp, "account/signup", failure(req, e), e.status());
        }
    }

    private void signIn(HttpServletRequest req, HttpServletResponse resp, String back) throws IOException {
        try {
            limits.check(RateLimits.SIGN_IN, "ip:" + Requests.clientIp(req));
            String email = nullToEmpty(req.getParameter("email")).strip();
            throttle.checkAllowed(email);
            var credentials = accounts.credentials(email);
            String password = nullToEmpty(req.getParameter("password"));
            if (credentials.isEmpty() || !Passwords.matches(password, credentials.get().passwordHash())) {
                throttle.failed(email);
                throw HttpError.wordedField(401, "password", "account.error.mismatch");
            }
            throttle.succeeded(email);
            sessions.signIn(req, resp, credentials.get().account());
            ReturnTarget.redirect(resp, back);
        } catch (HttpError e) {
            e.announceRetryAfter(resp);
            form(req, resp, "account/signin", failure(req, e), e.status());
        }
    }

    private static Map<String, Object> failure(HttpServletRequest req, HttpError e) {
        Map<String, Object> model = new HashMap<>();
        model.put("formError", e.message(org.parley.web.Languages.of(req)));
        model.put("formField", e.field() == null ? "email" : e.field());
        model.put("formEmail", nullToEmpty(req.getParameter("email")));
        model.put("formName", nullToEmpty(req.getParameter("name")));
        return model;
    }

    private void form(HttpServletRequest req, HttpServletResponse resp, String template, Map<String, Object> extra,
                      int status) throws IOException {
        forms.render(req, resp, template, extra, status);
    }

    private static String email(String raw) {
        String email = nullToEmpty(raw).strip();
        if (!looksLikeEmail(email)) {
            throw HttpError.wordedField(400, "email", "account.error.email");
        }
        return email;
    }

    static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
