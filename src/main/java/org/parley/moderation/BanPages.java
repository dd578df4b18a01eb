package org.parley.moderation;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.account.Account;
import org.parley.site.Site;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Bans in the console: the list of the viewer's sites' bans and a form to add one. The form is validated as a
 * whole — every problem shown beside its field, nothing saved until all are fixed — and each saved ban is written
 * to the audit log.
 *
 * <pre>
 * GET  /admin/bans    the list and the form
 * POST /admin/bans    site, kind (account | email | ip), value, reason, days (blank = never expires), shadow
 * </pre>
 */
public final class BanPages {
    static final int MAX_REASON = 500;
    static final int MAX_DAYS = 3650;

    private final Console console;
    private final Bans bans;
    private final AuditLog audit;

    public BanPages(Console console, Bans bans, AuditLog audit) {
        this.console = console;
        this.bans = bans;
        this.audit = audit;
    }

    /** GET /admin/bans: the list and the form */
    public void list(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Console.Visit visit = Console.visit(req);
        Account viewer = visit.viewer();
        Set<Long> mine = visit.mine();
        // an author page links here with its author filled in
        Map<String, String> form = new HashMap<>(Map.of("kind", "account"));
        for (String f : new String[]{"site", "kind", "value"}) {
            if (req.getParameter(f) != null) {
                form.put(f, param(req, f));
            }
        }
        render(req, resp, viewer, mine, Map.of(), form, 200);
    }

    /** POST /admin/bans */
    public void add(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Console.Visit visit = Console.visit(req);
        Account viewer = visit.viewer();
        Set<Long> mine = visit.mine();
        long siteId = ConsoleAccess.requireSite(mine, req.getParameter("site"));
        Map<String, String> errors = new LinkedHashMap<>();
        String kind = param(req, "kind").toLowerCase(Locale.ROOT);
        String value = value(req, kind, param(req, "value"), errors);
        String reason = param(req, "reason");
        if (reason.isEmpty() || reason.length() > MAX_REASON) {
            errors.put("reason", Console.text(req, "console.bans.error.reason", MAX_REASON));
        }
        Integer days = days(req, param(req, "days"), errors);
        boolean shadow = req.getParameter("shadow") != null;
        if (!errors.isEmpty()) {
            Map<String, String> form = new HashMap<>();
            for (String f : new String[]{"site", "kind", "value", "reason", "days"}) {
                form.put(f, param(req, f));
            }
            form.put("shadow", shadow ? "on" : "");
            render(req, resp, viewer, mine, errors, form, 400);
            return;
        }
        long id = bans.create(new Bans.NewBan(siteId, kind, value, reason, days, shadow), viewer.id());
        audit.record(viewer, siteId, shadow ? "shadow-ban" : "ban", "ban:" + id, null,
                kind + " " + value + " (" + reason + ")" + (days == null ? "" : " for " + days + " days"));
        resp.sendRedirect("/admin/bans?saved=" + id);
    }

    /** The stored form of the value, or null with a message in {@code errors}. */
    private String value(HttpServletRequest req, String kind, String raw, Map<String, String> errors) {
        switch (kind) {
            case "account" -> {
                var id = raw.isEmpty() ? java.util.Optional.<Long>empty() : bans.accountId(raw);
                if (id.isEmpty()) {
                    errors.put("value", Console.text(req, "console.error.noSuchAccount", raw));
                    return null;
                }
                return id.get().toString();
            }
            case "email" -> {
                if (!org.parley.account.Emails.looksValid(raw)) {
                    errors.put("value", Console.text(req, "console.bans.error.email", raw));
                    return null;
                }
                return raw.toLowerCase(Locale.ROOT);
            }
            case "ip" -> {
                var cidr = raw.isEmpty() ? java.util.Optional.<String>empty() : bans.canonicalCidr(raw);
                if (cidr.isEmpty()) {
                    errors.put("value", Console.text(req, "console.bans.error.ip", raw));
                    return null;
                }
                return cidr.get();
            }
            default -> {
                errors.put("kind", Console.text(req, "console.bans.error.kind"));
                return null;
            }
        }
    }

    private static Integer days(HttpServletRequest req, String text, Map<String, String> errors) {
        if (text.isEmpty()) {
            return null;
        }
        int days;
        try {
            days = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            days = -1; // not a number: the same message as a number out of range
        }
        if (days < 1 || days > MAX_DAYS) {
            errors.put("days", Console.text(req, "console.bans.error.days", Integer.toString(MAX_DAYS)));
            return null;
        }
        return days;
    }

    private void render(HttpServletRequest req, HttpServletResponse resp, Account viewer, Set<Long> mine,
                        Map<String, String> errors, Map<String, String> form, int status) throws IOException {
        Map<Long, Site> siteById = console.named(mine);
        Map<String, Object> model = new HashMap<>();
        model.put("viewer", viewer);
        model.put("sites", siteById);
        model.put("bans", bans.list(mine));
        model.put("kinds", Bans.KINDS);
        model.put("errors", errors);
        model.put("form", form);
        model.put("saved", req.getParameter("saved"));
        model.put("now", java.time.OffsetDateTime.now());
        model.put("csrf", console.csrfToken(req));
        resp.setStatus(status);
        console.render(req, resp, "admin/bans", model);
    }

    private static String param(HttpServletRequest req, String name) {
        String v = req.getParameter(name);
        return v == null ? "" : v.strip();
    }
}
