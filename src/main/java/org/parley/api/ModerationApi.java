package org.parley.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.discussion.CommentView.State;
import org.parley.moderation.AuditLog;
import org.parley.moderation.ModerationService;
import org.parley.moderation.Moderators;
import org.parley.moderation.Queue;
import org.parley.moderation.QueueFilter;
import org.parley.moderation.ReviewQueue;
import org.parley.site.Site;
import org.parley.site.SiteRepository;
import org.parley.web.HttpError;
import org.parley.web.PathParams;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Moderation through the API, for one site: its review queues (a key with the read or moderate scope, or a
 * moderator of the site) and acting on a comment (a key with the moderate scope, or a moderator of the site with
 * the session's CSRF token). An action is the console's: the same states, the same refusal when the comment is no
 * longer in the state the caller saw, the same audit log entry — naming the key when a key acted.
 */
public final class ModerationApi {
    private final SiteRepository sites;
    private final ApiCallers callers;
    private final Moderators moderators;
    private final ModerationService moderation;
    private final ReviewQueue queues;
    private final ApiJson json;

    public ModerationApi(SiteRepository sites, ApiCallers callers, Moderators moderators, ModerationService moderation,
                         ReviewQueue queues, ApiJson json) {
        this.sites = sites;
        this.callers = callers;
        this.moderators = moderators;
        this.moderation = moderation;
        this.queues = queues;
        this.json = json;
    }

    /** GET /api/v1/sites/:site/queue?queue=pending|flagged|spam|deleted|recent&from= */
    public void queue(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Site site = site(req);
        ApiCaller caller = callers.reading(req, site);
        if (caller.key() != null) {
            if (!caller.key().allows(org.parley.api.ApiKey.Scope.READ)
                    && !caller.key().allows(org.parley.api.ApiKey.Scope.MODERATE)) {
                throw new HttpError(403, "This API key has neither the 'read' nor the 'moderate' scope.",
                        "Authorization");
            }
        } else {
            requireModerator(caller, site);
        }
        String queueText = req.getParameter("queue");
        if (queueText != null && java.util.Arrays.stream(Queue.values())
                .noneMatch(q -> q.name().equalsIgnoreCase(queueText))) {
            throw HttpError.badRequest("'queue' is pending, flagged, spam, deleted or recent.", "queue");
        }
        Long from = null;
        String fromText = req.getParameter("from");
        if (fromText != null && !fromText.isBlank()) {
            try {
                from = Long.parseLong(fromText.strip());
            } catch (NumberFormatException e) {
                throw HttpError.badRequest("'from' is the 'next' of the previous page.", "from");
            }
        }
        ReviewQueue.Page page = queues.page(new QueueFilter(Queue.parse(queueText), Set.of(site.id()), site.id(),
                null, null, null, null, false, from));
        List<Map<String, Object>> items = new ArrayList<>();
        for (ReviewQueue.Item item : page.items()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", Long.toString(item.id()));
            entry.put("state", item.state().column());
            entry.put("threadKey", item.threadKey());
            entry.put("author", Map.of("name", item.authorName()));
            entry.put("html", item.bodyHtml().strip());
            entry.put("flagCount", item.flagCount());
            entry.put("heldBecause", item.holdReason());
            entry.put("createdAt", ApiJson.time(item.createdAt()));
            items.add(entry);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("comments", items);
        body.put("next", page.nextBefore() == null ? null : Long.toString(page.nextBefore()));
        WriteApi.write(resp, body);
    }

    /** POST /api/v1/sites/:site/comments/:id/moderate — action (approve, reject, spam, restore, hold), expected */
    public void moderate(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        SiteRepository.SiteWithOrigins found = sites.withOrigins(PathParams.of(req).text("site"))
                .orElseThrow(() -> HttpError.notFound("No such site."));
        Site site = found.site();
        ApiCaller caller = callers.writing(req, site, found.origins());
        AuditLog.Actor actor;
        if (caller.key() != null) {
            ApiCallers.requireScope(caller, org.parley.api.ApiKey.Scope.MODERATE);
            actor = AuditLog.Actor.apiKey(caller.key().id());
        } else {
            requireModerator(caller, site);
            actor = AuditLog.Actor.of(caller.account());
        }
        long id = PathParams.of(req).number("id", () -> HttpError.notFound("This comment does not exist."));
        JsonBody body = JsonBody.of(req);
        String actionText = body.text("action");
        ModerationService.Action action = java.util.Arrays.stream(ModerationService.Action.values())
                .filter(a -> a.urlValue().equals(actionText)).findFirst()
                .orElseThrow(() -> HttpError.badRequest("'action' is approve, reject, spam, restore or hold.", "action"));
        String expectedText = body.text("expected");
        State expected = null;
        if (expectedText != null) {
            expected = java.util.Arrays.stream(State.values()).filter(s -> s.column().equals(expectedText)).findFirst()
                    .orElseThrow(() -> HttpError.badRequest("'expected' is approved, pending, spam or deleted.",
                            "expected"));
        }
        ModerationService.Done done = moderation.act(actor, Set.of(site.id()), id, action, expected);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", Long.toString(done.commentId()));
        answer.put("before", done.before().column());
        answer.put("state", done.after().column());
        WriteApi.write(resp, answer);
    }

    private void requireModerator(ApiCaller caller, Site site) {
        if (caller.account() == null) {
            throw new HttpError(401, "Sign in as a moderator of this site, or send an API key.");
        }
        if (!moderators.sitesOf(caller.account()).contains(site.id())) {
            throw new HttpError(403, "Only this site's moderators may do this.");
        }
    }

    private Site site(HttpServletRequest req) {
        return sites.byName(PathParams.of(req).text("site")).orElseThrow(() -> HttpError.notFound("No such site."));
    }
}
