package org.parley.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.account.Account;
import org.parley.moderation.AuditLog;
import org.parley.moderation.Console;
import org.parley.site.Site;
import org.parley.web.HttpError;
import org.parley.web.PathParams;

import java.io.IOException;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A site's API keys in the console, for its owners: the keys with their scopes and last use, a form that makes
 * one (its secret is shown on the answer to that form, once, and never again), and revoking. Audited.
 *
 * <pre>
 * GET  /admin/sites/{site}/keys               the keys and the form
 * POST /admin/sites/{site}/keys               name, scopes
 * POST /admin/sites/{site}/keys/{key}/revoke
 * </pre>
 */
public final class ApiKeyPages {
    private final Console console;
    private final ApiKeys keys;
    private final AuditLog audit;

    public ApiKeyPages(Console console, ApiKeys keys, AuditLog audit) {
        this.console = console;
        this.keys = keys;
        this.audit = audit;
    }

    /** GET /admin/sites/:site/keys */
    public void list(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Site site = console.ownedSite(req);
        render(req, resp, site, null, "", Set.of(ApiKey.Scope.READ), Map.of(), 200);
    }

    /** POST /admin/sites/:site/keys */
    public void create(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Site site = console.ownedSite(req);
        String name = req.getParameter("name") == null ? "" : req.getParameter("name").strip();
        Set<ApiKey.Scope> scopes = EnumSet.noneOf(ApiKey.Scope.class);
        String[] checked = req.getParameterValues("scopes");
        for (String scope : checked == null ? new String[0] : checked) {
            scopes.add(ApiKey.Scope.of(scope).orElseThrow(() -> HttpError.badRequest("There is no scope '" + scope
                    + "'.", "scopes")));
        }
        Map<String, String> errors = new LinkedHashMap<>();
        if (name.isEmpty() || name.length() > 100) {
            errors.put("name", Console.text(req, "console.keys.error.name"));
        }
        if (scopes.isEmpty()) {
            errors.put("scopes", Console.text(req, "console.keys.error.scopes"));
        }
        if (keys.of(site.id()).stream().filter(k -> !k.revoked()).count() >= ApiKeys.MAX_PER_SITE) {
            errors.put("name", Console.text(req, "console.keys.error.tooMany", ApiKeys.MAX_PER_SITE));
        }
        if (!errors.isEmpty()) {
            render(req, resp, site, null, name, scopes, errors, 400);
            return;
        }
        Account viewer = Console.visit(req).viewer();
        ApiKeys.Created created = keys.create(site.id(), name, scopes, viewer.id());
        audit.record(viewer, site.id(), "api-key-create", "api-key:" + created.key().id(), null,
                name + " (" + String.join(", ", created.key().scopeNames()) + ")");
        render(req, resp, site, created, "", Set.of(ApiKey.Scope.READ), Map.of(), 200);
    }

    /** POST /admin/sites/:site/keys/:key/revoke */
    public void revoke(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Site site = console.ownedSite(req);
        long id = PathParams.of(req).number("key", () -> HttpError.worded(404, "console.error.noKey"));
        ApiKey key = keys.one(site.id(), id).orElseThrow(() -> HttpError.worded(404, "console.error.noKey"));
        if (!keys.revoke(site.id(), id)) {
            throw new HttpError(409, "This key was revoked already.", null);
        }
        audit.record(Console.visit(req).viewer(), site.id(), "api-key-revoke", "api-key:" + id, key.name(), null);
        resp.sendRedirect("/admin/sites/" + site.id() + "/keys?revoked=1");
    }

    private void render(HttpServletRequest req, HttpServletResponse resp, Site site, ApiKeys.Created created,
                        String name, Set<ApiKey.Scope> checked, Map<String, String> errors, int status)
            throws IOException {
        Map<String, Object> model = new HashMap<>();
        model.put("viewer", Console.visit(req).viewer());
        model.put("site", site);
        model.put("csrf", console.csrfToken(req));
        model.put("keys", keys.of(site.id()));
        model.put("created", created);
        model.put("name", name);
        model.put("scopes", ApiKey.Scope.values());
        model.put("checked", checked);
        model.put("errors", errors);
        model.put("revoked", req.getParameter("revoked") != null);
        resp.setStatus(status);
        console.render(req, resp, "admin/keys", model);
    }
}
