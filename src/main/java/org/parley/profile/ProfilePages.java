package org.parley.profile;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.account.Account;
import org.parley.account.AccountMail;
import org.parley.account.AccountPages;
import org.parley.account.AccountRepository;
import org.parley.account.AccountTokens;
import org.parley.account.Csrf;
import org.parley.account.SessionFilter;
import org.parley.account.Sessions;
import org.parley.account.Viewers;
import org.parley.discussion.AuthorExport;
import org.parley.discussion.AuthorRewrite;
import org.parley.moderation.AuditLog;
import org.parley.notify.Subscribers;
import org.parley.site.SiteRepository;
import org.parley.web.DisplayText;
import org.parley.web.Guard;
import org.parley.web.HttpError;
import org.parley.web.Json;
import org.parley.web.Templates;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The account page and its forms. Every form carries the session's CSRF token; the ones that could lock a person
 * out or hand the account over (email, password, deletion) also ask for the current password.
 */
public final class ProfilePages {
    private static final String PAGE = "/account";
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+");
    private static final String VIEWER = "parley.profile.viewer";

    private final AccountRepository accounts;
    private final Viewers viewers;
    private final Sessions sessions;
    private final Csrf csrf;
    private final AccountMail mail;
    private final AccountTokens tokens;
    private final AuthorRewrite rewrite;
    private final AuthorExport export;
    private final SiteRepository sites;
    private final AuditLog audit;
    private final Subscribers subscribers;
    private final Templates templates;

    public ProfilePages(AccountRepository accounts, Viewers viewers, Sessions sessions, Csrf csrf, AccountMail mail,
                        AccountTokens tokens, AuthorRewrite rewrite, AuthorExport export, SiteRepository sites,
                        AuditLog audit, Subscribers subscribers, Templates templates) {
        this.accounts = accounts;
        this.viewers = viewers;
        this.sessions = sessions;
        this.csrf = csrf;
        this.mail = mail;
        this.tokens = tokens;
        this.rewrite = rewrite;
        this.export = export;
        this.sites = sites;
        this.audit = audit;
        this.subscribers = subscribers;
        this.templates = templates;
    }

    /**
     * The door: a signed-in member of Parley (not a host site's SSO user, whose account the host manages). A guest's
     * GET is sent to sign in and back; a POST must carry the session's CSRF token.
     */
    public Guard members() {
        return (req, resp) -> {
            Account viewer = viewers.current(req);
            if (viewer == null) {
                if ("GET".equals(req.getMethod()) || "HEAD".equals(req.getMethod())) {
                    resp.sendRedirect("/signin?return=" + java.net.URLEncoder.encode(PAGE, StandardCharsets.UTF_8));
                    return false;
                }
                throw new HttpError(401, "Sign in to change your account.");
            }
            if (viewer.ssoSiteId() != null) {
                throw new HttpError(403, "This account belongs to the site you signed in on; change it there.");
            }
            if ("POST".equals(req.getMethod())) {
                csrf.check(req, SessionFilter.of(req));
            }
            req.setAttribute(VIEWER, viewer);
            return true;
        };
    }

    /** GET /account */
    public void show(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        page(req, resp, Map.of(), 200);
    }

    /** POST /account/name */
    public void rename(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Account me = viewer(req);
        String name = DisplayText.clean(text(req, "name"));
        if (name.isEmpty() || name.length() > 100) {
            refuse(req, resp, "name", "Choose a display name of 1 to 100 characters.");
            return;
        }
        accounts.rename(me.id(), name);
        rewrite.rename(me.id(), siteIds(), name);
        done(resp, "name");
    }

    /** POST /account/password */
    public void password(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Account me = viewer(req);
        String next = text(req, "password");
        if (next.length() < AccountPages.MIN_PASSWORD || next.length() > AccountPages.MAX_PASSWORD) {
            refuse(req, resp, "password", "Choose a password of at least " + AccountPages.MIN_PASSWORD + " characters.");
            return;
        }
        var changed = accounts.changePassword(me.id(), text(req, "current"), next);
        if (changed.isEmpty()) {
            refuse(req, resp, "current", "That is not your current password.");
            return;
        }
        // every other browser is signed out by the change; this one stays signed in under the new generation
        sessions.signIn(req, resp, changed.get());
        done(resp, "password");
    }

    /** POST /account/email — mails a link to the new address; the change happens when it is followed. */
    public void email(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Account me = viewer(req);
        String email = text(req, "email").strip();
        if (!EMAIL.matcher(email).matches() || email.length() > 254) {
            refuse(req, resp, "email", "That email address does not look right.");
            return;
        }
        if (!accounts.passwordMatches(me.id(), text(req, "current"))) {
            refuse(req, resp, "current", "That is not your current password.");
            return;
        }
        if (accounts.byEmail(email).filter(other -> other.id() != me.id()).isPresent()) {
            refuse(req, resp, "email", "Another account uses this address.");
            return;
        }
        accounts.inTransaction(tx -> mail.emailChange(tx, me, email, req.getLocale()));
        done(resp, "email-sent");
    }

    /** GET /account/email/confirm?token= — the link in the mail sent to the new address. */
    public void confirmEmail(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Account me = viewer(req);
        var change = tokens.emailChangeClaim(req.getParameter("token"))
                .filter(claim -> claim.accountId() == me.id())
                .orElseThrow(() -> new HttpError(400, "This link has expired, or is for another account: sign in as"
                        + " the account that asked for the change, or ask again.", "token"));
        if (!accounts.changeEmail(me.id(), change.email())) {
            throw new HttpError(409, "Another account uses " + change.email() + " by now.", "email");
        }
        done(resp, "email");
    }

    /** POST /account/notifications */
    public void notifications(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Account me = viewer(req);
        Subscribers.Digest digest;
        try {
            digest = Subscribers.Digest.of(req.getParameter("digest"));
        } catch (IllegalArgumentException e) {
            refuse(req, resp, "digest", "Choose how replies reach you: at once, hourly or daily.");
            return;
        }
        accounts.setRepliesByDefault(me.id(), "on".equals(req.getParameter("replies")));
        subscribers.setDigest(me.email(), digest, req.getLocale());
        accounts.setLanguage(me.id(), req.getLocale());
        done(resp, "notifications");
    }

    /** POST /account/sessions — sign out everywhere, this browser included. */
    public void signOutEverywhere(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        accounts.signOutEverywhere(viewer(req).id());
        sessions.signOut(req, resp);
        resp.sendRedirect("/signin?return=" + java.net.URLEncoder.encode(PAGE, StandardCharsets.UTF_8));
    }

    /** GET /account/data — everything Parley holds about the person, as one JSON file. */
    public void data(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Account me = viewer(req);
        Map<String, Object> account = new LinkedHashMap<>();
        account.put("id", me.id());
        account.put("email", me.email());
        account.put("displayName", me.displayName());
        account.put("createdAt", String.valueOf(accounts.createdAt(me.id())));
        var verified = accounts.verifiedAt(me.id());
        account.put("emailVerifiedAt", verified == null ? null : verified.toString());
        account.put("repliesByDefault", me.repliesByDefault());
        account.put("administrator", me.admin());
        Map<Long, String> siteNames = new HashMap<>();
        sites.all().forEach(site -> siteNames.put(site.id(), site.name()));
        List<Map<String, Object>> comments = new ArrayList<>();
        for (var c : export.comments(me.id(), siteNames.keySet())) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("id", Long.toString(c.id()));
            one.put("site", siteNames.get(c.siteId()));
            one.put("thread", c.threadKey());
            one.put("url", c.threadUrl());
            one.put("createdAt", c.createdAt().toString());
            one.put("editedAt", c.editedAt() == null ? null : c.editedAt().toString());
            one.put("state", c.state());
            one.put("body", c.body());
            comments.add(one);
        }
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("format", "parley-account-export/1");
        all.put("account", account);
        all.put("comments", comments);
        resp.setContentType("application/json; charset=utf-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("Content-Disposition", "attachment; filename=\"parley-account-" + me.id() + ".json\"");
        resp.getOutputStream().write(Json.object(all).getBytes(StandardCharsets.UTF_8));
    }

    /** POST /account/delete — with the password and the choice for the comments. */
    public void delete(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Account me = viewer(req);
        String comments = String.valueOf(req.getParameter("comments"));
        if (!comments.equals("keep") && !comments.equals("remove")) {
            refuse(req, resp, "comments", "Choose what happens to your comments: kept without your name, or removed.");
            return;
        }
        if (!accounts.passwordMatches(me.id(), text(req, "current"))) {
            refuse(req, resp, "delete-current", "That is not your current password.");
            return;
        }
        // comments first: if this stops half-way, the account still exists and the person can delete it again
        int changed = rewrite.erase(me.id(), siteIds(), comments.equals("remove"));
        audit.recordAccount(me, "account.delete", "account:" + me.id(), null,
                changed + " comments " + (comments.equals("remove") ? "removed" : "kept as " + AuthorRewrite.DELETED_NAME));
        accounts.scrub(me.id(), AuthorRewrite.DELETED_NAME);
        sessions.signOut(req, resp);
        resp.setStatus(200);
        resp.setHeader("Cache-Control", "no-store");
        templates.render(req, resp, "account/deleted", Map.of("embed", false, "removed", comments.equals("remove"),
                "count", changed));
    }

    private java.util.Set<Long> siteIds() {
        java.util.Set<Long> ids = new java.util.TreeSet<>();
        sites.all().forEach(site -> ids.add(site.id()));
        return ids;
    }

    private static Account viewer(HttpServletRequest req) {
        return (Account) req.getAttribute(VIEWER);
    }

    private static String text(HttpServletRequest req, String field) {
        String value = req.getParameter(field);
        return value == null ? "" : value;
    }

    private static void done(HttpServletResponse resp, String what) throws IOException {
        resp.sendRedirect(PAGE + "?saved=" + what);
    }

    private void refuse(HttpServletRequest req, HttpServletResponse resp, String field, String message)
            throws IOException {
        page(req, resp, Map.of("formField", field, "formError", message), 400);
    }

    private void page(HttpServletRequest req, HttpServletResponse resp, Map<String, Object> extra, int status)
            throws IOException {
        Account me = viewer(req);
        Map<String, Object> model = new HashMap<>(extra);
        model.put("me", me);
        model.put("verified", accounts.verifiedAt(me.id()) != null);
        model.put("saved", req.getParameter("saved"));
        model.put("csrf", csrf.token(SessionFilter.of(req)));
        model.put("embed", false);
        model.put("deletedName", AuthorRewrite.DELETED_NAME);
        model.put("digest", subscribers.digestOf(me.email()).column());
        resp.setStatus(status);
        resp.setHeader("Cache-Control", "no-store");
        templates.render(req, resp, "account/settings", model);
    }
}
