package org.parley.moderation;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.account.Account;
import org.parley.site.Site;
import org.parley.site.SiteRepository;
import org.parley.site.SiteSettings;
import org.parley.sso.SsoSettings;
import org.parley.sso.SsoSettingsRepository;
import org.parley.web.HttpError;
import org.parley.web.Languages;
import org.parley.web.PathParams;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * Site settings in the console. The site is the one in the address, and only if the viewer moderates it (else
 * 404, like a site that does not exist). A form is validated whole: every bad field is shown beside itself and
 * nothing is saved. The form carries a fingerprint of the settings it showed: if another moderator saved
 * meanwhile, the save is refused (409) and the current settings are shown. A good form is saved in one transaction, the cached site is dropped (the next page on any
 * instance reads the new settings) and the changed fields go to the audit log as before → after.
 *
 * <pre>
 * GET  /admin/sites          the viewer's sites; for administrators also a form to create one
 * POST /admin/sites          name, displayName, origins — administrators only
 * GET  /admin/sites/{id}     the settings form
 * POST /admin/sites/{id}     the settings (see SiteSettings.parse)
 * </pre>
 */
public final class SitePages {
    /** As the table's CHECK: the name is in every embed and thread address. */
    private static final Pattern SITE_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,49}");
    private static final String LIST_PATH = "/admin/sites";

    private final Console console;
    private final SiteRepository sites;
    private final AuditLog audit;
    private final SsoSettingsRepository sso;
    private final Moderators moderators;
    private final Invitations invitations;
    private final org.parley.account.AccountRepository accounts;

    public SitePages(Console console, AuditLog audit, SsoSettingsRepository sso, Moderators moderators,
                     org.parley.account.AccountRepository accounts, Invitations invitations) {
        this.invitations = invitations;
        this.console = console;
        this.sites = console.sites();
        this.audit = audit;
        this.sso = sso;
        this.moderators = moderators;
        this.accounts = accounts;
    }

    /** POST /admin/sites/:site/moderators: email, role — the site's owners and administrators only */
    public void appoint(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Console.Visit visit = Console.visit(req);
        Site site = console.ownedSite(req);
        String email = param(req, "email");
        Moderators.Role role = Moderators.Role.of(req.getParameter("role"));
        var account = email.isEmpty() ? java.util.Optional.<Account>empty() : accounts.byEmail(email);
        if (account.isEmpty()) {
            if (email.isEmpty() || !org.parley.account.AccountPages.looksLikeEmail(email)) {
                Map<String, String> form = formOf(site, sites.settings(site.id()).orElseThrow(), sso.of(site.id()));
                form.put("email", email);
                renderForm(req, resp, visit.viewer(), site, form, Map.of("email", email.isEmpty()
                        ? Console.text(req, "console.error.appointWho")
                        : Console.text(req, "console.error.notAnEmail", email)), 400);
                return;
            }
            // no account yet: the appointment waits for whoever confirms this address, and they are mailed
            if (invitations.invite(site, email, role, visit.viewer().displayName(), visit.viewer().id())) {
                audit.record(visit.viewer(), site.id(), "invite", "email:" + email.toLowerCase(java.util.Locale.ROOT),
                        null, role.column());
            }
            resp.sendRedirect(LIST_PATH + "/" + site.id() + "?invited=1#moderators");
            return;
        }
        if (moderators.appoint(site.id(), account.get().id(), role)) {
            audit.record(visit.viewer(), site.id(), "appoint", "account:" + account.get().id(), null,
                    account.get().displayName() + " as " + role.column());
        }
        resp.sendRedirect(LIST_PATH + "/" + site.id() + "?moderators=1#moderators");
    }

    /** POST /admin/sites/:site/invitations/withdraw: email — the site's owners and administrators only */
    public void withdraw(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Console.Visit visit = Console.visit(req);
        Site site = console.ownedSite(req);
        String email = param(req, "email");
        if (!invitations.withdraw(site.id(), email)) {
            throw HttpError.worded(404, "console.error.noInvitation");
        }
        audit.record(visit.viewer(), site.id(), "withdraw-invitation", "email:" + email.toLowerCase(java.util.Locale.ROOT),
                "invited", null);
        resp.sendRedirect(LIST_PATH + "/" + site.id() + "?moderators=1#moderators");
    }

    /** POST /admin/sites/:site/moderators/:account/remove — the site's owners and administrators only */
    public void dismiss(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Console.Visit visit = Console.visit(req);
        Site site = console.ownedSite(req);
        long accountId;
        try {
            accountId = Long.parseLong(PathParams.of(req).text("account"));
        } catch (NumberFormatException e) {
            throw HttpError.worded(404, "console.error.noModerator");
        }
        if (!moderators.remove(site.id(), accountId)) {
            throw HttpError.worded(404, "console.error.noModerator");
        }
        audit.record(visit.viewer(), site.id(), "remove-moderator", "account:" + accountId, "moderator", null);
        resp.sendRedirect(LIST_PATH + "/" + site.id() + "?moderators=1#moderators");
    }

    /** GET /admin/sites: the viewer's sites, and for administrators the form that creates one */
    public void list(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Console.Visit visit = Console.visit(req);
        renderList(req, resp, visit.viewer(), visit.mine(), Map.of(), Map.of(), 200);
    }

    /** GET /admin/sites/:site */
    public void form(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Console.Visit visit = Console.visit(req);
        Site site = requireSite(req, visit.mine());
        SiteSettings current = sites.settings(site.id()).orElseThrow(() -> HttpError.worded(404, "console.error.noSite"));
        renderForm(req, resp, visit.viewer(), site, formOf(site, current, sso.of(site.id())), Map.of(), 200);
    }

    /** POST /admin/sites/:site */
    public void save(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Console.Visit visit = Console.visit(req);
        Account viewer = visit.viewer();
        Set<Long> mine = visit.mine();
        Site site = requireSite(req, mine);
        if (!moderators.owns(viewer, site.id())) {
            throw HttpError.worded(403, "console.error.ownersOnlySettings");
        }
        SiteSettings before = sites.settings(site.id()).orElseThrow(() -> HttpError.worded(404, "console.error.noSite"));
        SsoSettings ssoBefore = sso.of(site.id());
        String seen = req.getParameter("seen");
        if (seen != null && !seen.equals(fingerprint(before, ssoBefore))) {
            // another moderator saved meanwhile: show what is there now rather than overwrite it silently
            renderForm(req, resp, viewer, site, formOf(site, before, ssoBefore), Map.of("seen",
                    Console.text(req, "console.site.error.seen")), 409);
            return;
        }
        SiteForm.Parsed parsed = SiteForm.parse(req::getParameter, Languages.of(req));
        if (!parsed.ok()) {
            renderForm(req, resp, viewer, site, echo(req, ssoBefore), parsed.errors(), 400);
            return;
        }
        Map<String, String[]> changes = SiteForm.save(sites, sso, site, parsed);
        if (!changes.isEmpty()) {
            StringJoiner was = new StringJoiner("; ");
            StringJoiner now = new StringJoiner("; ");
            changes.forEach((name, pair) -> {
                was.add(name + ": " + pair[0]);
                now.add(name + ": " + pair[1]);
            });
            audit.record(viewer, site.id(), "settings", "site:" + site.id(), was.toString(), now.toString());
        }
        resp.sendRedirect(LIST_PATH + "/" + site.id() + "?saved=" + changes.size());
    }

    /** POST /admin/sites: administrators only */
    public void create(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Console.Visit visit = Console.visit(req);
        createSite(req, resp, visit.viewer(), visit.mine());
    }

    private void createSite(HttpServletRequest req, HttpServletResponse resp, Account viewer, Set<Long> mine)
            throws IOException {
        if (!viewer.admin()) {
            throw HttpError.worded(403, "console.error.adminsCreateSites");
        }
        Map<String, String> errors = new LinkedHashMap<>();
        String name = param(req, "name");
        if (!SITE_NAME.matcher(name).matches()) {
            errors.put("name", Console.text(req, "console.site.error.name"));
        } else if (sites.exists(name)) {
            errors.put("name", Console.text(req, "console.site.error.taken", name));
        }
        String displayName = param(req, "displayName");
        if (displayName.isEmpty() || displayName.length() > SiteSettings.MAX_DISPLAY_NAME) {
            errors.put("displayName", Console.text(req, "console.site.error.displayName", SiteSettings.MAX_DISPLAY_NAME));
        }
        List<String> origins = SiteSettings.origins(param(req, "origins"), errors, Languages.of(req));
        if (!errors.isEmpty()) {
            renderList(req, resp, viewer, mine, errors, echo(req, SsoSettings.NONE), 400);
            return;
        }
        long id = sites.create(name, displayName, origins);
        audit.record(viewer, id, "create-site", "site:" + id, null, name + " (" + displayName + ") "
                + String.join(" ", origins));
        resp.sendRedirect(LIST_PATH + "/" + id + "?created=1");
    }

    private Site requireSite(HttpServletRequest req, Set<Long> mine) {
        long id = ConsoleAccess.requireSite(mine, PathParams.of(req).text("site"));
        return sites.byId(id).orElseThrow(() -> HttpError.worded(404, "console.error.noSuchSite"));
    }

    /** Names the settings a form was made from, so a save can tell whether they changed since. */
    static String fingerprint(SiteSettings s, SsoSettings sso) {
        // the SSO part as the form shows it: whether there is a secret, never the secret itself
        String shown = s + "|" + new java.util.TreeMap<>(sso.form()) + "|" + sso.enabled();
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(shown.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(hash, 0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private Map<String, String> formOf(Site site, SiteSettings s, SsoSettings sso) {
        Map<String, String> form = SiteForm.of(s, sso, sites.countWording(site.id()));
        form.put("seen", fingerprint(s, sso));
        return form;
    }

    /** The form as sent, to show again beside its errors (never the secret that was typed). */
    private static Map<String, String> echo(HttpServletRequest req, SsoSettings sso) {
        Map<String, String> form = new HashMap<>();
        for (String f : SiteForm.TEXT_FIELDS) {
            form.put(f, param(req, f));
        }
        form.put("name", param(req, "name"));
        form.put("seen", param(req, "seen"));
        for (String f : SiteForm.CHECKBOXES) {
            form.put(f, req.getParameter(f) != null ? "on" : "");
        }
        form.put("ssoSecretSet", sso.enabled() ? "on" : "");
        return form;
    }

    /** How many settings the last save changed ({@code ?saved=N}), a number for the message's plural; 0 if garbled. */
    private static int savedCount(String saved) {
        try {
            return saved == null ? 0 : Integer.parseInt(saved);
        } catch (NumberFormatException e) {
            return 0; // a hand-made address: the notice says 0 rather than failing the page
        }
    }

    private void renderForm(HttpServletRequest req, HttpServletResponse resp, Account viewer, Site site,
                            Map<String, String> form, Map<String, String> errors, int status) throws IOException {
        Map<String, Object> model = new HashMap<>();
        model.put("viewer", viewer);
        model.put("site", site);
        model.put("form", form);
        model.put("errors", errors);
        model.put("saved", req.getParameter("saved"));
        model.put("savedCount", savedCount(req.getParameter("saved")));
        model.put("created", req.getParameter("created") != null);
        model.put("limits", Map.of("editWindow", SiteSettings.MAX_EDIT_WINDOW_MINUTES,
                "commentLength", SiteSettings.MAX_COMMENT_LENGTH, "links", SiteSettings.MAX_LINKS));
        model.put("csrf", console.csrfToken(req));
        boolean owner = moderators.owns(viewer, site.id());
        model.put("owner", owner);
        model.put("members", owner ? moderators.of(site.id()) : java.util.List.of());
        model.put("invitations", owner ? invitations.of(site.id()) : java.util.List.of());
        model.put("invited", req.getParameter("invited") != null);
        model.put("roles", Moderators.Role.values());
        model.put("languages", org.parley.web.Languages.ownNames());
        model.put("moderatorsSaved", req.getParameter("moderators") != null);
        resp.setStatus(status);
        console.render(req, resp, "admin/site", model);
    }

    private void renderList(HttpServletRequest req, HttpServletResponse resp, Account viewer, Set<Long> mine,
                            Map<String, String> errors, Map<String, String> form, int status) throws IOException {
        Map<String, Object> model = new HashMap<>();
        model.put("viewer", viewer);
        model.put("sites", console.named(mine).values());
        model.put("errors", errors);
        model.put("form", form);
        model.put("csrf", console.csrfToken(req));
        resp.setStatus(status);
        console.render(req, resp, "admin/sites", model);
    }

    private static String param(HttpServletRequest req, String name) {
        String v = req.getParameter(name);
        return v == null ? "" : v.strip();
    }
}
