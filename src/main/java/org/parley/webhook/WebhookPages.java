package org.parley.webhook;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.account.Account;
import org.parley.moderation.AuditLog;
import org.parley.moderation.Console;
import org.parley.site.EventType;
import org.parley.site.HookedEvents;
import org.parley.site.Site;
import org.parley.web.HttpError;
import org.parley.web.Json;
import org.parley.web.PathParams;

import java.io.IOException;
import java.time.Clock;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A site's webhooks in the console, for its owners: add one (address and events; the secret is made here),
 * each hook's page with its secret and delivery log, "send a test event", "deliver again", delete. Every change
 * goes to the audit log. Other instances see a change at their next write ({@link HookedEvents#invalidate}).
 *
 * <pre>
 * GET  /admin/sites/{site}/webhooks                                    the hooks and the form that adds one
 * POST /admin/sites/{site}/webhooks                                    url, events
 * GET  /admin/sites/{site}/webhooks/{hook}                             its secret and its deliveries
 * GET  /admin/sites/{site}/webhooks/{hook}/deliveries/{id}             one delivery's body
 * POST /admin/sites/{site}/webhooks/{hook}/deliveries/{id}/redeliver   send it again
 * POST /admin/sites/{site}/webhooks/{hook}/ping                        queue a "ping" event for it
 * POST /admin/sites/{site}/webhooks/{hook}/delete
 * </pre>
 */
public final class WebhookPages {
    private final Console console;
    private final WebhookRepository hooks;
    private final HookedEvents hooked;
    private final WebhookAddress addresses;
    private final AuditLog audit;
    private final Clock clock;

    public WebhookPages(Console console, WebhookRepository hooks, HookedEvents hooked, boolean privateAllowed,
                        AuditLog audit, Clock clock) {
        this.console = console;
        this.hooks = hooks;
        this.hooked = hooked;
        this.addresses = new WebhookAddress(privateAllowed);
        this.audit = audit;
        this.clock = clock;
    }

    /** GET /admin/sites/:site/webhooks */
    public void list(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Site site = console.ownedSite(req);
        renderList(req, resp, site, Map.of("url", ""), Set.of(EventType.COMMENT_CREATED), Map.of(), 200);
    }

    /** POST /admin/sites/:site/webhooks */
    public void create(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Site site = console.ownedSite(req);
        String url = param(req, "url");
        Set<EventType> events = EnumSet.noneOf(EventType.class);
        String[] checked = req.getParameterValues("events");
        for (String name : checked == null ? new String[0] : checked) {
            events.add(EventType.of(name).orElseThrow(() -> HttpError.badRequest("There is no event '" + name
                    + "'.", "events")));
        }
        Map<String, String> errors = new LinkedHashMap<>();
        addresses.problem(url, org.parley.web.Languages.of(req)).ifPresent(problem -> errors.put("url", problem));
        if (events.isEmpty()) {
            errors.put("events", Console.text(req, "console.webhooks.error.events"));
        }
        if (hooks.of(site.id()).size() >= WebhookRepository.MAX_PER_SITE) {
            errors.put("url", Console.text(req, "console.webhooks.error.tooMany", WebhookRepository.MAX_PER_SITE));
        }
        if (!errors.isEmpty()) {
            renderList(req, resp, site, Map.of("url", url), events, errors, 400);
            return;
        }
        Account viewer = Console.visit(req).viewer();
        Webhook hook = hooks.create(site.id(), url, events, viewer.id());
        hooked.invalidate(site.id());
        audit.record(viewer, site.id(), "webhook-add", "webhook:" + hook.id(), null,
                url + " " + String.join(",", names(events)));
        resp.sendRedirect(hookPath(site, hook.id()) + "?created=1");
    }

    /** GET /admin/sites/:site/webhooks/:hook */
    public void show(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Site site = console.ownedSite(req);
        Webhook hook = hook(req, site);
        Map<String, Object> model = model(req, site);
        model.put("hook", hook);
        model.put("hookEvents", names(hook.events()));
        model.put("deliveries", hooks.deliveries(hook.id()));
        model.put("created", req.getParameter("created") != null);
        model.put("pinged", req.getParameter("pinged") != null);
        model.put("redelivered", req.getParameter("redelivered") != null);
        model.put("logLength", WebhookRepository.LOG_LENGTH);
        console.render(req, resp, "admin/webhook", model);
    }

    /** GET /admin/sites/:site/webhooks/:hook/deliveries/:delivery */
    public void delivery(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Site site = console.ownedSite(req);
        Webhook hook = hook(req, site);
        long id = PathParams.of(req).number("delivery", WebhookPages::noDelivery);
        String body = hooks.body(hook.id(), id).orElseThrow(WebhookPages::noDelivery);
        Map<String, Object> model = model(req, site);
        model.put("hook", hook);
        model.put("deliveryId", id);
        model.put("body", body);
        console.render(req, resp, "admin/webhook-delivery", model);
    }

    /** POST /admin/sites/:site/webhooks/:hook/deliveries/:delivery/redeliver */
    public void redeliver(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Site site = console.ownedSite(req);
        Webhook hook = hook(req, site);
        long id = PathParams.of(req).number("delivery", WebhookPages::noDelivery);
        if (!hooks.redeliver(hook.id(), id)) {
            throw new HttpError(409, "This delivery is on its way already (or does not exist): there is nothing to "
                    + "send again.", null);
        }
        audit.record(Console.visit(req).viewer(), site.id(), "webhook-redeliver", "webhook:" + hook.id(), null,
                "delivery " + id);
        resp.sendRedirect(hookPath(site, hook.id()) + "?redelivered=1");
    }

    /** POST /admin/sites/:site/webhooks/:hook/ping */
    public void ping(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Site site = console.ownedSite(req);
        Webhook hook = hook(req, site);
        String id = UUID.randomUUID().toString();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("type", "ping");
        body.put("createdAt", clock.instant().toString());
        body.put("site", site.name());
        body.put("webhook", Map.of("id", Long.toString(hook.id()), "url", hook.url(), "events", names(hook.events())));
        hooks.queuePing(hook.id(), id, Json.object(body));
        audit.record(Console.visit(req).viewer(), site.id(), "webhook-ping", "webhook:" + hook.id(), null, null);
        resp.sendRedirect(hookPath(site, hook.id()) + "?pinged=1");
    }

    /** POST /admin/sites/:site/webhooks/:hook/delete */
    public void delete(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Site site = console.ownedSite(req);
        Webhook hook = hook(req, site);
        hooks.delete(site.id(), hook.id());
        hooked.invalidate(site.id());
        audit.record(Console.visit(req).viewer(), site.id(), "webhook-delete", "webhook:" + hook.id(), hook.url(),
                null);
        resp.sendRedirect(listPath(site) + "?deleted=1");
    }

    private Webhook hook(HttpServletRequest req, Site site) {
        long id = PathParams.of(req).number("hook", WebhookPages::noHook);
        return hooks.byId(id).filter(h -> h.siteId() == site.id()).orElseThrow(WebhookPages::noHook);
    }

    private static HttpError noHook() {
        return HttpError.worded(404, "console.error.noWebhook");
    }

    private static HttpError noDelivery() {
        return HttpError.worded(404, "console.error.noDelivery");
    }

    private void renderList(HttpServletRequest req, HttpServletResponse resp, Site site, Map<String, String> form,
                            Set<EventType> checked, Map<String, String> errors, int status) throws IOException {
        Map<String, Object> model = model(req, site);
        model.put("hooks", hooks.of(site.id()).stream().map(h -> new Listed(h, names(h.events()))).toList());
        model.put("eventTypes", EventType.values());
        model.put("checked", names(checked));
        model.put("form", form);
        model.put("errors", errors);
        model.put("deleted", req.getParameter("deleted") != null);
        model.put("max", WebhookRepository.MAX_PER_SITE);
        resp.setStatus(status);
        console.render(req, resp, "admin/webhooks", model);
    }

    /** A hook as the list shows it. */
    public record Listed(Webhook hook, List<String> events) {
    }

    private Map<String, Object> model(HttpServletRequest req, Site site) {
        Map<String, Object> model = new HashMap<>();
        model.put("viewer", Console.visit(req).viewer());
        model.put("site", site);
        model.put("csrf", console.csrfToken(req));
        return model;
    }

    private static List<String> names(Set<EventType> events) {
        return events.stream().sorted().map(EventType::wireName).toList();
    }

    private static String listPath(Site site) {
        return "/admin/sites/" + site.id() + "/webhooks";
    }

    private static String hookPath(Site site, long hookId) {
        return listPath(site) + "/" + hookId;
    }

    private static String param(HttpServletRequest req, String name) {
        String value = req.getParameter(name);
        return value == null ? "" : value.strip();
    }
}
