package org.parley.moderation;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.account.Account;
import org.parley.discussion.CommentView.State;
import org.parley.site.Site;
import org.parley.web.HttpError;
import org.parley.web.PathParams;
import org.parley.web.ReturnTarget;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The moderation console at {@code /admin}: queues across all shards, one-click actions with the state the
 * moderator saw (so a concurrent change is reported, not overwritten), the result shown in place with an undo,
 * and the audit log. Every request checks the viewer's sites; every action checks the comment's own site.
 *
 * <pre>
 * GET  /admin/queue?queue=&site=&thread=&author=&ip=&text=&order=&from=
 *                                           a queue page (pending, flagged, spam, deleted, recent), filtered
 * POST /admin/comments/{id}/{action}        approve | reject | spam | restore   (fields: expected, return)
 * POST /admin/comments/selection            action = approve | reject | spam | restore | undo;
 *                                           select = id:expected (undo: id:expected:previous), repeated; return
 * (GET /admin/audit is AuditPage's)
 * </pre>
 */
public final class ModerationPages {
    private static final String QUEUE_PATH = "/admin/queue";

    private final Console console;
    private final Bans bans;
    private final ReviewQueue queue;
    private final QueueCounts counts;
    private final QueueDetails details;
    private final ModerationService service;

    public ModerationPages(Console console, Bans bans, ReviewQueue queue, QueueCounts counts, QueueDetails details,
                           ModerationService service) {
        this.console = console;
        this.bans = bans;
        this.queue = queue;
        this.counts = counts;
        this.details = details;
        this.service = service;
    }

    /** GET /admin/queue */
    public void queue(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Console.Visit visit = Console.visit(req);
        queuePage(req, resp, visit.viewer(), visit.mine());
    }

    /** POST /admin/comments/:id/:action */
    public void act(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Console.Visit visit = Console.visit(req);
        String back = safeAdminReturn(req.getParameter(ReturnTarget.FIELD)); // refused before anything changes
        PathParams path = PathParams.of(req);
        long id = path.number("id", () -> HttpError.worded(404, "console.error.noComment"));
        ModerationService.Action action = ModerationService.Action.parse(path.text("action"));
        String expectedText = req.getParameter("expected");
        State expected = expectedText == null || expectedText.isBlank() ? null : parseState(expectedText);
        ModerationService.Done done = service.act(visit.viewer(), visit.mine(), id, action, expected);
        String separator = back.contains("?") ? "&" : "?";
        ReturnTarget.redirect(resp, back + separator + "done=" + action.urlValue() + "&id=" + id + "&was=" + done.before().column()
                + "#comment-" + id);
    }

    /** POST /admin/comments/selection */
    public void actOnSelection(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Console.Visit visit = Console.visit(req);
        String back = safeAdminReturn(req.getParameter(ReturnTarget.FIELD)); // refused before anything changes
        selection(req, resp, visit.viewer(), visit.mine(), back);
    }

    /** Acts on the selected comments; the queue page then says what was done and what was left alone. */
    private void selection(HttpServletRequest req, HttpServletResponse resp, Account viewer, Set<Long> mine,
                           String back) throws IOException {
        String actionText = req.getParameter("action");
        boolean undo = "undo".equals(actionText);
        ModerationService.Action action = undo ? null : ModerationService.Action.parse(actionText == null ? "" : actionText);
        String[] selected = req.getParameterValues("select");
        List<ModerationService.Step> steps = new ArrayList<>();
        for (String value : selected == null ? new String[0] : selected) {
            steps.add(step(value, action));
        }
        ModerationService.Selection result = service.actOn(viewer, mine, steps);
        StringJoiner applied = new StringJoiner(",");
        for (ModerationService.Done d : result.applied()) {
            applied.add(d.commentId() + ":" + d.after().column() + ":" + d.before().column());
        }
        StringJoiner stale = new StringJoiner(",");
        for (ModerationService.Stale st : result.stale()) {
            stale.add(st.commentId() + ":" + st.expected().column() + ":" + st.current().column());
        }
        ReturnTarget.redirect(resp, back + (back.contains("?") ? "&" : "?") + "bulk=" + (undo ? "undo" : action.urlValue())
                + "&applied=" + applied + "&stale=" + stale);
    }

    /** {@code id:expected}, or for an undo {@code id:expected:previous} (the state to return to). */
    private static ModerationService.Step step(String value, ModerationService.Action action) {
        String[] parts = value.split(":", -1);
        if (parts.length != (action == null ? 3 : 2)) {
            throw HttpError.badRequest("A selected comment must be sent as " + (action == null
                    ? "id:state:previous" : "id:state") + ", got '" + value + "'. Nothing was changed.", "select");
        }
        long id;
        try {
            id = Long.parseLong(parts[0]);
        } catch (NumberFormatException e) {
            throw HttpError.badRequest("'" + parts[0] + "' is not a comment number. Nothing was changed.", "select");
        }
        State expected = parseState(parts[1]);
        ModerationService.Action act = action != null ? action
                : ModerationService.Action.returningTo(parseState(parts[2]));
        return new ModerationService.Step(id, expected, act);
    }

    private void queuePage(HttpServletRequest req, HttpServletResponse resp, Account viewer, Set<Long> mine)
            throws IOException {
        QueueFilter filter = QueueFilter.parse(req::getParameter, mine, bans::canonicalCidr);
        Queue which = filter.queue();
        ReviewQueue.Page page = queue.page(filter);

        Map<Long, Site> siteById = console.named(mine);
        Map<String, Object> model = new HashMap<>();
        model.put("viewer", viewer);
        model.put("queue", which);
        model.put("queues", Queue.values());
        model.put("items", page.items());
        model.put("details", details.of(page.items()));
        model.put("counts", counts.of(filter.sites()));
        model.put("sites", siteById);
        model.put("siteFilter", filter.site());
        model.put("filter", filter);
        model.put("nextUrl", page.nextBefore() == null ? null : QUEUE_PATH + "?" + filter.from(page.nextBefore()).query());
        model.put("pageUrl", QUEUE_PATH + "?" + filter.query());
        model.put("bulk", BulkOutcome.parse(req.getParameter("bulk"), req.getParameter("applied"), req.getParameter("stale")));
        model.put("done", req.getParameter("done"));
        model.put("doneId", req.getParameter("id"));
        model.put("kind", req.getParameter("kind"));
        model.put("was", req.getParameter("was"));
        model.put("undo", Undo.of(req.getParameter("kind"), req.getParameter("done"), req.getParameter("id"),
                req.getParameter("was"), req.getParameter("now")));
        model.put("bulkButtons", QueueActions.forQueue(which));
        model.put("threadStates", ContentModeration.ThreadState.values());
        model.put("csrf", console.csrfToken(req));
        console.render(req, resp, "admin/queue", model);
    }

    private static State parseState(String text) {
        try {
            return State.of(text);
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest("Unknown comment state '" + text + "'.", "expected");
        }
    }

    /**
     * The queue page (with its filters) to go back to after an action, without the notices of an earlier action;
     * the queue itself when none was given. Anything that is not the queue is refused with a 400 before the action
     * runs ({@link ReturnTarget}).
     */
    static String safeAdminReturn(String requested) {
        return ReturnTarget.require(requested, QUEUE_PATH, List.of(), Set.of(QUEUE_PATH))
                .replaceFirst("#.*$", "").replaceAll("&?(done|id|was|now|kind|bulk|applied|stale)=[^&]*", "")
                .replace("?&", "?");
    }
}
